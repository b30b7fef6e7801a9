import { randomBytes } from "node:crypto";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { PaymentFacts, RefundsTable } from "#app/components/money.tsx";
import { Button, DataTable, ErrorSummary, SelectField, StatusTag, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { paymentSettingsOf } from "#app/modules/payments/fee-schedules.server.ts";
import { paymentForAgency } from "#app/modules/payments/finance-overview.server.ts";
import { issueRefund } from "#app/modules/payments/issue-refund.server.ts";
import { moneyText, utcMinute } from "#app/modules/payments/money-view.ts";
import { decideReceipt, recordReceipt } from "#app/modules/payments/record-receipt.server.ts";
import { cardPaymentsFrom } from "#app/modules/payments/stripe-client.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { REFUND_REASONS } from "#db/schema/payment-kinds.ts";
import type { Route } from "./+types/finance.payments.$paymentId";

const PaymentId = z.uuid();
const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("record"),
    amount: z.string().max(40),
    bankReference: z.string().max(200),
    receivedOn: z.string().max(20),
  }),
  z.object({ intent: z.enum(["confirm", "reject"]), receiptId: z.uuid() }),
  z.object({
    intent: z.literal("refund"),
    amount: z.string().max(40),
    reason: z.string().max(40),
    note: z.string().max(1000).optional(),
    bankReference: z.string().max(200).optional(),
    idempotencyKey: z.string().max(100),
  }),
]);

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = PaymentId.safeParse(params.paymentId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database } = context.get(servicesContext);
  const view = await paymentForAgency(actor, id.data, database.db).catch(throwAsResponse);
  const { payment } = view;
  const money = (amount: bigint) => moneyText(amount, payment.currency, lang);
  const left = payment.capturedAmount - payment.refundedAmount;
  const settings = await paymentSettingsOf(view.agency.id, database.db);
  return {
    title: `${t("billing.paymentTitle", { reference: payment.reference })} – ${t("meta.siteName")}`,
    payment: {
      reference: payment.reference,
      payer: lang === "ar" ? payment.payerNameAr : payment.payerNameEn,
      feeType: payment.feeType,
      amount: money(payment.amount),
      amountDecimal: toDecimalString(payment),
      currency: payment.currency,
      status: payment.status,
      method: payment.method,
      providerReference: payment.providerReference,
      createdAt: utcMinute(payment.createdAt),
      capturedAt: utcMinute(payment.capturedAt),
      refunded: payment.refundedAmount > 0n ? money(payment.refundedAmount) : null,
      left: money(left),
      refundable: left > 0n,
      leftDecimal: toDecimalString({ amount: left, currency: payment.currency }),
    },
    secondOfficerFrom: settings.secondOfficerFrom > 0n ? money(settings.secondOfficerFrom) : null,
    receipts: view.receipts.map((r) => ({
      id: r.id,
      amount: money(r.amount),
      bankReference: r.bankReference,
      receivedOn: r.receivedOn,
      source: r.source,
      status: r.status,
      recordedBy: r.recordedByName,
      mine: r.recordedBy === view.userId,
      date: utcMinute(r.recordedAt),
    })),
    refunds: view.refunds.map((r, i) => ({
      id: r.id,
      number: `${payment.reference}-R${i + 1}`,
      amount: money(r.amount),
      reason: r.reason,
      note: r.note,
      method: r.method,
      providerReference: r.providerReference,
      date: utcMinute(r.createdAt),
    })),
    canAct: can(actor, "payments:reconcile"),
    today: new Date().toISOString().slice(0, 10),
    // A fresh key per form: submitting the same form twice refunds once.
    refundKey: randomBytes(16).toString("hex"),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = PaymentId.safeParse(params.paymentId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
  const input = parsed.data;
  const ip = clientIp(request);
  const here = `/finance/payments/${id.data}`;
  try {
    if (input.intent === "record") {
      await recordReceipt({ actor, paymentId: id.data, ...input, ip }, database.db);
      return redirect(`${here}?notice=receiptRecorded`);
    }
    if (input.intent === "refund") {
      await issueRefund(
        { actor, paymentId: id.data, ...input, ip },
        { db: database.db, card: cardPaymentsFrom(env) },
      );
      return redirect(`${here}?notice=refundDone`);
    }
    await decideReceipt({ actor, receiptId: input.receiptId, decision: input.intent, ip }, database.db);
    return redirect(`${here}?notice=${input.intent === "confirm" ? "receiptConfirmed" : "receiptRejected"}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t), intent: input.intent }, { status: e.status });
  }
}

const RECEIPT_TONE = { awaiting_confirmation: "info", confirmed: "success", rejected: "neutral" } as const;

export default function FinancePayment({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { payment, receipts } = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const live = receipts.find((r) => r.status !== "rejected");
  const awaiting = receipts.find((r) => r.status === "awaiting_confirmation");
  return (
    <>
      <title>{loaderData.title}</title>
      <p>
        <Link to="/finance">{t("finance.title")}</Link>
      </p>
      <h1>
        {t("billing.paymentTitle", { reference: "" })}
        <span dir="ltr">{payment.reference}</span>
      </h1>
      <ErrorSummary errors={errors} />
      <PaymentFacts party={{ label: t("finance.payer"), name: payment.payer }} payment={payment} />

      {payment.status === "captured" ? (
        <p className="actions">
          <a href={`/receipts/${payment.reference}/pdf`}>{t("money.downloadReceipt")}</a>
          <Link to={`/verify/receipt/${payment.reference}`}>{t("money.verify")}</Link>
        </p>
      ) : null}

      {receipts.length > 0 ? (
        <>
          <h2>{t("finance.receipts")}</h2>
          <DataTable
            captionHidden
            caption={t("finance.receipts")}
            rows={receipts}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "amount",
                header: t("money.amount"),
                numeric: true,
                cell: (r) => <span dir="ltr">{r.amount}</span>,
              },
              {
                key: "ref",
                header: t("finance.bankReference"),
                cell: (r) => <code dir="ltr">{r.bankReference}</code>,
              },
              {
                key: "on",
                header: t("finance.receivedOn"),
                cell: (r) => <span dir="ltr">{r.receivedOn}</span>,
              },
              { key: "by", header: t("finance.recordedBy"), cell: (r) => r.recordedBy },
              {
                key: "status",
                header: t("money.statusLabel"),
                cell: (r) => (
                  <StatusTag tone={RECEIPT_TONE[r.status]}>{t(`money.receiptStatus.${r.status}`)}</StatusTag>
                ),
              },
            ]}
          />
        </>
      ) : null}

      {loaderData.canAct && awaiting ? (
        <section className="panel">
          {awaiting.mine ? <p>{t("finance.cannotConfirmOwn")}</p> : null}
          <div className="actions">
            {awaiting.mine ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="receiptId" value={awaiting.id} />
                <Button>{t("finance.confirm")}</Button>
              </Form>
            )}
            <Form method="post">
              <input type="hidden" name="intent" value="reject" />
              <input type="hidden" name="receiptId" value={awaiting.id} />
              <Button variant="secondary">{t("finance.reject")}</Button>
            </Form>
          </div>
        </section>
      ) : null}

      {loaderData.canAct && payment.status === "pending" && !live ? (
        <>
          <h2>{t("finance.recordReceipt")}</h2>
          {loaderData.secondOfficerFrom ? (
            <p>{t("finance.recordLead", { limit: loaderData.secondOfficerFrom })}</p>
          ) : null}
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="record" />
            <TextField
              name="amount"
              label={`${t("finance.amountReceived")} (${payment.currency})`}
              defaultValue={payment.amountDecimal}
              inputMode="decimal"
              dir="ltr"
              error={errors.amount}
            />
            <TextField
              name="bankReference"
              label={t("finance.bankReference")}
              hint={t("finance.bankReferenceHint")}
              dir="ltr"
              error={errors.bankReference}
            />
            <TextField
              name="receivedOn"
              label={t("finance.receivedOn")}
              hint={t("finance.receivedOnHint")}
              defaultValue={loaderData.today}
              dir="ltr"
              error={errors.receivedOn}
            />
            <Button>{t("finance.record")}</Button>
          </Form>
        </>
      ) : null}

      {loaderData.canAct && payment.status === "captured" && payment.refundable ? (
        <>
          <h2>{t("finance.refund")}</h2>
          <p>{t("finance.refundLead", { left: payment.left })}</p>
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="refund" />
            <input type="hidden" name="idempotencyKey" value={loaderData.refundKey} />
            <TextField
              name="amount"
              label={`${t("finance.refundAmount")} (${payment.currency})`}
              defaultValue={payment.leftDecimal}
              inputMode="decimal"
              dir="ltr"
              error={errors.amount}
            />
            <SelectField
              name="reason"
              label={t("finance.refundReason")}
              options={REFUND_REASONS.map((r) => ({ value: r, label: t(`money.refundReason.${r}`) }))}
              error={errors.reason}
            />
            <TextField
              name="note"
              label={t("finance.refundNote")}
              hint={t("finance.refundNoteHint")}
              error={errors.note}
            />
            {payment.method === "stripe" ? null : (
              <TextField
                name="bankReference"
                label={t("finance.refundBankReference")}
                dir="ltr"
                error={errors.bankReference}
              />
            )}
            <Button variant="warning">{t("finance.issueRefund")}</Button>
          </Form>
        </>
      ) : null}

      {loaderData.refunds.length > 0 ? (
        <>
          <h2>{t("billing.refunds")}</h2>
          <RefundsTable refunds={loaderData.refunds} />
        </>
      ) : null}
    </>
  );
}
