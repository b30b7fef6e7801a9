import { Link } from "react-router";
import { RefundsTable } from "#app/components/money.tsx";
import { DataTable, EmptyState, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { financeOverview } from "#app/modules/payments/finance-overview.server.ts";
import { moneyText, utcMinute } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/finance";

/** Ledger accounts an agency holds carry credit balances (negative): shown as the amount held or received. */
const CREDIT_PURPOSES = new Set([
  "agency_revenue",
  "bid_security_escrow",
  "refunds_payable",
  "contract_commitments",
  "contract_payables",
]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const o = await financeOverview(actor, context.get(servicesContext).database.db).catch(throwAsResponse);
  const payerName = (p: { payerNameAr: string; payerNameEn: string }) =>
    lang === "ar" ? p.payerNameAr : p.payerNameEn;
  return {
    title: `${t("finance.title")} – ${t("meta.siteName")}`,
    agency: lang === "ar" ? o.agency.nameAr : o.agency.nameEn,
    balances: o.balances.map((a) => ({
      id: a.id,
      purpose: a.purpose,
      feeType: a.feeType,
      balance: moneyText(CREDIT_PURPOSES.has(a.purpose) ? -a.balance : a.balance, a.currency, lang),
    })),
    awaiting: o.awaiting.map((r) => ({
      id: r.id,
      paymentId: r.paymentId,
      reference: r.reference,
      payer: payerName(r),
      amount: moneyText(r.amount, r.currency, lang),
      recordedBy: r.recordedByName,
      date: utcMinute(r.recordedAt),
    })),
    pending: o.pending.map((p) => ({
      id: p.id,
      reference: p.reference,
      payer: payerName(p),
      feeType: p.feeType,
      amount: moneyText(p.amount, p.currency, lang),
      date: utcMinute(p.createdAt),
    })),
    received: o.received.map((p) => ({
      id: p.id,
      reference: p.reference,
      payer: payerName(p),
      feeType: p.feeType,
      amount: moneyText(p.amount, p.currency, lang),
      method: p.method,
      date: utcMinute(p.capturedAt),
    })),
    refunds: o.refunds.map((r) => ({
      id: r.id,
      payment: { href: `/finance/payments/${r.paymentId}`, reference: r.reference },
      amount: moneyText(r.amount, r.currency, lang),
      reason: r.reason,
      note: r.note,
      method: r.method,
      date: utcMinute(r.createdAt),
    })),
    held: o.held.map((h) => ({
      id: h.id,
      business: lang === "ar" ? h.businessNameAr : h.businessNameEn,
      subject: h.subject,
      amount: moneyText(h.amount, h.currency, lang),
      date: utcMinute(h.createdAt),
    })),
    unmatchedLines: o.unmatchedLines,
  };
}

export default function Finance({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const paymentLink = (p: { id: string; reference: string }) => (
    <Link to={`/finance/payments/${p.id}`} dir="ltr">
      {p.reference}
    </Link>
  );
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("finance.title")}</h1>
      <p className="lead">{t("finance.lead", { agency: d.agency })}</p>
      <nav className="actions" aria-label={t("finance.title")}>
        <Link to="/finance/fees">{t("finance.fees")}</Link>
        <Link to="/finance/statements">{t("finance.statements")}</Link>
        <Link to="/finance/reconciliation">{t("finance.reconciliation")}</Link>
      </nav>
      {d.unmatchedLines > 0 ? (
        <div className="notice notice--warning" role="status">
          {t("finance.unmatched", { count: d.unmatchedLines })}{" "}
          <Link to="/finance/statements">{t("finance.review")}</Link>
        </div>
      ) : null}

      <h2>{t("finance.awaiting")}</h2>
      {d.awaiting.length === 0 ? (
        <EmptyState title={t("finance.noAwaiting")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("finance.awaiting")}
          rows={d.awaiting}
          rowKey={(r) => r.id}
          columns={[
            {
              key: "reference",
              header: t("money.reference"),
              cell: (r) => paymentLink({ id: r.paymentId, reference: r.reference }),
            },
            { key: "payer", header: t("finance.payer"), cell: (r) => r.payer },
            {
              key: "amount",
              header: t("money.amount"),
              numeric: true,
              cell: (r) => <span dir="ltr">{r.amount}</span>,
            },
            { key: "by", header: t("finance.recordedBy"), cell: (r) => r.recordedBy },
            { key: "date", header: t("money.date"), cell: (r) => <span dir="ltr">{r.date}</span> },
          ]}
        />
      )}

      <h2>{t("finance.pending")}</h2>
      {d.pending.length === 0 ? (
        <EmptyState title={t("finance.noPending")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("finance.pending")}
          rows={d.pending}
          rowKey={(p) => p.id}
          columns={[
            { key: "reference", header: t("money.reference"), cell: paymentLink },
            { key: "payer", header: t("finance.payer"), cell: (p) => p.payer },
            { key: "fee", header: t("money.fee"), cell: (p) => t(`fees.${p.feeType}`, t("fees.other")) },
            {
              key: "amount",
              header: t("money.amount"),
              numeric: true,
              cell: (p) => <span dir="ltr">{p.amount}</span>,
            },
            { key: "date", header: t("money.date"), cell: (p) => <span dir="ltr">{p.date}</span> },
          ]}
        />
      )}

      <h2>{t("finance.balances")}</h2>
      <DataTable
        captionHidden
        caption={t("finance.balances")}
        rows={d.balances}
        rowKey={(a) => a.id}
        columns={[
          {
            key: "account",
            header: t("finance.account"),
            cell: (a) =>
              a.feeType
                ? `${t(`money.purpose.${a.purpose}`, a.purpose)} · ${t(`fees.${a.feeType}`, t("fees.other"))}`
                : t(`money.purpose.${a.purpose}`, a.purpose),
          },
          {
            key: "balance",
            header: t("finance.balance"),
            numeric: true,
            cell: (a) => <span dir="ltr">{a.balance}</span>,
          },
        ]}
      />

      <h2>{t("finance.received")}</h2>
      {d.received.length === 0 ? (
        <EmptyState title={t("finance.noReceived")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("finance.received")}
          rows={d.received}
          rowKey={(p) => p.id}
          columns={[
            { key: "reference", header: t("money.reference"), cell: paymentLink },
            { key: "payer", header: t("finance.payer"), cell: (p) => p.payer },
            { key: "fee", header: t("money.fee"), cell: (p) => t(`fees.${p.feeType}`, t("fees.other")) },
            {
              key: "amount",
              header: t("money.amount"),
              numeric: true,
              cell: (p) => <span dir="ltr">{p.amount}</span>,
            },
            {
              key: "method",
              header: t("money.methodLabel"),
              cell: (p) => t(`money.method.${p.method}`, p.method),
            },
            { key: "date", header: t("money.date"), cell: (p) => <span dir="ltr">{p.date}</span> },
          ]}
        />
      )}

      <h2>{t("billing.refunds")}</h2>
      {d.refunds.length === 0 ? (
        <EmptyState title={t("billing.noRefunds")} />
      ) : (
        <RefundsTable refunds={d.refunds} />
      )}

      <h2>{t("finance.held")}</h2>
      {d.held.length === 0 ? (
        <EmptyState title={t("finance.noHeld")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("finance.held")}
          rows={d.held}
          rowKey={(h) => h.id}
          columns={[
            { key: "business", header: t("money.business"), cell: (h) => h.business },
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
              cell: () => <StatusTag tone="warning">{t("money.holdStatus.held")}</StatusTag>,
            },
            { key: "date", header: t("money.date"), cell: (h) => <span dir="ltr">{h.date}</span> },
          ]}
        />
      )}
    </>
  );
}
