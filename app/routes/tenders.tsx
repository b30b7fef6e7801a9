import { type ReactNode, useEffect, useRef, useState } from "react";
import { Form, Link } from "react-router";
import { TenderPhaseTag } from "#app/components/tender.tsx";
import { Button, EmptyState, Pagination, SelectField, TextField } from "#app/components/ui.tsx";
import type { Segment } from "#app/modules/discovery/highlight.ts";
import { fixedSearchOptions, type Option } from "#app/modules/discovery/search-options.ts";
import { parseSearchParams } from "#app/modules/discovery/search-params.ts";
import { facetCacheFor, searchTenders } from "#app/modules/discovery/search-tenders.server.ts";
import { searchOptions, searchView } from "#app/modules/discovery/search-view.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import searchCss from "#app/styles/search.css?url";
import type { Route } from "./+types/tenders";

/**
 * The public tender search. A GET form: every state is in the URL, so a
 * search can be bookmarked and shared and works without JavaScript; with it,
 * the search box suggests titles and agencies (/tenders/suggest).
 */

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: searchCss }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { database, env } = context.get(servicesContext);
  const { search, problems } = parseSearchParams(new URL(request.url).searchParams);
  const [result, options] = await Promise.all([
    searchTenders(search, database.db, {
      cache: facetCacheFor(env.SEARCH_CACHE_SECONDS),
      facetBudgetMs: env.SEARCH_FACET_BUDGET_MS,
    }),
    searchOptions(database.db, lang),
  ]);
  return {
    title: `${search.q ? `${search.q} – ` : ""}${t("tenders.title")} – ${t("meta.siteName")}`,
    ...searchView(search, result, problems, options, { t, lang, now: new Date() }),
  };
}

/** Hits in <mark>; React escapes every piece of text. */
function Highlighted({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: segments never reorder
        s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
      )}
    </>
  );
}

function Select({
  name,
  label,
  value,
  any,
  options,
  hint,
}: {
  name: string;
  label: string;
  value: string;
  any?: string;
  options: Option[];
  hint?: string;
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={`search-${name}`}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`search-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <select
        className="field__input"
        id={`search-${name}`}
        name={name}
        defaultValue={value}
        aria-describedby={hint ? `search-${name}-hint` : undefined}
      >
        {any ? <option value="">{any}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Input({
  name,
  label,
  value,
  hint,
  type = "text",
  inputMode,
  list,
  dir,
}: {
  name: string;
  label: string;
  value: string;
  hint?: string;
  type?: "text" | "date";
  inputMode?: "decimal" | "numeric";
  list?: string;
  dir?: "ltr" | "auto";
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={`search-${name}`}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`search-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        className="field__input"
        id={`search-${name}`}
        name={name}
        type={type}
        defaultValue={value}
        inputMode={inputMode}
        list={list}
        dir={dir}
        aria-describedby={hint ? `search-${name}-hint` : undefined}
      />
    </div>
  );
}

interface Suggestion {
  kind: "tender" | "agency";
  value: string;
  lang: "ar" | "en";
}

/** Suggestions for the search box, fetched as one types (progressive enhancement: a datalist). */
function useSuggestions() {
  const [items, setItems] = useState<Suggestion[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<AbortController | null>(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onInput = (text: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      inFlight.current?.abort();
      if (text.trim().length < 2) return setItems([]);
      const controller = new AbortController();
      inFlight.current = controller;
      try {
        const response = await fetch(`/tenders/suggest?${new URLSearchParams({ q: text })}`, {
          signal: controller.signal,
          headers: { accept: "application/json" },
        });
        if (response.ok) setItems(((await response.json()) as { suggestions: Suggestion[] }).suggestions);
      } catch {
        // Aborted or offline: the box works without suggestions.
      }
    }, 150);
  };
  return { items, onInput };
}

function Facets({ d }: { d: Route.ComponentProps["loaderData"] }) {
  const { t } = useTranslation();
  return (
    <>
      {d.facetsPending ? <p className="search-facets__pending">{t("search.facetsPending")}</p> : null}
      {d.facets
        .filter((f) => f.items.length > 0)
        .map((facet) => (
          <section key={facet.name} className="search-facet" aria-labelledby={`facet-${facet.name}`}>
            <h3 id={`facet-${facet.name}`} className="search-facet__title">
              {facet.label}
            </h3>
            <ul className="search-facet__list">
              {facet.items.map((item) => (
                <li key={item.key}>
                  <Link
                    to={item.href}
                    className={
                      item.active ? "search-facet__link search-facet__link--active" : "search-facet__link"
                    }
                    aria-current={item.active ? "true" : undefined}
                    rel="nofollow"
                  >
                    <span className="search-facet__label">{item.label}</span>
                    {item.count === null ? null : (
                      <span className="search-facet__count" dir="ltr">
                        {item.count}
                      </span>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}

export default function Tenders({ loaderData: d }: Route.ComponentProps) {
  const { t, lang } = useTranslation();
  const fixed = fixedSearchOptions(lang);
  // Nothing to refine (no match, every count zero): the results take the whole width.
  const refinable = d.facetsPending || d.facets.some((f) => f.items.length > 0);
  const suggestions = useSuggestions();
  const resultLine = d.totalCapped
    ? t("search.resultsCapped", { count: d.total })
    : t("search.results", { count: d.total });
  const meta = (label: string, value: ReactNode, ltr = false) =>
    value ? (
      <div>
        <dt>{label}</dt>
        <dd dir={ltr ? "ltr" : undefined}>{value}</dd>
      </div>
    ) : null;
  return (
    <>
      <title>{d.title}</title>
      <link rel="alternate" type="application/atom+xml" title={t("search.feed")} href={d.feedHref} />
      <h1>{t("tenders.title")}</h1>
      <p className="lead">{t("tenders.lead")}</p>

      <Form
        method="get"
        action="/tenders"
        className="search"
        role="search"
        aria-label={t("search.queryLabel")}
      >
        <div className="search__query">
          <div className="field">
            <label className="field__label" htmlFor="search-q">
              {t("search.queryLabel")}
            </label>
            <p className="field__hint" id="search-q-hint">
              {t("search.queryHint")}
            </p>
            <div className="search__box">
              <input
                className="field__input"
                id="search-q"
                name="q"
                type="search"
                defaultValue={d.q}
                dir="auto"
                list="tender-suggestions"
                autoComplete="off"
                maxLength={256}
                aria-describedby="search-q-hint"
                onInput={(e) => suggestions.onInput(e.currentTarget.value)}
              />
              <Button>{t("search.submit")}</Button>
            </div>
            <datalist id="tender-suggestions">
              {suggestions.items.map((s) => (
                <option key={`${s.kind}:${s.value}`} value={s.value} />
              ))}
            </datalist>
          </div>
        </div>

        <details className="search__filters" open={d.filtersOpen}>
          <summary>{t("search.filters")}</summary>
          <div className="search__grid">
            <Select
              name="status"
              label={t("search.status")}
              value={d.form.status}
              any={t("search.anyStatus")}
              options={fixed.statuses}
            />
            <Select
              name="agency"
              label={t("search.agency")}
              value={d.form.agency}
              any={t("search.anyAgency")}
              options={d.options.agencies}
            />
            <Select
              name="category"
              label={t("search.category")}
              value={d.form.category}
              any={t("search.anyCategory")}
              options={fixed.categories}
            />
            <Select
              name="method"
              label={t("search.method")}
              value={d.form.method}
              any={t("search.anyMethod")}
              options={fixed.methods}
            />
            <Input
              name="cpv"
              label={t("search.cpv")}
              hint={t("search.cpvHint")}
              value={d.form.cpv}
              list="cpv-divisions"
              inputMode="numeric"
              dir="ltr"
            />
            <datalist id="cpv-divisions">
              {d.options.cpvDivisions.map((o) => (
                <option key={o.value} value={o.value} label={o.label} />
              ))}
            </datalist>
            <div className="field">
              <label className="field__label" htmlFor="search-region">
                {t("search.region")}
              </label>
              <select className="field__input" id="search-region" name="region" defaultValue={d.form.region}>
                <option value="">{t("search.anyRegion")}</option>
                {fixed.regions.map((c) => (
                  <optgroup key={c.country.value} label={c.label}>
                    <option value={c.country.value}>{c.country.label}</option>
                    {c.regions.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
            <Select
              name="currency"
              label={t("search.currency")}
              value={d.form.currency}
              any={t("search.anyCurrency")}
              options={d.options.currencies}
            />
            <Input
              name="min"
              label={t("search.valueMin")}
              hint={t("search.valueHint")}
              value={d.form.min}
              inputMode="decimal"
              dir="ltr"
            />
            <Input name="max" label={t("search.valueMax")} value={d.form.max} inputMode="decimal" dir="ltr" />
            <Input name="from" type="date" label={t("search.deadlineFrom")} value={d.form.from} />
            <Input name="to" type="date" label={t("search.deadlineTo")} value={d.form.to} />
            <Select name="sort" label={t("search.sort")} value={d.form.sort} options={fixed.sorts} />
          </div>
          <div className="search__actions">
            <Button variant="secondary">{t("search.apply")}</Button>
            <Link to={d.clearHref}>{t("search.clearAll")}</Link>
          </div>
        </details>
      </Form>

      {d.problems.length ? (
        <div className="search__problems" role="alert">
          <ul>
            {d.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className={refinable ? "search__layout" : "search__layout search__layout--single"}>
        <section className="search-results" aria-labelledby="results-title">
          <h2 id="results-title" className="visually-hidden">
            {t("search.resultsTitle")}
          </h2>
          <p className="search-results__count" aria-live="polite">
            <strong>{resultLine}</strong>
          </p>
          {d.active.length ? (
            <ul className="search-chips" aria-label={t("search.activeFilters")}>
              {d.active.map((a) => (
                <li key={a.href + a.label}>
                  <Link
                    to={a.href}
                    className="search-chip"
                    aria-label={t("search.remove", { label: a.label })}
                  >
                    <span dir="auto">{a.label}</span> <span aria-hidden="true">×</span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
          {d.wordsIgnored ? <p className="search-results__note">{t("search.wordsIgnored")}</p> : null}
          {d.rankedByNewest ? <p className="search-results__note">{t("search.rankedByNewest")}</p> : null}
          {d.form.sort === "value" && !d.form.currency ? (
            <p className="search-results__note">{t("search.valueSortHint")}</p>
          ) : null}

          {d.rows.length === 0 ? (
            <EmptyState title={t("search.noResults")}>
              <p>{t("search.noResultsHint")}</p>
            </EmptyState>
          ) : (
            <ol className="search-list">
              {d.rows.map((r) => (
                <li key={r.id} className="search-item">
                  <h3
                    className="search-item__title"
                    lang={r.titleLang}
                    dir={r.titleLang === "ar" ? "rtl" : "ltr"}
                  >
                    <Link to={`/tenders/${r.id}`}>
                      <Highlighted segments={r.title} />
                    </Link>
                  </h3>
                  <p className="search-item__meta">
                    <TenderPhaseTag phase={r.phase} /> <span dir="ltr">{r.reference}</span> · {r.agency}
                  </p>
                  {r.snippet.length ? (
                    <p
                      className="search-item__snippet"
                      lang={r.snippetLang}
                      dir={r.snippetLang === "ar" ? "rtl" : "ltr"}
                    >
                      <Highlighted segments={r.snippet} />
                    </p>
                  ) : null}
                  <dl className="search-item__facts">
                    {meta(t("search.closes"), r.deadline, true)}
                    {meta(t("search.value"), r.value, true)}
                    {meta(t("search.category"), `${r.category} · ${r.method}`)}
                    {meta("CPV", r.cpvCodes.join(" "), true)}
                  </dl>
                </li>
              ))}
            </ol>
          )}
          <Pagination page={d.page} pages={d.pages} search={new URLSearchParams(d.query)} />
          <p className="search-results__feed">
            <a href={d.feedHref} type="application/atom+xml">
              {t("search.feed")}
            </a>
          </p>
          <Form method="post" action="/searches" className="save-search">
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="query" value={d.query} />
            <h2 className="save-search__title">{t("savedSearches.saveTitle")}</h2>
            <div className="inline-form">
              <TextField name="name" label={t("savedSearches.name")} defaultValue={d.q} dir="auto" />
              <SelectField
                name="frequency"
                label={t("savedSearches.alerts")}
                defaultValue="daily"
                options={[
                  { value: "instant", label: t("savedSearches.frequency.instant") },
                  { value: "daily", label: t("savedSearches.frequency.daily") },
                  { value: "never", label: t("savedSearches.frequency.never") },
                ]}
              />
              <Button variant="secondary">{t("savedSearches.save")}</Button>
            </div>
          </Form>
        </section>

        {refinable ? (
          <aside className="search-facets" aria-label={t("search.refine")}>
            <h2 className="search-facets__title">{t("search.refine")}</h2>
            <Facets d={d} />
          </aside>
        ) : null}
      </div>
    </>
  );
}
