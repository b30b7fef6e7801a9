import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import {
  Button,
  CheckboxField,
  DataTable,
  EmptyState,
  ErrorSummary,
  SelectField,
  TextField,
} from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { financeAgencyOf } from "#app/modules/payments/agency-scope.server.ts";
import { formatRate } from "#app/modules/payments/fee-calculation.ts";
import {
  listFeeSchedules,
  paymentSettingsOf,
  removeFeeSchedule,
  saveFeeSchedule,
  savePaymentSettings,
} from "#app/modules/payments/fee-schedules.server.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { FEE_TYPES } from "#db/schema/payment-kinds.ts";
import type { Route } from "./+types/finance.fees";

const text = z.string().max(500).optional().default("");
const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("fee"),
    feeType: z.string().max(40),
    subject: text,
    calculation: z.string().max(20),
    amount: text,
    rate: text,
    minimum: text,
    maximum: text,
  }),
  z.object({ intent: z.literal("remove"), scheduleId: z.uuid() }),
  z.object({
    intent: z.literal("instructions"),
    bankName: text,
    accountName: text,
    iban: text,
    counterAr: text,
    counterEn: text,
    secondOfficerFrom: text,
  }),
]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const { agency } = await financeAgencyOf(actor, "payments:configure", db).catch(throwAsResponse);
  const [schedules, settings] = await Promise.all([
    listFeeSchedules(agency.id, db),
    paymentSettingsOf(agency.id, db),
  ]);
  const money = (amount: bigint | null) =>
    amount === null ? null : moneyText(amount, agency.currency, lang);
  return {
    title: `${t("feesPage.title")} – ${t("meta.siteName")}`,
    agency: lang === "ar" ? agency.nameAr : agency.nameEn,
    currency: agency.currency,
    schedules: schedules.map((s) => ({
      id: s.id,
      feeType: s.feeType,
      subject: s.subject,
      calculation: s.calculation,
      amount: money(s.fixedAmount),
      rate: s.rateBasisPoints === null ? null : `${formatRate(s.rateBasisPoints)}%`,
      minimum: money(s.minimumAmount),
      maximum: money(s.maximumAmount),
    })),
    settings: {
      bankName: settings.bankName,
      accountName: settings.accountName,
      iban: settings.iban,
      counterAr: settings.counterAr,
      counterEn: settings.counterEn,
      secondOfficerFrom: toDecimalString({ amount: settings.secondOfficerFrom, currency: agency.currency }),
      refundDocumentFeesOnCancellation: settings.refundDocumentFeesOnCancellation,
    },
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data({ errors: { form: t("errors.VALIDATION") }, intent: null }, { status: 400 });
  const input = parsed.data;
  const ip = clientIp(request);
  try {
    if (input.intent === "fee") await saveFeeSchedule({ actor, form: input, ip }, db);
    else if (input.intent === "remove")
      await removeFeeSchedule({ actor, scheduleId: input.scheduleId, ip }, db);
    else await savePaymentSettings({ actor, form: input, ip }, db);
    return redirect("/finance/fees?notice=feeSaved");
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t), intent: input.intent }, { status: e.status });
  }
}

export default function Fees({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const feeErrors = actionData?.intent === "fee" ? errors : {};
  const instructionErrors = actionData?.intent === "instructions" ? errors : {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/finance">{t("finance.title")}</Link>
      </p>
      <h1>{t("feesPage.title")}</h1>
      <p className="lead">{t("feesPage.lead", { agency: d.agency, currency: d.currency })}</p>
      <ErrorSummary errors={errors} />

      <h2>{t("feesPage.schedule")}</h2>
      {d.schedules.length === 0 ? (
        <EmptyState title={t("feesPage.none")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("feesPage.schedule")}
          rows={d.schedules}
          rowKey={(s) => s.id}
          columns={[
            {
              key: "fee",
              header: t("money.fee"),
              cell: (s) => (
                <>
                  {t(`fees.${s.feeType}`, t("fees.other"))}
                  {s.subject ? (
                    <>
                      {" "}
                      <code dir="ltr">{s.subject}</code>
                    </>
                  ) : null}
                </>
              ),
            },
            {
              key: "calc",
              header: t("feesPage.calculation"),
              cell: (s) => <span dir="ltr">{s.calculation === "fixed" ? s.amount : s.rate}</span>,
            },
            {
              key: "min",
              header: t("feesPage.minimum"),
              numeric: true,
              cell: (s) => <span dir="ltr">{s.minimum ?? "—"}</span>,
            },
            {
              key: "max",
              header: t("feesPage.maximum"),
              numeric: true,
              cell: (s) => <span dir="ltr">{s.maximum ?? "—"}</span>,
            },
            {
              key: "remove",
              header: t("feesPage.remove"),
              cell: (s) => (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="scheduleId" value={s.id} />
                  <Button variant="secondary">{t("feesPage.remove")}</Button>
                </Form>
              ),
            },
          ]}
        />
      )}

      <Form method="post" className="narrow" noValidate>
        <input type="hidden" name="intent" value="fee" />
        <SelectField
          name="feeType"
          label={t("money.fee")}
          options={FEE_TYPES.map((f) => ({ value: f, label: t(`fees.${f}`) }))}
          error={feeErrors.feeType}
        />
        <TextField
          name="subject"
          label={t("feesPage.permitType")}
          hint={t("feesPage.permitTypeHint")}
          dir="ltr"
          error={feeErrors.subject}
        />
        <SelectField
          name="calculation"
          label={t("feesPage.calculation")}
          options={[
            { value: "fixed", label: t("feesPage.fixed") },
            { value: "percentage", label: t("feesPage.percentage") },
          ]}
          error={feeErrors.calculation}
        />
        <TextField
          name="amount"
          label={`${t("money.amount")} (${d.currency})`}
          hint={t("feesPage.feeAmountHint")}
          inputMode="decimal"
          dir="ltr"
          error={feeErrors.amount}
        />
        <TextField
          name="rate"
          label={t("feesPage.rate")}
          hint={t("feesPage.rateHint")}
          inputMode="decimal"
          dir="ltr"
          error={feeErrors.rate}
        />
        <TextField
          name="minimum"
          label={`${t("feesPage.minimum")} (${d.currency})`}
          inputMode="decimal"
          dir="ltr"
          error={feeErrors.minimum}
        />
        <TextField
          name="maximum"
          label={`${t("feesPage.maximum")} (${d.currency})`}
          inputMode="decimal"
          dir="ltr"
          error={feeErrors.maximum}
        />
        <Button>{t("feesPage.save")}</Button>
      </Form>

      <h2>{t("feesPage.instructions")}</h2>
      <p>{t("feesPage.instructionsLead")}</p>
      <Form method="post" className="narrow" noValidate>
        <input type="hidden" name="intent" value="instructions" />
        <TextField
          name="bankName"
          label={t("billing.bankName")}
          defaultValue={d.settings.bankName}
          dir="auto"
          error={instructionErrors.bankName}
        />
        <TextField
          name="accountName"
          label={t("billing.accountName")}
          defaultValue={d.settings.accountName}
          dir="auto"
          error={instructionErrors.accountName}
        />
        <TextField
          name="iban"
          label={t("billing.iban")}
          defaultValue={d.settings.iban}
          dir="ltr"
          error={instructionErrors.iban}
        />
        <TextField
          name="counterAr"
          label={t("feesPage.counterAr")}
          defaultValue={d.settings.counterAr}
          dir="rtl"
          error={instructionErrors.counterAr}
        />
        <TextField
          name="counterEn"
          label={t("feesPage.counterEn")}
          defaultValue={d.settings.counterEn}
          dir="ltr"
          error={instructionErrors.counterEn}
        />
        <TextField
          name="secondOfficerFrom"
          label={`${t("feesPage.secondOfficerFrom")} (${d.currency})`}
          hint={t("feesPage.secondOfficerHint")}
          defaultValue={d.settings.secondOfficerFrom}
          inputMode="decimal"
          dir="ltr"
          error={instructionErrors.secondOfficerFrom}
        />
        <Button>{t("feesPage.saveInstructions")}</Button>
      </Form>
      <h2 id="cancellation">{t("complaints.cancel.policyTitle")}</h2>
      <Form method="post" action="/finance/cancellation-policy" className="narrow">
        <CheckboxField
          name="refundDocumentFees"
          label={t("complaints.cancel.policyLabel")}
          defaultChecked={d.settings.refundDocumentFeesOnCancellation}
        />
        <Button variant="secondary">{t("complaints.cancel.policySave")}</Button>
      </Form>
    </>
  );
}
