import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { PaymentFacts, RefundsTable } from "#app/components/money.tsx";
import { Button, ErrorSummary } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { paymentForPayer } from "#app/modules/payments/billing-overview.server.ts";
import { moneyText, utcMinute } from "#app/modules/payments/money-view.ts";
import { startCardPayment } from "#app/modules/payments/start-card-payment.server.ts";
import { cardAmountAllowed, cardPaymentsFrom } from "#app/modules/payments/stripe-client.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/billing.payments.$paymentId";

const PaymentId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const { database, env } = context.get(servicesContext);
  const id = PaymentId.safeParse(params.paymentId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { payment, settings, refunds } = await paymentForPayer(actor, id.data, database.db).catch(
    throwAsResponse,
  );
  const money = (amount: bigint) => moneyText(amount, payment.currency, lang);
  return {
    title: `${t("billing.paymentTitle", { reference: payment.reference })} – ${t("meta.siteName")}`,
    payment: {
      id: payment.id,
      reference: payment.reference,
      agency: lang === "ar" ? payment.payeeNameAr : payment.payeeNameEn,
      feeType: payment.feeType,
      amount: money(payment.amount),
      status: payment.status,
      method: payment.method,
      awaitingConfirmation: payment.awaitingConfirmation,
      refunded: payment.refundedAmount > 0n ? money(payment.refundedAmount) : null,
      createdAt: utcMinute(payment.createdAt),
      capturedAt: utcMinute(payment.capturedAt),
    },
    instructions: {
      bankName: settings.bankName,
      accountName: settings.accountName,
      iban: settings.iban.replace(/(.{4})/g, "$1 ").trim(),
      counter: lang === "ar" ? settings.counterAr : settings.counterEn,
    },
    canPay: can(actor, "payments:pay"),
    cardAvailable: Boolean(cardPaymentsFrom(env)) && cardAmountAllowed(payment.amount, payment.currency),
    refunds: refunds.map((r, i) => ({
      id: r.id,
      number: `${payment.reference}-R${i + 1}`,
      amount: money(r.amount),
      reason: r.reason,
      method: r.method,
      date: utcMinute(r.createdAt),
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const { database, env } = context.get(servicesContext);
  const id = PaymentId.safeParse(params.paymentId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  try {
    const { url } = await startCardPayment(
      {
        actor,
        paymentId: id.data,
        baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
        productName: t("billing.title"),
      },
      { db: database.db, card: cardPaymentsFrom(env) },
    );
    return redirect(url);
  } catch (e) {
    if (!isAppError(e) || (e.status >= 500 && e.code !== "PAYMENT_PROVIDER_UNAVAILABLE")) throw e;
    return data({ errors: { card: t(`errors.${e.code}`) } }, { status: e.status });
  }
}

export default function BillingPayment({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { payment, instructions } = loaderData;
  const hasBank = Boolean(instructions.iban);
  return (
    <>
      <title>{loaderData.title}</title>
      <p>
        <Link to="/billing">{t("billing.title")}</Link>
      </p>
      <h1>
        {t("billing.paymentTitle", { reference: "" })}
        <span dir="ltr">{payment.reference}</span>
      </h1>
      <ErrorSummary errors={actionData?.errors ?? {}} />
      <PaymentFacts party={{ label: t("billing.dueTo"), name: payment.agency }} payment={payment} />

      {payment.status === "captured" ? (
        <div className="notice" role="status">
          <p>{t("billing.paidNotice")}</p>
          <p className="actions">
            <a href={`/receipts/${payment.reference}/pdf`}>{t("money.downloadReceipt")}</a>
            <Link to={`/verify/receipt/${payment.reference}`}>{t("money.verify")}</Link>
          </p>
        </div>
      ) : null}

      {payment.status === "pending" && payment.awaitingConfirmation ? (
        <div className="notice" role="status">
          {t("billing.awaitingConfirmation")}
        </div>
      ) : null}

      {payment.status === "pending" && !payment.awaitingConfirmation ? (
        <section aria-labelledby="how-to-pay">
          <h2 id="how-to-pay">{t("billing.howToPay")}</h2>
          <h3>{t("billing.byTransfer")}</h3>
          {hasBank ? (
            <>
              <p>{t("billing.quoteReference")}</p>
              <p className="reference-callout" dir="ltr">
                {payment.reference}
              </p>
              <dl className="facts">
                <div>
                  <dt>{t("billing.bankName")}</dt>
                  <dd>{instructions.bankName}</dd>
                </div>
                <div>
                  <dt>{t("billing.accountName")}</dt>
                  <dd>{instructions.accountName}</dd>
                </div>
                <div>
                  <dt>{t("billing.iban")}</dt>
                  <dd dir="ltr">
                    <code>{instructions.iban}</code>
                  </dd>
                </div>
              </dl>
            </>
          ) : (
            <p>{t("billing.noInstructions")}</p>
          )}
          {instructions.counter ? (
            <>
              <h3>{t("billing.atCounter")}</h3>
              <p className="preserve-lines">{instructions.counter}</p>
            </>
          ) : null}
          <h3>{t("billing.byCard")}</h3>
          {loaderData.cardAvailable && loaderData.canPay ? (
            <Form method="post">
              <p>{t("billing.cardNote")}</p>
              <Button>{t("billing.payByCard", { amount: payment.amount })}</Button>
            </Form>
          ) : (
            <p>{t("billing.cardUnavailable")}</p>
          )}
        </section>
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
