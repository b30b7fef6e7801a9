import { Form } from "react-router";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { Button, TextAreaField } from "./ui.tsx";

/** Minimum length of a cancellation reason (the module says so too: REASON_REQUIRED). */
export const MIN_CANCEL_REASON = 10;

/**
 * The form that cancels a tender, or one lot of it, with a reason. It posts to
 * the tender's cancellation page (/tenders/manage/:tenderId/cancel), which shows
 * any error beside the reason; other pages embed it as it is.
 */
export function CancelForm({
  tenderId,
  lot,
  error,
  defaultReason,
}: {
  tenderId: string;
  /** Cancel this lot only; without it, the whole tender. */
  lot?: { id: string; number: number };
  error?: string;
  defaultReason?: string;
}) {
  const { t } = useTranslation();
  const name = lot ? `reason-${lot.id}` : "reason";
  return (
    <Form method="post" action={`/tenders/manage/${tenderId}/cancel`} className="narrow" noValidate>
      <input type="hidden" name="intent" value={lot ? "lot" : "tender"} />
      {lot ? <input type="hidden" name="lotId" value={lot.id} /> : null}
      <TextAreaField
        name={name}
        label={t("complaints.cancel.reason")}
        hint={t("complaints.cancel.reasonHint", { min: MIN_CANCEL_REASON })}
        rows={3}
        dir="auto"
        error={error}
        defaultValue={defaultReason}
      />
      <Button variant="warning">
        {lot ? t("complaints.cancel.lotButton") : t("complaints.cancel.tenderButton")}
      </Button>
    </Form>
  );
}
