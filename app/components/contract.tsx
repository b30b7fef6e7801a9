import type { ReactNode } from "react";
import type { ContractView } from "#app/modules/contracts/contract-view.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { DataTable, type FieldErrors, StatusTag, TextField, type Tone } from "./ui.tsx";

/** Pieces the officer's and the supplier's contract pages share. */

const CONTRACT_TONE: Record<string, Tone> = {
  awaiting_acceptance: "info",
  accepted: "warning",
  signed: "success",
};
const INVOICE_TONE: Record<string, Tone> = {
  submitted: "info",
  approved: "warning",
  rejected: "danger",
  paid: "success",
};

export function ContractStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <StatusTag tone={CONTRACT_TONE[status] ?? "neutral"}>
      {t(`contracts.status.${status}` as "contracts.status.signed")}
    </StatusTag>
  );
}

export function InvoiceStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <StatusTag tone={INVOICE_TONE[status] ?? "neutral"}>
      {t(`contracts.invoiceStatus.${status}` as "contracts.invoiceStatus.paid")}
    </StatusTag>
  );
}

/** A contract's period: two calendar days, each kept whole and left to right in either language. */
export function Period({ from, to }: { from: string; to: string }) {
  return (
    <>
      <bdi className="nowrap" dir="ltr">
        {from}
      </bdi>
      {" – "}
      <bdi className="nowrap" dir="ltr">
        {to}
      </bdi>
    </>
  );
}

export function ContractFacts({ c, party }: { c: ContractView; party: "agency" | "supplier" }) {
  const { t } = useTranslation();
  return (
    <dl className="facts">
      <dt>{t("contracts.reference")}</dt>
      <dd>
        <span dir="ltr">{c.reference}</span>
      </dd>
      <dt>{t("contracts.statusLabel")}</dt>
      <dd>
        <ContractStatusTag status={c.status} />
      </dd>
      <dt>{t("contracts.lot")}</dt>
      <dd>
        {c.lotNumber}. {c.lot}
      </dd>
      <dt>{party === "agency" ? t("contracts.supplier") : t("contracts.agency")}</dt>
      <dd>{party === "agency" ? c.supplier : c.agency}</dd>
      <dt>{t("contracts.value")}</dt>
      <dd>
        <strong>{c.value}</strong>
      </dd>
      <dt>{t("contracts.period")}</dt>
      <dd>
        <Period from={c.startsOn} to={c.endsOn} />
      </dd>
      <dt>{t("contracts.version")}</dt>
      <dd>{c.version}</dd>
      <dt>{t("contracts.createdBy")}</dt>
      <dd>{t("contracts.byAt", { name: c.createdBy, at: c.createdAt })}</dd>
      {c.acceptedBy ? (
        <>
          <dt>{t("contracts.acceptedBy")}</dt>
          <dd>{t("contracts.byAt", { name: c.acceptedBy, at: c.acceptedAt })}</dd>
        </>
      ) : null}
      {c.signedBy ? (
        <>
          <dt>{t("contracts.signedBy")}</dt>
          <dd>{t("contracts.byAt", { name: c.signedBy, at: c.signedAt })}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function ContractBooks({ c }: { c: ContractView }) {
  const { t } = useTranslation();
  const rows = (["contracted", "invoiced", "paid", "committed", "payable"] as const).map((key) => ({
    key,
    label: t(`contracts.books.${key}`),
    amount: c.books[key],
  }));
  return (
    <DataTable
      caption={t("contracts.books.title")}
      captionHidden
      columns={[
        { key: "label", header: t("contracts.books.lead"), cell: (r) => r.label },
        { key: "amount", header: t("contracts.amount"), cell: (r) => r.amount, numeric: true },
      ]}
      rows={rows}
      rowKey={(r) => r.key}
    />
  );
}

export function MilestonesTable({
  c,
  deliver,
}: {
  c: ContractView;
  /** A form to mark an undelivered milestone delivered, for those who may. */
  deliver?: (m: ContractView["milestones"][number]) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={t("contracts.milestonesTitle")}
      captionHidden
      columns={[
        { key: "n", header: "#", cell: (m) => m.position, numeric: true },
        { key: "title", header: t("contracts.milestone"), cell: (m) => <bdi>{m.title}</bdi> },
        {
          key: "due",
          header: t("contracts.dueOn"),
          cell: (m) => (
            <span dir="ltr" className="nowrap">
              {m.dueOn}
            </span>
          ),
        },
        { key: "amount", header: t("contracts.amount"), cell: (m) => m.amount, numeric: true },
        { key: "invoiced", header: t("contracts.invoiced"), cell: (m) => m.invoiced, numeric: true },
        { key: "paid", header: t("contracts.books.paid"), cell: (m) => m.paid, numeric: true },
        {
          key: "delivery",
          header: t("contracts.delivery"),
          cell: (m) =>
            m.delivered ? (
              <>
                <StatusTag tone="success">
                  {t("contracts.deliveredLine", { at: m.deliveredAt, name: m.deliveredBy })}
                </StatusTag>
                <FreeText text={m.deliveryNote} />
              </>
            ) : (
              <>
                <p>{t("contracts.notDelivered")}</p>
                {deliver?.(m)}
              </>
            ),
        },
      ]}
      rows={c.milestones}
      rowKey={(m) => m.id}
    />
  );
}

export function InvoicesTable({
  c,
  documentHref,
  actions,
}: {
  c: ContractView;
  documentHref: (invoiceId: string) => string;
  actions?: (i: ContractView["invoices"][number]) => ReactNode;
}) {
  const { t } = useTranslation();
  if (c.invoices.length === 0) return <p>{t("contracts.noInvoices")}</p>;
  return (
    <DataTable
      caption={t("contracts.invoicesTitle")}
      captionHidden
      columns={[
        { key: "number", header: t("contracts.invoiceNumber"), cell: (i) => <bdi>{i.number}</bdi> },
        { key: "milestone", header: t("contracts.milestone"), cell: (i) => <bdi>{i.milestone}</bdi> },
        { key: "amount", header: t("contracts.amount"), cell: (i) => i.amount, numeric: true },
        {
          key: "submitted",
          header: t("contracts.submitted"),
          cell: (i) => t("contracts.byAt", { name: i.submittedBy, at: i.submittedAt }),
        },
        {
          key: "document",
          header: t("contracts.document"),
          cell: (i) =>
            i.document ? (
              <a href={documentHref(i.id)} download>
                <bdi>{i.document.name}</bdi>
              </a>
            ) : (
              "—"
            ),
        },
        {
          key: "status",
          header: t("contracts.invoiceStatusLabel"),
          cell: (i) => (
            <>
              <InvoiceStatusTag status={i.status} />
              {i.status === "rejected" ? (
                <p dir="auto">
                  {t("contracts.rejectedBecause", { name: i.decidedBy, reason: i.rejectReason })}
                </p>
              ) : null}
              {i.status === "approved" || i.status === "paid" ? (
                <p>{t("contracts.approvedLine", { at: i.decidedAt, name: i.decidedBy })}</p>
              ) : null}
              {i.status === "paid" ? (
                <p>
                  {t("contracts.paidLine", {
                    at: i.paidAt,
                    name: i.paidBy,
                    reference: `\u2066${i.paymentReference}\u2069`,
                  })}
                </p>
              ) : null}
              {actions?.(i)}
            </>
          ),
        },
      ]}
      rows={c.invoices}
      rowKey={(i) => i.id}
    />
  );
}

/** Text people typed, line by line, each line in its own direction (a note may mix Arabic and English). */
export function FreeText({ text }: { text: string }) {
  return (
    <p className="free-text">
      {text.split("\n").map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one text, in order
        <bdi key={i}>{line}</bdi>
      ))}
    </p>
  );
}

export function AmendmentsList({ c }: { c: ContractView }) {
  const { t } = useTranslation();
  if (c.amendments.length === 0) return <p>{t("contracts.noAmendments")}</p>;
  return (
    <ul className="timeline contract-amendments">
      {c.amendments.map((a) => (
        <li key={a.id}>
          <strong>{t("contracts.amendmentLine", { version: a.version, at: a.at, name: a.by })}</strong>
          <FreeText text={a.reason} />
          <ul>
            {a.value ? <li>{t("contracts.changeValue", a.value)}</li> : null}
            {a.period ? <li>{t("contracts.changePeriod", a.period)}</li> : null}
            {a.milestones.map((m) => (
              <li key={m.text}>{t(`contracts.milestoneChange.${m.kind}`, { text: m.text })}</li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

export interface MilestoneRowValues {
  id?: string | null;
  titleAr: string;
  titleEn: string;
  dueOn: string;
  amount: string;
}

/** Milestone rows of a form, the given ones then `blanks` empty rows (empty rows are ignored by the server). */
export function MilestoneRowsFields({
  rows,
  blanks,
  errors,
}: {
  rows: MilestoneRowValues[];
  blanks: number;
  errors: FieldErrors;
}) {
  const { t } = useTranslation();
  const all = [
    ...rows,
    ...Array.from(
      { length: blanks },
      (): MilestoneRowValues => ({ titleAr: "", titleEn: "", dueOn: "", amount: "" }),
    ),
  ];
  return (
    <>
      {all.map((row, i) => {
        const name = (field: string) => `milestones.${i}.${field}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the rows are positions of a form, not records
          <fieldset key={i} className="fieldset milestone-row">
            <legend>{t("contracts.milestoneNumber", { n: i + 1 })}</legend>
            {row.id ? <input type="hidden" name={name("id")} value={row.id} /> : null}
            <TextField
              name={name("titleAr")}
              label={t("contracts.titleAr")}
              defaultValue={row.titleAr}
              dir="rtl"
              error={errors[name("titleAr")]}
            />
            <TextField
              name={name("titleEn")}
              label={t("contracts.titleEn")}
              defaultValue={row.titleEn}
              dir="ltr"
              error={errors[name("titleEn")]}
            />
            <TextField
              name={name("dueOn")}
              type="date"
              label={t("contracts.dueOn")}
              defaultValue={row.dueOn}
              error={errors[name("dueOn")]}
            />
            <TextField
              name={name("amount")}
              label={t("contracts.amount")}
              defaultValue={row.amount}
              inputMode="decimal"
              dir="ltr"
              error={errors[name("amount")]}
            />
          </fieldset>
        );
      })}
    </>
  );
}

export interface PublicContractView {
  id: string;
  reference: string;
  lotNumber: number;
  lot: string;
  supplier: string;
  value: string;
  startsOn: string;
  endsOn: string;
  signedAt: string;
  signedBy: string;
  delivered: number;
  total: number;
  paid: string;
  paidPercent: number;
}

/** The public summary of a tender's signed contracts (transparency: who, how much, how far, paid to date). */
export function PublicContracts({ contracts }: { contracts: PublicContractView[] }) {
  const { t } = useTranslation();
  if (contracts.length === 0) return null;
  return (
    <>
      <h2 id="contracts">{t("contracts.publicTitle")}</h2>
      <ul className="contract-summary">
        {contracts.map((c) => (
          <li key={c.id}>
            <p>
              {t("contracts.publicLine", {
                lot: t("evaluation.lot", { number: c.lotNumber }),
                reference: `\u2066${c.reference}\u2069`,
                supplier: c.supplier,
                value: c.value,
              })}
            </p>
            <p>
              {t("contracts.period")}: <Period from={c.startsOn} to={c.endsOn} />
            </p>
            <p>{t("contracts.publicSigned", { at: c.signedAt, name: c.signedBy })}</p>
            <p>{t("contracts.publicMilestones", { delivered: c.delivered, total: c.total })}</p>
            <p>{t("contracts.publicPaid", { paid: c.paid })}</p>
            <progress
              className="contract-progress"
              max={100}
              value={c.paidPercent}
              aria-label={t("contracts.progressLabel")}
            >
              {c.paidPercent}%
            </progress>
          </li>
        ))}
      </ul>
    </>
  );
}
