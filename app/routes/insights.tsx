import { Form, Link } from "react-router";
import { AreaChart, BarChart, ChartFigure, ColumnChart } from "#app/components/charts.tsx";
import { Button, SelectField } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { insightCharts } from "#app/modules/insights/insight-charts.ts";
import { insights } from "#app/modules/insights/insights.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/insights";

/** Where public money goes, drawn on the server: the page works without JavaScript. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const requested = (new URL(request.url).searchParams.get("currency") ?? "").slice(0, 3).toUpperCase();
  const data = await insights({ currency: requested }, context.get(servicesContext).database.db);
  const charts = insightCharts(data, lang, t);
  return {
    title: `${t("insights.title")} – ${t("meta.siteName")}`,
    lang,
    currency: data.currency ?? "",
    currencies: data.currencies.map((c) => ({ value: c.currency, label: `${c.currency} (${c.awards})` })),
    charts: charts.map((c) => ({ key: c.key, kind: c.kind, rows: c.rows })),
  };
}

export default function Insights({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  const query = d.currency ? `?currency=${d.currency}` : "";
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("insights.title")}</h1>
      <p className="lede">{t("insights.intro")}</p>
      <p>
        <Link to="/insights/red-flags">{t("insights.redFlagsLink")}</Link>
      </p>
      {d.currencies.length > 1 ? (
        <Form method="get" className="inline-form">
          <SelectField
            name="currency"
            label={t("insights.currency")}
            options={d.currencies}
            defaultValue={d.currency}
          />
          <Button variant="secondary">{t("insights.show")}</Button>
        </Form>
      ) : null}
      <div className="charts">
        {d.charts.map((c) => (
          <ChartFigure
            key={c.key}
            id={`chart-${c.key}`}
            title={t(`insights.charts.${c.key}.title`, { currency: d.currency })}
            note={t(`insights.charts.${c.key}.note`)}
            csvHref={`/insights/data/${c.key}.csv${query}`}
            data={c.rows}
            valueHeader={t(`insights.charts.${c.key}.value`, { currency: d.currency })}
          >
            {c.kind === "bars" ? (
              <BarChart
                data={c.rows}
                rtl={d.lang === "ar"}
                label={t(`insights.charts.${c.key}.title`, { currency: d.currency })}
              />
            ) : c.kind === "area" ? (
              <AreaChart
                data={c.rows}
                label={t(`insights.charts.${c.key}.title`, { currency: d.currency })}
              />
            ) : (
              <ColumnChart
                data={c.rows}
                label={t(`insights.charts.${c.key}.title`, { currency: d.currency })}
              />
            )}
          </ChartFigure>
        ))}
      </div>
    </>
  );
}
