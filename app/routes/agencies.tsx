import { data, Form, Link, useSearchParams } from "react-router";
import { z } from "zod";
import {
  Button,
  DataTable,
  EmptyState,
  ErrorSummary,
  Pagination,
  StatusTag,
  TextField,
} from "#app/components/ui.tsx";
import { listAgencies } from "#app/modules/discovery/list-agencies.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { parseWith, searchParamsObject } from "#app/utils/forms.server.ts";
import type { Route } from "./+types/agencies";

const MAX_QUERY = 100;
const AgencySearch = z.object({
  q: z
    .string()
    .max(MAX_QUERY, { message: `errors.searchTooLong|{"max":${MAX_QUERY}}` })
    .default(""),
  page: z.coerce
    .number({ message: "errors.pageNumber" })
    .int({ message: "errors.pageNumber" })
    .min(1, { message: "errors.pageNumber" })
    .default(1),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const title = `${t("agencies.title")} – ${t("meta.siteName")}`;
  const form = parseWith(AgencySearch, searchParamsObject(request.url), t);
  if (!form.ok) return data({ title, errors: form.errors, result: null }, { status: 400 });
  const result = await listAgencies(form.value, context.get(servicesContext).database.db);
  return { title, errors: {}, result };
}

export default function Agencies({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const [search] = useSearchParams();
  const { result, errors } = loaderData;
  const errs: Record<string, string | undefined> = errors;
  const regionName = new Intl.DisplayNames([i18n.language], { type: "region" });
  const currencyName = new Intl.DisplayNames([i18n.language], { type: "currency" });
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("agencies.title")}</h1>
      <p className="lead">{t("agencies.lead")}</p>
      <ErrorSummary errors={errs} />
      <Form method="get" className="search-form" role="search">
        <TextField
          name="q"
          type="search"
          label={t("agencies.searchLabel")}
          hint={t("agencies.searchHint")}
          defaultValue={search.get("q") ?? ""}
          error={errs.q}
          dir="auto"
        />
        <Button>{t("agencies.searchButton")}</Button>
      </Form>
      {result ? (
        <>
          <p className="results-count" aria-live="polite">
            {t("agencies.resultsCount", { count: result.total })}
          </p>
          {result.rows.length === 0 ? (
            <EmptyState title={t("agencies.emptyTitle")}>
              <p>{t("agencies.emptyBody")}</p>
            </EmptyState>
          ) : (
            <DataTable
              caption={t("agencies.title")}
              rows={result.rows}
              rowKey={(r) => r.id}
              columns={[
                {
                  key: "name",
                  header: t("agencies.name"),
                  cell: (r) => (
                    <Link to={`/agencies/${r.slug}`}>{i18n.language === "ar" ? r.nameAr : r.nameEn}</Link>
                  ),
                },
                {
                  key: "country",
                  header: t("agencies.country"),
                  cell: (r) => regionName.of(r.country) ?? r.country,
                },
                {
                  key: "currency",
                  header: t("agencies.currency"),
                  cell: (r) => `${currencyName.of(r.currency) ?? r.currency} (${r.currency})`,
                },
                {
                  key: "tz",
                  header: t("agencies.timeZone"),
                  cell: (r) => <span dir="ltr">{r.timeZone}</span>,
                },
                {
                  key: "status",
                  header: t("agencies.status"),
                  cell: () => <StatusTag tone="success">{t("agencies.active")}</StatusTag>,
                },
              ]}
            />
          )}
          <Pagination page={result.page} pages={result.pages} search={search} />
        </>
      ) : null}
    </>
  );
}
