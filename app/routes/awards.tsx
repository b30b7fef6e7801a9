import { Form, Link } from "react-router";
import { AwardTable } from "#app/components/award-table.tsx";
import { Button, EmptyState, Pagination, SelectField } from "#app/components/ui.tsx";
import { awardFilterParams, parseAwardFilters } from "#app/modules/explore/award-filters.ts";
import { awardRowView, totalsView } from "#app/modules/explore/explore-view.ts";
import { awardFilterOptions, listPublicAwards } from "#app/modules/explore/list-awards.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import exploreCss from "#app/styles/explore.css?url";
import { TENDER_CATEGORIES } from "#db/schema/tender-kinds.ts";
import type { Route } from "./+types/awards";

/**
 * The award explorer: every public award, newest first. A GET form, so every
 * view is a link and the page works without JavaScript; a value in the address
 * that cannot be right is ignored and named, never an error.
 */

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: exploreCss }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const db = context.get(servicesContext).database.db;
  const { filters, problems } = parseAwardFilters(new URL(request.url).searchParams);
  const [result, options] = await Promise.all([listPublicAwards(filters, db), awardFilterOptions(db)]);
  const name = (n: { nameAr: string; nameEn: string }) => (lang === "ar" ? n.nameAr : n.nameEn);
  const any = (label: string) => [{ value: "", label }];
  // A filter from a link (say, an agency with no award yet) stays visible in its control.
  const withCurrent = (options: Array<{ value: string; label: string }>, value: string | number | null) =>
    value === null || options.some((o) => o.value === String(value))
      ? options
      : [...options, { value: String(value), label: String(value) }];
  return {
    title: `${t("explore.awards.title")} – ${t("meta.siteName")}`,
    problems: problems.map((p) => String(t(`explore.awards.problems.${p}`))),
    form: {
      agency: filters.agency ?? "",
      supplier: filters.supplier ?? "",
      currency: filters.currency ?? "",
      year: filters.year === null ? "" : String(filters.year),
      category: filters.category ?? "",
    },
    filtered: awardFilterParams(filters, { page: 1 }).toString() !== "",
    options: {
      agencies: withCurrent(
        [
          ...any(t("explore.awards.anyAgency")),
          ...options.agencies.map((a) => ({ value: a.slug, label: `${name(a)} (${a.awards})` })),
        ],
        filters.agency,
      ),
      suppliers: withCurrent(
        [
          ...any(t("explore.awards.anySupplier")),
          ...options.suppliers.map((s) => ({ value: s.slug, label: `${name(s)} (${s.awards})` })),
        ],
        filters.supplier,
      ),
      currencies: withCurrent(
        [
          ...any(t("explore.awards.anyCurrency")),
          ...options.currencies.map((c) => ({ value: c.currency, label: `${c.currency} (${c.awards})` })),
        ],
        filters.currency,
      ),
      years: withCurrent(
        [
          ...any(t("explore.awards.anyYear")),
          ...options.years.map((y) => ({ value: String(y.year), label: `${y.year} (${y.awards})` })),
        ],
        filters.year,
      ),
      categories: [
        ...any(t("explore.awards.anyCategory")),
        ...TENDER_CATEGORIES.map((c) => ({ value: c, label: String(t(`tenders.categories.${c}`)) })),
      ],
    },
    total: result.total,
    totals: totalsView(result.totals, lang),
    rows: result.rows.map((a) => awardRowView(a, lang, t)),
    page: result.page,
    pages: result.pages,
    query: awardFilterParams(filters).toString(),
  };
}

export default function Awards({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("explore.awards.title")}</h1>
      <p className="lead">{t("explore.awards.lead")}</p>
      <Form method="get" className="queue-filters explore-filters" aria-label={t("explore.awards.filters")}>
        <SelectField
          name="agency"
          label={t("explore.awards.agency")}
          options={d.options.agencies}
          defaultValue={d.form.agency}
        />
        <SelectField
          name="supplier"
          label={t("explore.awards.supplier")}
          options={d.options.suppliers}
          defaultValue={d.form.supplier}
        />
        <SelectField
          name="currency"
          label={t("explore.awards.currency")}
          options={d.options.currencies}
          defaultValue={d.form.currency}
        />
        <SelectField
          name="year"
          label={t("explore.awards.year")}
          options={d.options.years}
          defaultValue={d.form.year}
        />
        <SelectField
          name="category"
          label={t("explore.awards.category")}
          options={d.options.categories}
          defaultValue={d.form.category}
        />
        <Button>{t("explore.awards.apply")}</Button>
      </Form>
      {d.filtered ? (
        <p>
          <Link to="/awards">{t("explore.awards.clear")}</Link>
        </p>
      ) : null}
      {d.problems.length ? (
        <div className="notice notice--warning" role="status">
          <ul>
            {d.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="results-count" aria-live="polite">
        {t("explore.awards.count", { count: d.total })}
        {d.totals.length ? (
          <>
            {" "}
            {t("explore.awards.totalling", {
              amounts: d.totals.map((x) => x.amount).join(t("explore.listSeparator")),
            })}
          </>
        ) : null}
      </p>
      {d.rows.length === 0 ? (
        <EmptyState title={t("explore.awards.emptyTitle")}>
          <p>{t("explore.awards.emptyBody")}</p>
        </EmptyState>
      ) : (
        <AwardTable rows={d.rows} caption={t("explore.awards.title")} />
      )}
      <Pagination page={d.page} pages={d.pages} search={new URLSearchParams(d.query)} />
    </>
  );
}
