import { Link } from "react-router";
import { RefundsTable } from "#app/components/money.tsx";
import { DataTable, EmptyState, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { billingOverview } from "#app/modules/payments/billing-overview.server.ts";
import { moneyText, utcMinute } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/billing";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const overview = await billingOverview(actor, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const name = (o: { payeeNameAr: string; payeeNameEn: string }) =>
    lang === "ar" ? o.payeeNameAr : o.payeeNameEn;
  return {
    title: `${t("billing.title")} – ${t("meta.siteName")}`,
    payments: overview.payments.map((p) => ({
      id: p.id,
      reference: p.reference,
      agency: name(p),
      feeType: p.feeType,
      amount: moneyText(p.amount, p.currency, lang),
      method: p.method,
      status: p.status,
      awaitingConfirmation: p.awaitingConfirmation,
      refunded: p.refundedAmount > 0n ? moneyText(p.refundedAmount, p.currency, lang) : null,
      date: utcMinute(p.capturedAt ?? p.createdAt),
    })),
    refunds: overview.refunds.map((r) => ({
      id: r.id,
      payment: { href: `/billing/payments/${r.paymentId}`, reference: r.reference },
      amount: moneyText(r.amount, r.currency, lang),
      reason: r.reason,
      method: r.method,
      date: utcMinute(r.createdAt),
    })),
    holds: overview.holds.map((h) => ({
      id: h.id,
      agency: lang === "ar" ? h.agencyNameAr : h.agencyNameEn,
      subject: h.subject,
      amount: moneyText(h.amount, h.currency, lang),
      status: h.status,
      date: utcMinute(h.resolvedAt ?? h.createdAt),
    })),
  };
}

const STATUS_TONE = { pending: "warning", captured: "success", failed: "neutral" } as const;
const HOLD_TONE = { held: "warning", released: "success", forfeited: "danger" } as const;

export default function Billing({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("billing.title")}</h1>
      <p className="lead">{t("billing.lead")}</p>

      <h2>{t("billing.payments")}</h2>
      {loaderData.payments.length === 0 ? (
        <EmptyState title={t("billing.noPayments")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("billing.payments")}
          rows={loaderData.payments}
          rowKey={(p) => p.id}
          columns={[
            {
              key: "reference",
              header: t("money.reference"),
              cell: (p) => (
                <Link to={`/billing/payments/${p.id}`} dir="ltr">
                  {p.reference}
                </Link>
              ),
            },
            { key: "agency", header: t("money.agency"), cell: (p) => p.agency },
            { key: "fee", header: t("money.fee"), cell: (p) => t(`fees.${p.feeType}`, t("fees.other")) },
            {
              key: "amount",
              header: t("money.amount"),
              numeric: true,
              cell: (p) => <span dir="ltr">{p.amount}</span>,
            },
            {
              key: "status",
              header: t("money.statusLabel"),
              cell: (p) => (
                <StatusTag tone={p.awaitingConfirmation ? "info" : STATUS_TONE[p.status]}>
                  {p.awaitingConfirmation
                    ? t("money.receiptStatus.awaiting_confirmation")
                    : t(`money.status.${p.status}`)}
                </StatusTag>
              ),
            },
            { key: "date", header: t("money.date"), cell: (p) => <span dir="ltr">{p.date}</span> },
          ]}
        />
      )}

      <h2>{t("billing.refunds")}</h2>
      {loaderData.refunds.length === 0 ? (
        <EmptyState title={t("billing.noRefunds")} />
      ) : (
        <RefundsTable refunds={loaderData.refunds} />
      )}

      <h2>{t("billing.holds")}</h2>
      {loaderData.holds.length === 0 ? (
        <EmptyState title={t("billing.noHolds")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("billing.holds")}
          rows={loaderData.holds}
          rowKey={(h) => h.id}
          columns={[
            { key: "agency", header: t("money.agency"), cell: (h) => h.agency },
            { key: "subject", header: t("money.subject"), cell: (h) => <span dir="ltr">{h.subject}</span> },
            {
              key: "amount",
              header: t("money.amount"),
              numeric: true,
              cell: (h) => <span dir="ltr">{h.amount}</span>,
            },
            {
              key: "status",
              header: t("money.statusLabel"),
              cell: (h) => (
                <StatusTag tone={HOLD_TONE[h.status]}>{t(`money.holdStatus.${h.status}`)}</StatusTag>
              ),
            },
            { key: "date", header: t("money.date"), cell: (h) => <span dir="ltr">{h.date}</span> },
          ]}
        />
      )}
    </>
  );
}
