import { stringify } from "csv-stringify/sync";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { CHARTS, type ChartKey, insightCharts } from "#app/modules/insights/insight-charts.ts";
import { flaggedAwards, insights } from "#app/modules/insights/insights.server.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/insights.data.$chart";

/** The data behind each chart (and the red-flag list) as CSV, for anyone to check or reuse. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const name = params.chart.replace(/\.csv$/, "");
  const db = context.get(servicesContext).database.db;
  let columns: string[];
  let records: Array<Array<string | number>>;
  if (name === "red-flags") {
    const flagged = await flaggedAwards(db, 5000);
    columns = ["tender_reference", "agency", "winner", "amount", "currency", "decided_at", "flags"];
    records = flagged.map((f) => [
      f.reference,
      f.agency.nameEn,
      f.winner.nameEn,
      toDecimalString({ amount: f.price, currency: f.currency }),
      f.currency,
      f.decidedAt.toISOString(),
      f.flags.map((x) => x.kind).join(" "),
    ]);
  } else if ((CHARTS as readonly string[]).includes(name)) {
    const currency = (new URL(request.url).searchParams.get("currency") ?? "").slice(0, 3).toUpperCase();
    const chart = insightCharts(await insights({ currency }, db), "en", t).find(
      (c) => c.key === (name as ChartKey),
    )!;
    ({ columns, records } = chart.csv);
  } else {
    throw new Response("Not found", { status: 404 });
  }
  return new Response(stringify(records, { header: true, columns }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="shafaf-${name}.csv"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
