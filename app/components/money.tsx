import type { ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { DataTable, StatusTag } from "./ui.tsx";

/** Shared pieces of the billing (business) and finance (agency) pages. */

const STATUS_TONE = { pending: "warning", captured: "success", failed: "neutral" } as const;

export function PaymentStatusTag({ status }: { status: keyof typeof STATUS_TONE }) {
  const { t } = useTranslation();
  return <StatusTag tone={STATUS_TONE[status]}>{t(`money.status.${status}`)}</StatusTag>;
}

export interface PaymentFactsView {
  feeType: string;
  amount: string;
  status: keyof typeof STATUS_TONE;
  method: string;
  providerReference?: string | null;
  createdAt: string | null;
  capturedAt: string | null;
  /** Formatted, or null when nothing was refunded. */
  refunded: string | null;
}

/** The facts of one payment; `party` is the other side (the agency for a business, the payer for an agency). */
export function PaymentFacts({
  party,
  payment,
}: {
  party: { label: string; name: string };
  payment: PaymentFactsView;
}) {
  const { t } = useTranslation();
  const fact = (label: string, value: ReactNode, ltr = false) => (
    <div>
      <dt>{label}</dt>
      <dd dir={ltr ? "ltr" : undefined}>{value}</dd>
    </div>
  );
  return (
    <dl className="facts">
      {fact(party.label, party.name)}
      {fact(t("money.fee"), t(`fees.${payment.feeType}`, t("fees.other")))}
      {fact(t("money.amount"), payment.amount, true)}
      {fact(t("money.statusLabel"), <PaymentStatusTag status={payment.status} />)}
      {fact(t("billing.created"), payment.createdAt, true)}
      {payment.capturedAt ? fact(t("billing.paidOn"), payment.capturedAt, true) : null}
      {payment.capturedAt
        ? fact(
            t("money.methodLabel"),
            <>
              {t(`money.method.${payment.method}`, payment.method)}
              {payment.providerReference ? (
                <>
                  {" "}
                  <code dir="ltr">{payment.providerReference}</code>
                </>
              ) : null}
            </>,
          )
        : null}
      {payment.refunded ? fact(t("billing.refunded"), payment.refunded, true) : null}
    </dl>
  );
}

export interface RefundRowView {
  id: string;
  /** The refund's receipt number (payment reference and -R<n>), when shown with its receipt. */
  number?: string;
  amount: string;
  reason: string;
  note?: string | null;
  method: string;
  date: string | null;
  /** The payment it refunds, for lists across payments. */
  payment?: { href: string; reference: string };
}

/** Refunds, with their receipts when numbered. */
export function RefundsTable({ refunds }: { refunds: RefundRowView[] }) {
  const { t } = useTranslation();
  const reason = (r: RefundRowView) =>
    r.note ? `${t(`money.refundReason.${r.reason}`)}: ${r.note}` : t(`money.refundReason.${r.reason}`);
  return (
    <DataTable
      captionHidden
      caption={t("billing.refunds")}
      rows={refunds}
      rowKey={(r) => r.id}
      columns={[
        ...(refunds.some((r) => r.payment)
          ? [
              {
                key: "payment",
                header: t("money.reference"),
                cell: (r: RefundRowView) =>
                  r.payment ? (
                    <Link to={r.payment.href} dir="ltr">
                      {r.payment.reference}
                    </Link>
                  ) : null,
              },
            ]
          : []),
        ...(refunds.some((r) => r.number)
          ? [
              {
                key: "receipt",
                header: t("money.receipt"),
                cell: (r: RefundRowView) => (
                  <a href={`/receipts/${r.number}/pdf`} dir="ltr">
                    {r.number}
                  </a>
                ),
              },
            ]
          : []),
        {
          key: "amount",
          header: t("money.amount"),
          numeric: true,
          cell: (r) => <span dir="ltr">{r.amount}</span>,
        },
        { key: "reason", header: t("money.reason"), cell: reason },
        { key: "method", header: t("money.methodLabel"), cell: (r) => t(`money.method.${r.method}`) },
        { key: "date", header: t("money.date"), cell: (r) => <span dir="ltr">{r.date}</span> },
      ]}
    />
  );
}
