import { sql } from "drizzle-orm";
import type { TFunction } from "i18next";
import type { Language } from "#app/modules/i18n/i18n.ts";
import { formatMoney } from "#app/modules/ledger/money.ts";
import { searchCpv } from "#app/modules/tenders/classifications.server.ts";
import { CPV_DIVISIONS_AR } from "#app/modules/tenders/data/cpv-divisions.ar.ts";
import { phaseWithAwards, tenderPhase } from "#app/modules/tenders/tender-rules.ts";
import { collator } from "#app/utils/intl-formats.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Queryable } from "#db/client.server.ts";
import { TENDER_CATEGORIES, TENDER_METHODS } from "#db/schema/tender-kinds.ts";
import type { Segment } from "./highlight.ts";
import { regionLabel } from "./regions.ts";
import {
  SEARCH_STATUSES,
  type SearchProblem,
  searchParamsOf,
  type TenderSearch,
  valueText,
} from "./search-params.ts";
import { FACETS, type FacetName, type TenderSearchResult } from "./search-tenders.server.ts";

/**
 * The search page's data, as strings: labels translated, money and times
 * formatted, every link a ready query string built from the search (so the
 * page never rebuilds URLs and works without JavaScript).
 */

/** Agencies and currencies to choose from (agencies are a few hundred at most). */
export async function searchOptions(db: Queryable, lang: Language) {
  const agencies = await db.execute<{ slug: string; name_ar: string; name_en: string; currency: string }>(
    sql`select slug, name_ar, name_en, currency from organisations where kind = 'agency'`,
  );
  const byName = collator(lang);
  return {
    agencies: agencies
      .map((a) => ({ value: a.slug, label: lang === "ar" ? a.name_ar : a.name_en }))
      .sort((a, b) => byName.compare(a.label, b.label)),
    currencies: [...new Set(agencies.map((a) => a.currency.trim()))].sort(),
  };
}

export function cpvDivisionLabel(division: string, lang: Language): string {
  const [hit] = searchCpv(division, { lang, limit: 1 });
  return hit && hit.level === 2 ? hit.label : division;
}

type FacetItem = { key: string; count: number | null };

/** Statuses in their own order (open, closed, cancelled); other facets by count, uncounted last. */
const ordered = (name: FacetName, items: FacetItem[]) =>
  name === "status"
    ? [...items].sort(
        (a, b) => SEARCH_STATUSES.indexOf(a.key as never) - SEARCH_STATUSES.indexOf(b.key as never),
      )
    : [...items].sort((a, b) => (b.count ?? -1) - (a.count ?? -1));

const href = (search: TenderSearch, change: Partial<TenderSearch> = {}) => {
  const qs = searchParamsOf(search, change).toString();
  return qs ? `?${qs}` : "?";
};

export interface ResultView {
  id: string;
  reference: string;
  title: Segment[];
  titleLang: Language;
  snippet: Segment[];
  snippetLang: Language;
  agency: string;
  phase: ReturnType<typeof tenderPhase>;
  deadline: string | null;
  value: string | null;
  method: string;
  category: string;
  cpvCodes: string[];
}

export interface FacetView {
  name: FacetName;
  label: string;
  /** count is null for a value offered before it could be counted. */
  items: Array<{ key: string; label: string; count: number | null; href: string; active: boolean }>;
}

export function searchView(
  search: TenderSearch,
  result: TenderSearchResult,
  problems: SearchProblem[],
  options: Awaited<ReturnType<typeof searchOptions>>,
  { t, lang, now }: { t: TFunction; lang: Language; now: Date },
) {
  const other: Language = lang === "ar" ? "en" : "ar";
  const rows: ResultView[] = result.rows.map((r) => {
    const h = r.highlights;
    // The reader's language, or the other when a text is missing in it.
    const titleLang = (lang === "ar" ? r.titleAr : r.titleEn) ? lang : other;
    const descriptionLang = (lang === "ar" ? r.descriptionAr : r.descriptionEn) ? lang : other;
    return {
      id: r.id,
      reference: r.reference,
      title: titleLang === "ar" ? h.titleAr : h.titleEn,
      titleLang,
      snippet: descriptionLang === "ar" ? h.descriptionAr : h.descriptionEn,
      snippetLang: descriptionLang,
      agency: lang === "ar" ? r.agency.nameAr : r.agency.nameEn,
      phase: phaseWithAwards(
        tenderPhase({ status: r.status as never, submissionDeadline: r.submissionDeadline }, now),
        r.lots,
      ),
      deadline: r.submissionDeadline ? formatInZone(r.submissionDeadline, r.timeZone) : null,
      value:
        r.estimatedValue === null || r.estimatedValue === 0n
          ? null
          : formatMoney({ amount: r.estimatedValue, currency: r.currency }, lang),
      method: t(`tenders.methods.${r.method}`),
      category: t(`tenders.categories.${r.category}`),
      cpvCodes: r.cpvCodes,
    };
  });

  const agencyName = (slug: string) => {
    const a = result.agencies[slug];
    return a ? (lang === "ar" ? a.nameAr : a.nameEn) : slug;
  };
  const labelOf: Record<FacetName, (key: string) => string> = {
    status: (k) => t(`search.statuses.${k}`),
    agency: agencyName,
    category: (k) => t(`tenders.categories.${k}`),
    method: (k) => t(`tenders.methods.${k}`),
    currency: (k) => k,
    cpv: (k) => `${k} · ${cpvDivisionLabel(k, lang)}`,
  };
  const current: Record<FacetName, string | null> = {
    status: search.status,
    agency: search.agency,
    category: search.category,
    method: search.method,
    currency: search.currency,
    cpv: search.cpv,
  };
  // Facets whose values are few and known whatever the search: a filter's other values can be
  // offered before they are counted.
  const vocabulary: Partial<Record<FacetName, readonly string[]>> = {
    status: SEARCH_STATUSES,
    category: TENDER_CATEGORIES,
    method: TENDER_METHODS,
    currency: options.currencies,
  };
  // A facet not counted in time shows the value chosen (whose count is the total) and, where the
  // values are known, the others without a count, so that the search can switch to one; one
  // without a filter is left out. The page then says counts are being prepared.
  const facets: FacetView[] = FACETS.flatMap((name) => {
    const chosen = current[name];
    const items: FacetItem[] | null =
      result.facets?.[name] ??
      (chosen
        ? [
            // Past the cap the total is "more than": no count rather than a wrong one.
            { key: chosen, count: result.totalCapped ? null : result.total },
            ...(vocabulary[name] ?? []).filter((key) => key !== chosen).map((key) => ({ key, count: null })),
          ]
        : null);
    if (!items) return [];
    return [
      {
        name,
        label: t(`search.facet.${name}`),
        items: ordered(name, items)
          .slice(0, name === "agency" || name === "cpv" ? 10 : 20)
          .map((item) => {
            const active = current[name] === item.key;
            const change: Partial<TenderSearch> =
              name === "currency"
                ? { currency: active ? null : item.key, valueMin: null, valueMax: null }
                : { [name]: active ? null : item.key };
            return {
              key: item.key,
              label: labelOf[name](item.key),
              count: item.count,
              href: href(search, change),
              active,
            };
          }),
      },
    ];
  });
  const facetsPending = FACETS.some((name) => !result.facets?.[name]);

  // Filters in force, each with a link that removes it.
  const active: Array<{ label: string; href: string }> = [];
  const chip = (label: string, change: Partial<TenderSearch>) =>
    active.push({ label, href: href(search, change) });
  if (search.q) chip(lang === "ar" ? `«${search.q}»` : `“${search.q}”`, { q: "" });
  for (const name of FACETS) {
    const key = current[name];
    if (key && name !== "currency")
      chip(`${t(`search.facet.${name}`)}: ${labelOf[name](key)}`, { [name]: null });
  }
  if (search.currency) {
    const min = valueText(search.valueMin, search.currency);
    const max = valueText(search.valueMax, search.currency);
    const range = min || max ? ` ${min || "…"} – ${max || "…"}` : "";
    chip(`${t("search.facet.currency")}: ${search.currency}${range}`, {
      currency: null,
      valueMin: null,
      valueMax: null,
    });
  }
  if (search.region) chip(`${t("search.region")}: ${regionLabel(search.region, lang)}`, { region: null });
  if (search.deadlineFrom || search.deadlineTo)
    chip(`${t("search.deadline")}: ${search.deadlineFrom ?? "…"} – ${search.deadlineTo ?? "…"}`, {
      deadlineFrom: null,
      deadlineTo: null,
    });

  return {
    q: search.q,
    form: {
      status: search.status ?? "",
      agency: search.agency ?? "",
      cpv: search.cpv ?? "",
      method: search.method ?? "",
      category: search.category ?? "",
      region: search.region ?? "",
      currency: search.currency ?? "",
      min: valueText(search.valueMin, search.currency),
      max: valueText(search.valueMax, search.currency),
      from: search.deadlineFrom ?? "",
      to: search.deadlineTo ?? "",
      sort: search.sort,
    },
    problems: problems.map((p) => t(`search.problems.${p}`, { page: search.page })),
    /** The filters panel starts open when a filter is in force or something in it needs fixing. */
    filtersOpen: problems.length > 0,
    total: result.total,
    totalCapped: result.totalCapped,
    rankedByNewest: search.sort === "relevance" && result.sort === "newest" && result.matchedWords,
    wordsIgnored: search.q.trim() !== "" && !result.matchedWords,
    page: result.page,
    pages: result.pages,
    /** The search as a query string, for pagination (which sets `page` on it). */
    query: searchParamsOf(search, { page: 1 }).toString(),
    feedHref: `/tenders/feed.atom${(() => {
      const qs = searchParamsOf(
        { ...search, sort: search.q ? "relevance" : "newest" },
        { page: 1 },
      ).toString();
      return qs ? `?${qs}` : "";
    })()}`,
    clearHref: "/tenders",
    rows,
    facets,
    facetsPending,
    active,
    /** Choices that depend on the data; the fixed ones are fixedSearchOptions(). */
    options: {
      agencies: options.agencies,
      currencies: options.currencies.map((c) => ({ value: c, label: c })),
      cpvDivisions: Object.keys(CPV_DIVISIONS_AR)
        .sort()
        .map((d) => ({ value: d, label: cpvDivisionLabel(d, lang) })),
    },
  };
}

export type SearchView = ReturnType<typeof searchView>;
