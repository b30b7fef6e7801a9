import type { TFunction } from "i18next";
import { exponentOf, toDecimalString } from "#app/modules/ledger/money.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import type { Insights } from "./insights.server.ts";

/**
 * The charts of the insights page, each as the rows people read (label and
 * formatted value), the numbers the picture is drawn from, and the same data
 * for the CSV download (stable English column names, raw values).
 */

export const CHARTS = [
  "sector",
  "division",
  "agency",
  "month",
  "bids",
  "single-bid",
  "days-to-award",
  "estimate",
] as const;
export type ChartKey = (typeof CHARTS)[number];

export interface ChartRow {
  key: string;
  label: string;
  value: number;
  display: string;
}

export interface Chart {
  key: ChartKey;
  kind: "bars" | "columns" | "area";
  rows: ChartRow[];
  csv: { columns: string[]; records: Array<Array<string | number>> };
}

type Lang = "ar" | "en";
const nameOf = (lang: Lang, n: { nameAr: string; nameEn: string }) => (lang === "ar" ? n.nameAr : n.nameEn);

/** Minor units → a number of major units, for drawing only. */
function major(amount: bigint, currency: string): number {
  return Number(amount) / 10 ** exponentOf(currency);
}

export function insightCharts(data: Insights, lang: Lang, t: TFunction): Chart[] {
  const cur = data.currency ?? "";
  const money = (amount: bigint) => moneyText(amount, cur, lang);
  const amountCsv = (amount: bigint) => toDecimalString({ amount, currency: cur });
  const spending = (
    key: ChartKey,
    kind: Chart["kind"],
    rows: Array<{ key: string; label: string; amount: bigint; awards: number }>,
    column: string,
  ): Chart => ({
    key,
    kind,
    rows: rows.map((r) => ({
      key: r.key,
      label: r.label,
      value: major(r.amount, cur),
      display: money(r.amount),
    })),
    csv: {
      columns: [column, "amount", "currency", "awards"],
      records: rows.map((r) => [r.key, amountCsv(r.amount), cur, r.awards]),
    },
  });
  return [
    spending(
      "sector",
      "bars",
      data.bySector.map((s) => ({ ...s, key: s.category, label: t(`tenders.categories.${s.category}`) })),
      "category",
    ),
    spending(
      "division",
      "bars",
      data.byDivision.map((d) => ({
        ...d,
        key: d.division,
        label: t("insights.division", { code: d.division }),
      })),
      "cpv_division",
    ),
    spending(
      "agency",
      "bars",
      data.byAgency.map((a) => ({ ...a, label: nameOf(lang, a) })),
      "agency",
    ),
    spending(
      "month",
      "area",
      data.byMonth.map((m) => ({ ...m, key: m.month, label: m.month })),
      "month",
    ),
    {
      key: "bids",
      kind: "columns",
      rows: data.bidsPerTender.map((b) => ({
        key: b.bids,
        label: b.bids,
        value: b.tenders,
        display: String(b.tenders),
      })),
      csv: { columns: ["bids", "tenders"], records: data.bidsPerTender.map((b) => [b.bids, b.tenders]) },
    },
    {
      key: "single-bid",
      kind: "bars",
      rows: data.singleBid.map((s) => {
        const percent = s.opened ? Math.round((100 * s.singleBid) / s.opened) : 0;
        return {
          key: s.key,
          label: nameOf(lang, s),
          value: percent,
          display: t("insights.percentOf", { percent, count: s.singleBid, total: s.opened }),
        };
      }),
      csv: {
        columns: ["agency", "opened_tenders", "single_bid_tenders"],
        records: data.singleBid.map((s) => [nameOf("en", s), s.opened, s.singleBid]),
      },
    },
    {
      key: "days-to-award",
      kind: "bars",
      rows: data.daysToAward
        .filter((d) => d.medianDays !== null)
        .map((d) => ({
          key: d.key,
          label: nameOf(lang, d),
          value: d.medianDays!,
          display: t("insights.days", { count: d.medianDays! }),
        })),
      csv: {
        columns: ["agency", "awards", "median_days"],
        records: data.daysToAward.map((d) => [nameOf("en", d), d.awards, d.medianDays ?? ""]),
      },
    },
    {
      key: "estimate",
      kind: "columns",
      rows: data.versusEstimate.map((b) => ({
        key: b.band,
        label: `${b.band}%`,
        value: b.awards,
        display: String(b.awards),
      })),
      csv: {
        columns: ["percent_of_estimate", "awards"],
        records: data.versusEstimate.map((b) => [b.band, b.awards]),
      },
    },
  ];
}
