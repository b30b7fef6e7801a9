import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { highlight, queryLexemes, type Segment, snippet, wordsOf } from "./highlight.ts";
import { MAX_PAGE, PAGE_SIZE, type SearchStatus, type TenderSearch } from "./search-params.ts";
import { type ParsedQuery, parseQuery, type Term } from "./search-query.ts";

/**
 * Public tender search: full text in Arabic and English over titles,
 * descriptions, lots and items (tenders.search_document, kept by triggers),
 * filters, sorts, disjunctive facet counts and highlighted snippets.
 *
 * Only public tenders are ever read: published (open or closed), opened and
 * cancelled — never drafts or tenders awaiting approval, and nothing sealed
 * (bids are another table this module never touches).
 *
 * Every value typed by a person reaches PostgreSQL as a bound parameter; the
 * words of the query become a tsquery inside the database
 * (search_word_query()), never by building tsquery syntax here.
 *
 * The statements are built by exported functions so that `npm run
 * bench:search` can run exactly the same SQL directly and compare.
 */

/** Public statuses; "awarded" joins them when awards publish their own status. */
export const PUBLIC_STATUSES = ["published", "opened", "cancelled"] as const;
const PUBLIC = sql.raw(`t.status in (${PUBLIC_STATUSES.map((s) => `'${s}'`).join(", ")})`);

export const FACETS = ["status", "agency", "category", "method", "currency", "cpv"] as const;
export type FacetName = (typeof FACETS)[number];

/** Bitmaps of broad matches stay exact (not lossy) within this much memory per query. */
const WORK_MEM = "32MB";

// ---------------------------------------------------------------- the query

/** The tsquery of a parsed query, built in SQL from the words as parameters. */
export function tsqueryExpression(query: ParsedQuery): SQL | null {
  if (query.length === 0) return null;
  const term = (t: Term): SQL => {
    const words = t.words.map((w) => sql`search_word_query(${w})`);
    let phrase = words[0]!;
    for (const next of words.slice(1)) phrase = sql`tsquery_phrase(${phrase}, ${next})`;
    return t.negated ? sql`(!! ${phrase})` : phrase;
  };
  const clause = (terms: Term[]) => sql`(${sql.join(terms.map(term), sql` || `)})`;
  return sql.join(query.map(clause), sql` && `);
}

/** The statement that turns a parsed query into tsquery text (null when no word counts, e.g. only stop words). */
export function tsqueryStatement(query: ParsedQuery): SQL | null {
  const expression = tsqueryExpression(query);
  return expression
    ? sql`select case when numnode(q) = 0 then null else q::text end as tsquery from (select ${expression} as q) x`
    : null;
}

// ---------------------------------------------------------------- filters

const STATUS_CONDITION: Record<SearchStatus, SQL> = {
  open: sql.raw("(t.status = 'published' and t.submission_deadline > now())"),
  closed: sql.raw("(t.status = 'opened' or (t.status = 'published' and t.submission_deadline <= now()))"),
  cancelled: sql.raw("(t.status = 'cancelled')"),
};
const BUCKET = sql.raw(
  "case when t.status = 'published' and t.submission_deadline > now() then 'open' " +
    "when t.status in ('published', 'opened') then 'closed' else t.status end",
);

/** Time zones run from UTC−12 to UTC+14: a day anywhere lies within these bounds of the UTC day. */
const dayStart = (day: string, hours: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + hours * 3600_000).toISOString();

interface Conditions {
  /** Conditions that are not facets (always applied). */
  base: SQL[];
  /** Active filters that are also facets: each facet is counted without its own. */
  facets: Partial<Record<FacetName, SQL>>;
}

export function searchConditions(search: TenderSearch, tsquery: string | null): Conditions {
  const base: SQL[] = [PUBLIC];
  if (tsquery) base.push(sql`t.search_document @@ ${tsquery}::tsquery`);
  if (search.region)
    base.push(
      search.region.length === 2
        ? sql`t.agency_id in (select o.id from organisations o where o.kind = 'agency' and o.country = ${search.region})`
        : sql`t.agency_id in (select o.id from organisations o where o.kind = 'agency' and o.region = ${search.region})`,
    );
  if (search.deadlineFrom)
    base.push(
      sql`t.submission_deadline >= ${dayStart(search.deadlineFrom, -14)}::timestamptz and t.submission_deadline >= (${search.deadlineFrom}::date::timestamp at time zone t.time_zone)`,
    );
  if (search.deadlineTo)
    base.push(
      sql`t.submission_deadline < ${dayStart(search.deadlineTo, 24 + 12)}::timestamptz and t.submission_deadline < ((${search.deadlineTo}::date + 1)::timestamp at time zone t.time_zone)`,
    );

  const facets: Conditions["facets"] = {};
  if (search.status) facets.status = STATUS_CONDITION[search.status];
  if (search.agency)
    facets.agency = sql`t.agency_id = (select o.id from organisations o where o.slug = ${search.agency})`;
  if (search.category) facets.category = sql`t.category = ${search.category}`;
  if (search.method) facets.method = sql`t.method = ${search.method}`;
  if (search.cpv) facets.cpv = sql`t.cpv_prefixes @> array[${search.cpv}]::text[]`;
  if (search.currency) {
    // The value range is in the currency's minor units: it belongs with the currency.
    const parts = [sql`t.currency = ${search.currency}`];
    if (search.valueMin !== null) parts.push(sql`t.estimated_value >= ${search.valueMin.toString()}::bigint`);
    if (search.valueMax !== null) parts.push(sql`t.estimated_value <= ${search.valueMax.toString()}::bigint`);
    facets.currency = sql.join(parts, sql` and `);
  }
  return { base, facets };
}

const where = (conditions: SQL[]) => sql.join(conditions, sql` and `);
const allConditions = (c: Conditions) => [...c.base, ...Object.values(c.facets)];

// ---------------------------------------------------------------- facets

const FACET_SELECT: Record<FacetName, string> = {
  status: "select 'status' as facet, bucket as key, count(*)::int as n from m group by bucket",
  agency: "select 'agency', agency_id::text, count(*)::int from m group by agency_id",
  category: "select 'category', category, count(*)::int from m group by category",
  method: "select 'method', method, count(*)::int from m group by method",
  currency: "select 'currency', currency, count(*)::int from m group by currency",
  cpv:
    "select 'cpv', d, count(*)::int from m cross join lateral " +
    "(select distinct left(c, 2) as d from unnest(m.cpv_codes) c) x group by d",
};

function facetStatement(conditions: SQL[], facets: FacetName[], total: boolean): SQL {
  const parts = [
    ...(total ? ["select 'total' as facet, '' as key, count(*)::int as n from m"] : []),
    ...facets.map((f) => FACET_SELECT[f]),
  ];
  const materialized = parts.length > 1 ? sql.raw("materialized") : sql.raw("not materialized");
  return sql`with m as ${materialized} (
    select t.agency_id, t.category, t.method, t.currency, t.cpv_codes, ${BUCKET} as bucket
    from tenders t where ${where(conditions)}
  ) select * from (${sql.raw(parts.join(" union all "))}) as f(facet, key, n)`;
}

/**
 * Facet counts are disjunctive: each facet is counted over the query and
 * every OTHER filter, so its other values show what choosing them would give.
 * One statement counts the total and every facet that has no active filter;
 * one more per active facet filter counts that facet without it.
 */
export function facetStatements(c: Conditions): SQL[] {
  const active = FACETS.filter((f) => c.facets[f]);
  const idle = FACETS.filter((f) => !c.facets[f]);
  return [
    facetStatement(allConditions(c), idle, true),
    ...active.map((f) =>
      facetStatement([...c.base, ...active.filter((g) => g !== f).map((g) => c.facets[g]!)], [f], false),
    ),
  ];
}

// ---------------------------------------------------------------- results

export function resultsStatement(
  c: Conditions,
  search: TenderSearch,
  tsquery: string | null,
  page: number,
): SQL {
  const order =
    search.sort === "relevance" && tsquery
      ? sql`ts_rank_cd(t.search_document, ${tsquery}::tsquery) desc, t.published_at desc nulls last, t.id desc`
      : search.sort === "closing"
        ? // Open tenders first, the soonest deadline first; then the rest, the latest deadline first.
          sql.raw(
            "(t.status = 'published' and t.submission_deadline > now()) desc, " +
              "case when t.status = 'published' and t.submission_deadline > now() then t.submission_deadline end asc, " +
              "t.submission_deadline desc nulls last, t.id desc",
          )
        : search.sort === "value"
          ? // Amounts compare only within a currency.
            sql.raw("t.currency asc, t.estimated_value desc nulls last, t.id desc")
          : sql.raw("t.published_at desc nulls last, t.id desc");
  return sql`select t.id, t.reference, t.title_ar, t.title_en, t.description_ar, t.description_en,
      t.status, t.submission_deadline, t.time_zone, t.currency, t.estimated_value::text as estimated_value,
      t.category, t.method, t.cpv_codes, t.published_at,
      o.slug as agency_slug, o.name_ar as agency_name_ar, o.name_en as agency_name_en
    from tenders t join organisations o on o.id = t.agency_id
    where ${where(allConditions(c))}
    order by ${order}
    limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`;
}

// ---------------------------------------------------------------- caches

export interface FacetCounts {
  total: number;
  facets: Record<FacetName, Array<{ key: string; count: number }>>;
}

/**
 * Totals and facet counts of recent searches, per process: counting every
 * match of a broad search is the expensive part, and the same searches come
 * back (the landing page most of all). An entry is fresh for `ttlSeconds`;
 * for ten times that a stale one is still answered while one refresh runs in
 * the background. Counts may thus lag by up to `ttlSeconds` (a tender closing
 * meanwhile); the results themselves are never cached.
 */
export class FacetCache {
  private entries = new Map<string, { at: number; value: FacetCounts }>();
  private refreshing = new Set<string>();
  hits = 0;
  misses = 0;

  constructor(
    readonly ttlSeconds: number,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: string, load: () => Promise<FacetCounts>): Promise<FacetCounts> {
    if (this.ttlSeconds <= 0) return load();
    const entry = this.entries.get(key);
    const age = entry ? (Date.now() - entry.at) / 1000 : Infinity;
    if (entry && age < this.ttlSeconds * 10) {
      this.hits++;
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (age >= this.ttlSeconds && !this.refreshing.has(key)) {
        this.refreshing.add(key);
        load()
          .then((value) => this.put(key, value))
          .catch(() => {})
          .finally(() => this.refreshing.delete(key));
      }
      return entry.value;
    }
    this.misses++;
    const value = await load();
    this.put(key, value);
    return value;
  }

  private put(key: string, value: FacetCounts) {
    this.entries.delete(key);
    this.entries.set(key, { at: Date.now(), value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Lexemes of displayed words: the vocabulary of tender texts is small, so this fills once and stays. */
const lexemeCache = new Map<string, string[]>();
const LEXEME_CACHE_MAX = 100_000;

async function lexemesOf(words: string[], db: Queryable): Promise<Map<string, string[]>> {
  const missing = words.filter((w) => !lexemeCache.has(w));
  if (missing.length) {
    const rows = await db.execute<{ word: string; lexemes: string[] }>(
      sql`select w as word, search_word_lexemes(w) as lexemes from json_array_elements_text(${JSON.stringify(missing)}::json) w`,
    );
    if (lexemeCache.size + rows.length > LEXEME_CACHE_MAX) lexemeCache.clear();
    for (const r of rows) lexemeCache.set(r.word, r.lexemes ?? []);
  }
  return new Map(words.map((w) => [w, lexemeCache.get(w) ?? []]));
}

// ---------------------------------------------------------------- the search

export interface SearchResultRow {
  id: string;
  reference: string;
  titleAr: string;
  titleEn: string;
  descriptionAr: string;
  descriptionEn: string;
  status: string;
  submissionDeadline: Date | null;
  timeZone: string;
  currency: string;
  estimatedValue: bigint | null;
  category: string;
  method: string;
  cpvCodes: string[];
  publishedAt: Date | null;
  agency: { slug: string; nameAr: string; nameEn: string };
  /** Highlighted title and description snippet in each language (hits marked). */
  highlights: { titleAr: Segment[]; titleEn: Segment[]; descriptionAr: Segment[]; descriptionEn: Segment[] };
}

export interface TenderSearchResult {
  /** The parsed words had something to match (not only stop words or punctuation). */
  matchedWords: boolean;
  total: number;
  page: number;
  pages: number;
  rows: SearchResultRow[];
  facets: FacetCounts["facets"];
  /** Names of the agencies in the agency facet (and the filtered one), by slug. */
  agencies: Record<string, { nameAr: string; nameEn: string }>;
}

/** The cache key of a search's counts: everything but sort and page. */
export function countsKey(search: TenderSearch): string {
  const { sort: _sort, page: _page, ...rest } = search;
  return JSON.stringify(rest, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Run the facet statements (in the caller's transaction) into counts. */
async function countFacets(c: Conditions, db: Queryable): Promise<FacetCounts> {
  const facets = Object.fromEntries(
    FACETS.map((f) => [f, [] as Array<{ key: string; count: number }>]),
  ) as FacetCounts["facets"];
  let total = 0;
  for (const statement of facetStatements(c)) {
    const rows = await db.execute<{ facet: string; key: string | null; n: number }>(statement);
    for (const r of rows) {
      if (r.facet === "total") total = r.n;
      else if (r.key !== null) facets[r.facet as FacetName].push({ key: r.key, count: r.n });
    }
  }
  for (const f of FACETS) facets[f].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return { total, facets };
}

export interface SearchOptions {
  /** Counts cache; null to count every time. */
  cache?: FacetCache | null;
}

const caches = new Map<number, FacetCache>();

/** The process's counts cache for a time to live (SEARCH_CACHE_SECONDS; 0 turns it off). */
export function facetCacheFor(ttlSeconds: number): FacetCache {
  const cache = caches.get(ttlSeconds) ?? new FacetCache(ttlSeconds);
  caches.set(ttlSeconds, cache);
  return cache;
}

export async function searchTenders(
  search: TenderSearch,
  db: Queryable,
  options: SearchOptions = {},
): Promise<TenderSearchResult> {
  const cache = options.cache === undefined ? facetCacheFor(60) : options.cache;
  const parsed = parseQuery(search.q);
  const statement = tsqueryStatement(parsed);
  const tsquery = statement
    ? ((await db.execute<{ tsquery: string | null }>(statement))[0]?.tsquery ?? null)
    : null;
  const conditions = searchConditions(search, tsquery);

  const inTransaction = <T>(run: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('work_mem', ${WORK_MEM}, true)`);
      return run(tx);
    });
  const load = () => inTransaction((tx) => countFacets(conditions, tx));
  const counts = cache ? await cache.get(countsKey(search), load) : await load();
  const pages = Math.max(1, Math.min(MAX_PAGE, Math.ceil(counts.total / PAGE_SIZE)));
  const page = Math.min(search.page, pages);
  const rows =
    counts.total === 0
      ? []
      : await inTransaction((tx) =>
          tx.execute<Record<string, unknown>>(resultsStatement(conditions, search, tsquery, page)),
        );

  // Highlights: which displayed words stand for lexemes of the query.
  const wanted = new Set(tsquery ? queryLexemes(tsquery) : []);
  const texts = rows.flatMap((r) => [r.title_ar, r.title_en, r.description_ar, r.description_en] as string[]);
  const lexemes = wanted.size ? await lexemesOf(wordsOf(...texts), db) : new Map<string, string[]>();
  const isHit = (word: string) => (lexemes.get(word) ?? []).some((l) => wanted.has(l));

  // Agency names for the facet (top ten) and the active filter.
  const slugIds = counts.facets.agency.slice(0, 10).map((a) => a.key);
  const agencyRows =
    slugIds.length || search.agency
      ? await db.execute<{ id: string; slug: string; name_ar: string; name_en: string }>(
          sql`select id::text, slug, name_ar, name_en from organisations
            where id::text in (select json_array_elements_text(${JSON.stringify(slugIds)}::json))
               or slug = ${search.agency ?? ""}`,
        )
      : [];
  const byId = new Map(agencyRows.map((a) => [a.id, a]));
  const facets = {
    ...counts.facets,
    // The agency facet is keyed by slug, as the filter is.
    agency: counts.facets.agency
      .flatMap((a) => {
        const agency = byId.get(a.key);
        return agency ? [{ key: agency.slug, count: a.count }] : [];
      })
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
  };

  return {
    matchedWords: tsquery !== null,
    total: counts.total,
    page,
    pages,
    facets,
    agencies: Object.fromEntries(agencyRows.map((a) => [a.slug, { nameAr: a.name_ar, nameEn: a.name_en }])),
    rows: rows.map((r) => {
      const text = (key: string) => String(r[key] ?? "");
      return {
        id: text("id"),
        reference: text("reference"),
        titleAr: text("title_ar"),
        titleEn: text("title_en"),
        descriptionAr: text("description_ar"),
        descriptionEn: text("description_en"),
        status: text("status"),
        submissionDeadline: r.submission_deadline ? new Date(r.submission_deadline as string) : null,
        timeZone: text("time_zone"),
        currency: text("currency"),
        estimatedValue: r.estimated_value === null ? null : BigInt(r.estimated_value as string),
        category: text("category"),
        method: text("method"),
        cpvCodes: (r.cpv_codes as string[]) ?? [],
        publishedAt: r.published_at ? new Date(r.published_at as string) : null,
        agency: { slug: text("agency_slug"), nameAr: text("agency_name_ar"), nameEn: text("agency_name_en") },
        highlights: {
          titleAr: highlight(text("title_ar"), isHit),
          titleEn: highlight(text("title_en"), isHit),
          descriptionAr: snippet(highlight(text("description_ar"), isHit)),
          descriptionEn: snippet(highlight(text("description_en"), isHit)),
        },
      };
    }),
  };
}
