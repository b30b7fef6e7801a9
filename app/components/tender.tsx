import type { ReactNode } from "react";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import type { TenderPhase } from "#app/modules/tenders/tender-rules.ts";
import type { TenderSummary } from "#app/modules/tenders/tender-view.ts";
import { DataTable, StatusTag } from "./ui.tsx";

/** Shared pieces of the public tender page and the officers' tender page. */

const PHASE_TONE: Record<TenderPhase, "neutral" | "info" | "success" | "warning" | "danger"> = {
  draft: "neutral",
  awaiting_approval: "info",
  open: "success",
  closing_soon: "warning",
  closed: "info",
  opened: "neutral",
  awarded: "success",
  partly_awarded: "info",
  cancelled: "danger",
};

export function TenderPhaseTag({ phase }: { phase: TenderPhase }) {
  const { t } = useTranslation();
  return <StatusTag tone={PHASE_TONE[phase]}>{t(`tenders.phase.${phase}`)}</StatusTag>;
}

export function TenderFacts({ tender, agency }: { tender: TenderSummary; agency?: string }) {
  const { t } = useTranslation();
  const fact = (label: string, value: ReactNode, ltr = false) =>
    value ? (
      <div>
        <dt>{label}</dt>
        <dd dir={ltr ? "ltr" : undefined}>{value}</dd>
      </div>
    ) : null;
  return (
    <dl className="facts">
      {fact(t("tenders.reference"), tender.reference, true)}
      {agency ? fact(t("tenders.agency"), agency) : null}
      {fact(t("tenders.status"), <TenderPhaseTag phase={tender.phase} />)}
      {fact(t("tenders.method"), t(`tenders.methods.${tender.method}`))}
      {fact(t("tenders.category"), t(`tenders.categories.${tender.category}`))}
      {fact(t("tenders.estimatedValue"), tender.estimatedValue, true)}
      {fact(t("tenders.enquiryDeadline"), tender.enquiryDeadline, true)}
      {fact(t("tenders.submissionDeadline"), tender.submissionDeadline, true)}
      {fact(t("tenders.openingAt"), tender.openingAt, true)}
      {fact(t("tenders.documentFee"), tender.documentFee ?? t("tenders.free"), Boolean(tender.documentFee))}
      {fact(
        t("tenders.submissionFee"),
        tender.submissionFee ?? t("tenders.free"),
        Boolean(tender.submissionFee),
      )}
      {fact(t("tenders.bidSecurity"), tender.bidSecurity ?? t("tenders.free"), Boolean(tender.bidSecurity))}
      {fact(
        t("tenders.eligibility"),
        <>
          {tender.requireVerified ? t("tenders.verifiedOnly") : null}
          {tender.requiredPermitType ? (
            <>
              {tender.requireVerified ? " · " : null}
              {t("tenders.permitRequired", { type: tender.requiredPermitType })}
            </>
          ) : null}
        </>,
      )}
      {tender.cpvCodes.length ? fact(t("tenders.classification"), tender.cpvCodes.join("، "), true) : null}
    </dl>
  );
}

export interface LotView {
  id: string;
  number: number;
  title: string;
  items: Array<{ id: string; description: string; quantity: string; unit: string }>;
}

/** Lots with their items; `itemAction` adds a control per item (e.g. remove, for drafts). */
export function LotsList({
  lots,
  itemAction,
}: {
  lots: LotView[];
  itemAction?: (itemId: string) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      {lots.map((lot) => (
        <section key={lot.id} aria-labelledby={`lot-${lot.id}`}>
          <h3 id={`lot-${lot.id}`}>
            {t("tenders.lot", { number: lot.number })}: {lot.title}
          </h3>
          <DataTable
            captionHidden
            caption={t("tenders.items")}
            rows={lot.items}
            rowKey={(i) => i.id}
            columns={[
              { key: "description", header: t("tenders.items"), cell: (i) => i.description },
              {
                key: "quantity",
                header: t("tenders.quantity"),
                numeric: true,
                cell: (i) => <span dir="ltr">{i.quantity}</span>,
              },
              { key: "unit", header: t("tenders.unit"), cell: (i) => i.unit },
              ...(itemAction
                ? [
                    {
                      key: "action",
                      header: t("tenders.remove"),
                      cell: (i: LotView["items"][number]) => itemAction(i.id),
                    },
                  ]
                : []),
            ]}
          />
        </section>
      ))}
    </>
  );
}

export function CriteriaList({
  criteria,
  action,
}: {
  criteria: TenderSummary["criteria"];
  /** A control per criterion (e.g. remove, for drafts). */
  action?: (key: string) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <DataTable
      captionHidden
      caption={t("tenders.criteria")}
      rows={criteria}
      rowKey={(c) => c.key}
      columns={[
        { key: "name", header: t("tenders.criteria"), cell: (c) => c.name },
        { key: "kind", header: t("tenders.kind"), cell: (c) => t(`tenders.kinds.${c.kind}`) },
        {
          key: "weight",
          header: t("tenders.weight"),
          numeric: true,
          cell: (c) => (c.kind === "pass_fail" ? "—" : `${c.weight}`),
        },
        ...(action
          ? [
              {
                key: "action",
                header: t("tenders.remove"),
                cell: (c: TenderSummary["criteria"][number]) => action(c.key),
              },
            ]
          : []),
      ]}
    />
  );
}

export interface OpeningRow {
  key: string;
  bidder: string;
  lot: number;
  price: string;
  receivedAt: string;
}

/** The opening record: bidders, price per lot and time of receipt, as read at the opening. */
export function OpeningRecordTable({ rows }: { rows: OpeningRow[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      captionHidden
      caption={t("opening.record")}
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { key: "bidder", header: t("opening.bidder"), cell: (r) => r.bidder },
        { key: "lot", header: t("opening.lot"), numeric: true, cell: (r) => r.lot },
        {
          key: "price",
          header: t("opening.price"),
          numeric: true,
          cell: (r) => <span dir="ltr">{r.price}</span>,
        },
        { key: "at", header: t("opening.receivedAt"), cell: (r) => <span dir="ltr">{r.receivedAt}</span> },
      ]}
    />
  );
}

export interface AmendmentView {
  id: string;
  number: number;
  kind: "amendment" | "extension";
  reason: string;
  at: string;
  movedByRule: boolean;
  changes: Array<{ field: string; before: string; after: string }>;
}

/** Published amendments, each with its reason and every change's before and after. */
export function AmendmentsList({ amendments }: { amendments: AmendmentView[] }) {
  const { t } = useTranslation();
  return (
    <>
      {amendments.map((a) => (
        <section key={a.id} className="panel" aria-labelledby={`amendment-${a.id}`}>
          <h3 id={`amendment-${a.id}`}>
            {t(a.kind === "amendment" ? "amendments.number" : "amendments.extension", { number: a.number })}{" "}
            <small dir="ltr">{a.at}</small>
          </h3>
          <p>
            <strong>{t("amendments.reason")}:</strong> <span dir="auto">{a.reason}</span>
          </p>
          {a.movedByRule ? <p>{t("amendments.movedByRule")}</p> : null}
          <DataTable
            captionHidden
            caption={t("amendments.title")}
            rows={a.changes}
            rowKey={(c) => c.field}
            columns={[
              {
                key: "field",
                header: t("amendments.field"),
                cell: (c) => t(`amendments.fields.${c.field}`, c.field),
              },
              {
                key: "before",
                header: t("amendments.before"),
                cell: (c) => <span dir="auto">{c.before}</span>,
              },
              { key: "after", header: t("amendments.after"), cell: (c) => <span dir="auto">{c.after}</span> },
            ]}
          />
        </section>
      ))}
    </>
  );
}
