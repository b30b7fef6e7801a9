import { useSearchParams } from "react-router";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { DataTable, StatusTag } from "./ui.tsx";

/** Shared pieces of the evaluation and award pages. */

export interface ResultRowView {
  bidId: string;
  rank: number;
  bidder: string;
  price: string;
  technical: string;
  financial: string;
  total: string;
  criteria: Array<{ key: string; score: string; consensus: boolean }>;
  abnormallyLow: boolean;
  justified: boolean;
  eligibleToWin: boolean;
}

/** One lot's ranking: rank, bidder, price, the committee score per technical criterion, totals and flags. */
export function ResultTable({
  caption,
  rows,
  technical,
  highlight,
}: {
  caption: string;
  rows: ResultRowView[];
  technical: Array<{ key: string; name: string; weight: number }>;
  highlight?: string | null;
}) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={caption}
      captionHidden
      rows={rows}
      rowKey={(r) => r.bidId}
      columns={[
        { key: "rank", header: t("evaluation.rank"), numeric: true, cell: (r) => r.rank },
        {
          key: "bidder",
          header: t("evaluation.bidder"),
          cell: (r) => (r.bidId === highlight ? <strong>{r.bidder}</strong> : r.bidder),
        },
        {
          key: "price",
          header: t("evaluation.price"),
          numeric: true,
          cell: (r) => <span dir="ltr">{r.price}</span>,
        },
        ...technical.map((c) => ({
          key: c.key,
          header: `${c.name} (${c.weight})`,
          numeric: true,
          cell: (r: ResultRowView) => {
            const s = r.criteria.find((x) => x.key === c.key);
            return s ? (
              <span dir="ltr">
                {s.score}
                {s.consensus ? ` ${t("evaluation.consensusMark")}` : ""}
              </span>
            ) : null;
          },
        })),
        {
          key: "technical",
          header: t("evaluation.technical"),
          numeric: true,
          cell: (r) => <span dir="ltr">{r.technical}</span>,
        },
        {
          key: "financial",
          header: t("evaluation.financial"),
          numeric: true,
          cell: (r) => <span dir="ltr">{r.financial}</span>,
        },
        {
          key: "total",
          header: t("evaluation.total"),
          numeric: true,
          cell: (r) => <strong dir="ltr">{r.total}</strong>,
        },
        {
          key: "flags",
          header: t("evaluation.flags"),
          cell: (r) =>
            r.abnormallyLow ? (
              <StatusTag tone={r.justified ? "info" : "warning"}>
                {r.justified ? t("evaluation.lowJustified") : t("evaluation.lowNotJustified")}
              </StatusTag>
            ) : null,
        },
      ]}
    />
  );
}

export function ExcludedList({
  rows,
}: {
  rows: Array<{ bidId: string; bidder: string; price: string; reasons: string[] }>;
}) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  return (
    <>
      <h4>{t("evaluation.excludedTitle")}</h4>
      <ul>
        {rows.map((r) => (
          <li key={r.bidId}>
            {r.bidder} (<span dir="ltr">{r.price}</span>): {r.reasons.join("; ")}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A confirmation after a redirect (`?done=key`), only for the keys the page lists. */
export function DoneNotice({ messages }: { messages: Record<string, string> }) {
  const [search] = useSearchParams();
  const key = search.get("done");
  if (!key || !Object.hasOwn(messages, key)) return null;
  return (
    <div className="notice" role="status">
      {messages[key]}
    </div>
  );
}
