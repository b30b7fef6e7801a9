import { Form, redirect } from "react-router";
import { Button, TextField } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import type { Route } from "./+types/verify.receipt";

/** GET /verify/receipt?number=…: the form, or on to the page of the number typed. */
export function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const number = (new URL(request.url).searchParams.get("number") ?? "").trim().toUpperCase().slice(0, 100);
  if (number) throw redirect(`/verify/receipt/${encodeURIComponent(number)}`);
  return { title: `${t("receipts.verifyTitle")} – ${t("meta.siteName")}` };
}

/** The one-field form to look a receipt up by its number; used here and on each receipt's page. */
export function ReceiptNumberForm() {
  const { t } = useTranslation();
  return (
    <Form method="get" action="/verify/receipt" className="search-form" role="search">
      <TextField
        name="number"
        label={t("receipts.numberLabel")}
        hint={t("receipts.numberHint")}
        autoComplete="off"
        dir="ltr"
      />
      <Button>{t("receipts.check")}</Button>
    </Form>
  );
}

export default function VerifyReceipt({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("receipts.verifyTitle")}</h1>
      <p className="lead">{t("receipts.verifyLead")}</p>
      <ReceiptNumberForm />
    </>
  );
}
