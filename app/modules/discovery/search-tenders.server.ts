import { type SQL, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
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
 * The statements are built by exported functions and run through a
 * `SearchRunner`, so that `npm run bench:search` runs exactly the same SQL in
 * the same order directly (postgres.js) and compares.
 */

/** Public statuses; "awarded" joins them when awards publish their own status. */
export const PUBLIC_STATUSES = ["published", "opened", "cancelled"] as const;
/** `t.status` is public (for a query reading tenders as `t`). */
export const PUBLIC_CONDITION = sql.raw(`t.status in (${PUBLIC_STATUSES.map((s) => `'${s}'`).join(", ")})`);
const PUBLIC = PUBLIC_CONDITION;

export const FACETS = ["status", "agency", "category", "method", "currency", "cpv"] as const;
export type FacetName = (typeof FACETS)[number];

/**
 * The planner settings searches depend on are the pool's own (see
 * connectDatabase in db/client.server.ts: work_mem 32MB, random_page_cost
 * 1.1), so a search statement needs no transaction of its own to set them.
 */

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

/** Tsqueries of recent query texts, by their parsed words (see tsqueryOf). */
const tsqueries = new LRUCache<string, { tsquery: string | null }>({ max: 10_000 });

/**
 * The tsquery of what was typed, as text (null when no word counts). It
 * depends only on the words and on the database's IMMUTABLE text-search
 * functions, so each parsed query is asked once per process: people search
 * the same words over and over, and asking costs a round trip of its own
 * before the search can start.
 */
export async function tsqueryOf(q: string, runner: SearchRunner): Promise<string | null> {
  const parsed = parseQuery(q);
  const statement = tsqueryStatement(parsed);
  if (!statement) return null;
  const key = JSON.stringify(parsed);
  const known = tsqueries.get(key);
  if (known) return known.tsquery;
  const tsquery = (await runner.run<{ tsquery: string | null }>(statement))[0]?.tsquery ?? null;
  tsqueries.set(key, { tsquery });
  return tsquery;
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

/** A filter: lexemes of the search document (with words) and/or a condition on the row. */
interface Filter {
  token?: SQL;
  row?: SQL;
}

export interface Conditions {
  /** Conditions on the row always applied. */
  base: SQL[];
  /** The words, as a tsquery; null without words. */
  text: SQL | null;
  /** Filter lexemes always applied (the region, with words). */
  tokens: SQL[];
  /** Active filters that are also facets: each facet is counted without its own. */
  facets: Partial<Record<FacetName, Filter>>;
  /** The currency filter's value (null: none), for a page by value (see orderedPageStatement). */
  currency: string | null;
}

const token = (kind: string, value: string) => sql`search_filter_query(${kind}, ${value})`;

/**
 * The conditions of a search. With words, the filters' values go into the
 * same tsquery as the words, as lexemes of the search document
 * (tender_filter_document(): ~cat.works, ~st.opened, ~ag.<slug>, ~rg.kw-ha,
 * ~cpv.4523…): one scan of the GIN index intersects them all, and only
 * tenders matching everything are read — where testing the filters on each
 * row would read every tender matching the words. What a lexeme cannot say
 * (a deadline against the clock, a value range, deadline days) stays a
 * condition on the row. Without words, plain conditions for the btree indexes.
 */
export function searchConditions(search: TenderSearch, tsquery: string | null): Conditions {
  const words = tsquery !== null;
  const base: SQL[] = [PUBLIC];
  const tokens: SQL[] = [];
  if (search.region) {
    const country = search.region.length === 2;
    if (words) tokens.push(token(country ? "ct" : "rg", search.region));
    // The region's agencies are looked up once (an array), not joined.
    else
      base.push(
        country
          ? sql`t.agency_id = any(array(select o.id from organisations o where o.kind = 'agency' and o.country = ${search.region}))`
          : sql`t.agency_id = any(array(select o.id from organisations o where o.kind = 'agency' and o.region = ${search.region}))`,
      );
  }
  if (search.deadlineFrom)
    base.push(
      sql`t.submission_deadline >= ${dayStart(search.deadlineFrom, -14)}::timestamptz and t.submission_deadline >= (${search.deadlineFrom}::date::timestamp at time zone t.time_zone)`,
    );
  if (search.deadlineTo)
    base.push(
      sql`t.submission_deadline < ${dayStart(search.deadlineTo, 24 + 12)}::timestamptz and t.submission_deadline < ((${search.deadlineTo}::date + 1)::timestamp at time zone t.time_zone)`,
    );

  const facets: Conditions["facets"] = {};
  if (search.status)
    facets.status = !words
      ? { row: STATUS_CONDITION[search.status] }
      : search.status === "open"
        ? // "is true": not for the deadline index, the text index does the work.
          { token: token("st", "published"), row: sql.raw("(t.submission_deadline > now()) is true") }
        : search.status === "closed"
          ? // On the row, not as lexemes: ~st.opened | ~st.published are in nearly every tender (all
            // but the cancelled), so the GIN scan would decode nearly a million entries to remove
            // few matches (on 1,000,000 tenders, "road" with closed and restricted: 36 → 24 ms).
            // Only this filter: it passes nearly every tender, so the planner's estimate cannot be
            // far off; a cheap test of a narrower filter on the row let it choose to scan the table
            // expecting dense matches, and read all of it when there were none (see 7115f05). Every
            // closed search of the benchmark's workload kept the text index.
            { row: STATUS_CONDITION.closed }
          : { token: token("st", "cancelled") };
  if (search.agency)
    facets.agency = words
      ? { token: token("ag", search.agency) }
      : { row: sql`t.agency_id = (select o.id from organisations o where o.slug = ${search.agency})` };
  if (search.category)
    facets.category = words
      ? { token: token("cat", search.category) }
      : { row: sql`t.category = ${search.category}` };
  if (search.method)
    facets.method = words ? { token: token("m", search.method) } : { row: sql`t.method = ${search.method}` };
  if (search.cpv)
    facets.cpv = words
      ? { token: token("cpv", search.cpv) }
      : { row: sql`t.cpv_prefixes @> array[${search.cpv}]::text[]` };
  if (search.currency) {
    // The value range is in the currency's minor units: it belongs with the currency.
    const range: SQL[] = [];
    if (search.valueMin !== null) range.push(sql`t.estimated_value >= ${search.valueMin.toString()}::bigint`);
    if (search.valueMax !== null) range.push(sql`t.estimated_value <= ${search.valueMax.toString()}::bigint`);
    facets.currency = words
      ? { token: token("cur", search.currency), row: range.length ? sql.join(range, sql` and `) : undefined }
      : { row: sql.join([sql`t.currency = ${search.currency}`, ...range], sql` and `) };
  }
  return { base, text: words ? sql`${tsquery}::tsquery` : null, tokens, facets, currency: search.currency };
}

/** The conditions of a search, without one facet's filter (for counting that facet). */
export function conditionsWithout(c: Conditions, excluded?: FacetName): SQL[] {
  const included = FACETS.filter((f) => f !== excluded && c.facets[f]);
  const out = [...c.base];
  if (c.text) {
    const lexemes = [c.text, ...c.tokens, ...included.flatMap((f) => c.facets[f]!.token ?? [])];
    out.push(sql`t.search_document @@ (${sql.join(lexemes, sql` && `)})`);
  }
  for (const f of included) if (c.facets[f]!.row) out.push(c.facets[f]!.row!);
  return out;
}

const where = (conditions: SQL[]) => sql.join(conditions, sql` and `);
const allConditions = (c: Conditions) => conditionsWithout(c);

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

/**
 * Counts of some facets over the tenders matching `conditions`. With a cap,
 * at most cap + 1 tenders are read: past the cap no counts come back, only a
 * row ('', null, cap + 1) saying so (otherwise ('', null, matches)).
 */
function facetStatement(conditions: SQL[], facets: FacetName[], cap?: number): SQL {
  const parts = sql.raw(facets.map((f) => FACET_SELECT[f]).join(" union all "));
  const columns = sql`t.agency_id, t.category, t.method, t.currency, t.cpv_codes, ${BUCKET} as bucket`;
  if (cap !== undefined)
    return sql`with m as materialized (
      select ${columns} from tenders t where ${where(conditions)} limit ${cap + 1}
    ) select * from (${parts}) as f(facet, key, n) where (select count(*) from m) <= ${cap}
      union all select '', null, (select count(*)::int from m)`;
  const materialized = facets.length > 1 ? sql.raw("materialized") : sql.raw("not materialized");
  return sql`with m as ${materialized} (
    select ${columns} from tenders t where ${where(conditions)}
  ) select * from (${parts}) as f(facet, key, n)`;
}

/**
 * Facet counts are disjunctive: each facet is counted over the query and
 * every OTHER filter, so its other values show what choosing them would give.
 * One statement counts every facet that has no active filter; one more per
 * active facet filter counts that facet without it.
 */
export function facetSets(c: Conditions): Array<{ conditions: SQL[]; facets: FacetName[] }> {
  const active = FACETS.filter((f) => c.facets[f]);
  const idle = FACETS.filter((f) => !c.facets[f]);
  return [
    ...(idle.length ? [{ conditions: allConditions(c), facets: idle }] : []),
    ...active.map((f) => ({ conditions: conditionsWithout(c, f), facets: [f] })),
  ];
}

export function facetStatements(c: Conditions): SQL[] {
  return facetSets(c).map((set) => facetStatement(set.conditions, set.facets));
}

/** The planner's estimate of how many tenders a set of conditions matches (EXPLAIN: nothing is read). */
export function estimateStatement(conditions: SQL[]): SQL {
  return sql`explain (format json) select 1 from tenders t where ${where(conditions)}`;
}

/** Rows the plan of an estimateStatement expects (json comes back parsed or as text, per driver). */
function plannedRows(rows: Array<{ "QUERY PLAN": unknown }>): number {
  const raw = rows[0]?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{ Plan: { "Plan Rows": number } }>;
  return plan?.[0]?.Plan["Plan Rows"] ?? 0;
}

/**
 * Facets are counted while a person waits only over this many matching
 * tenders at most (a facet with more is counted in the background, see
 * FacetCache): counting reads every match, and a facet without its own
 * filter often matches a large part of all tenders.
 */
export const FACET_ROWS_LIMIT = 2_000;

// ---------------------------------------------------------------- results

/**
 * Totals are counted exactly up to here, then shown as "more than": nobody
 * pages past 1,000 results (MAX_PAGE × PAGE_SIZE), and counting — or ranking
 * by relevance — every match of a word found in a fifth of all tenders costs
 * more than the rest of the search (each match is a row to read).
 */
export const TOTAL_CAP = MAX_PAGE * PAGE_SIZE;

const OPEN = "(t.status = 'published' and t.submission_deadline > now())";

const ORDERS: Record<TenderSearch["sort"], string> = {
  relevance: "rank desc, published_at desc nulls last, id desc",
  newest: "published_at desc nulls last, id desc",
  // Open tenders first, the soonest deadline first; then the rest, the latest deadline first.
  closing:
    "open desc, case when open then submission_deadline end asc, submission_deadline desc nulls last, id desc",
  // Amounts compare only within a currency.
  value: "currency asc, estimated_value desc nulls last, id desc",
};

/**
 * One page of results, the total and the facets without a filter of their
 * own, in one pass over at most cap + 1 matches: the CTE collects them with
 * what they sort by (relevance is ts_rank_cd over the weighted document:
 * titles A, descriptions B, lots and items C) and what they are counted by;
 * one row comes back with their count, the page's ids in order and the
 * counts. When there are cap + 1 the total is "more than cap", and the page
 * comes from orderedPageStatement instead.
 */
export function pageStatement(
  c: Conditions,
  sort: TenderSearch["sort"],
  tsquery: string | null,
  page: number,
  cap = TOTAL_CAP,
): SQL {
  const rank =
    sort === "relevance" && tsquery ? sql`ts_rank_cd(t.search_document, ${tsquery}::tsquery)` : sql`0`;
  // Facets with no filter of their own count the same tenders as the results: counted here, on
  // the matches already collected (not when there are more than cap).
  const idle = FACETS.filter((f) => !c.facets[f]);
  const facets = idle.length
    ? sql`(select coalesce(json_agg(json_build_array(f.facet, f.key, f.n)), '[]'::json)
        from (${sql.raw(idle.map((f) => FACET_SELECT[f]).join(" union all "))}) as f(facet, key, n)
        where (select count(*) from m) <= ${cap})`
    : sql`'[]'::json`;
  return sql`with m as materialized (
      select t.id, ${rank} as rank, t.published_at, t.submission_deadline, ${sql.raw(OPEN)} as open,
        t.currency, t.estimated_value, t.agency_id, t.category, t.method, t.cpv_codes, ${BUCKET} as bucket
      from tenders t where ${where(allConditions(c))} limit ${cap + 1}
    )
    select (select count(*) from m)::int as total,
      array(select id::text from m order by ${sql.raw(ORDERS[sort])}
        limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}) as ids,
      ${facets} as facets`;
}

/**
 * More than `cap` matches: one page in SQL order, in one of two ways.
 * - walk (the planner's choice): an index in that order gives the page
 *   testing each tender it passes — quick when the matches are dense along
 *   that order, seconds when the words and filters are rarer there than the
 *   planner believes (seen at 1.7 s);
 * - collect: the matches come first (from the text index, with words) and
 *   are sorted (`offset 0` keeps the planner from walking instead) — bounded
 *   by the matches, seconds for a word in a third of all tenders (seen at 4 s).
 * The search walks within ORDERED_WALK_MS and collects when that was not
 * enough: then the matches are sparse, which is when collecting is quick.
 * Where no single index has the order (closing soonest but for open tenders
 * only) or its start is not what is asked (closed, newest first), the walk
 * goes through one index per phase and merges (mergedPage).
 */
export function orderedPageStatement(
  c: Conditions,
  sort: Exclude<TenderSearch["sort"], "relevance">,
  page: number,
  options: { status?: SearchStatus | null; collect?: boolean } = {},
): SQL {
  const status = options.status ?? null;
  if (!options.collect) {
    if (sort === "newest" && status === "closed") return mergedPage(c, page, "newest", CLOSED_PHASES);
    if (sort === "closing" && status !== "open")
      return mergedPage(c, page, "closing", status ? PHASES_OF[status] : ALL_PHASES);
  }
  const order = {
    newest: "t.published_at desc nulls last, t.id desc",
    // Among open tenders only, the deadline index gives this order as it is.
    closing:
      status === "open"
        ? "t.submission_deadline asc, t.id desc"
        : `${OPEN} desc, case when ${OPEN} then t.submission_deadline end asc, t.submission_deadline desc nulls last, t.id desc`,
    value: "t.currency asc, t.estimated_value desc nulls last, t.id desc",
  }[sort];
  // By value, with words, the currency is a lexeme: said on the row as well, it bounds the walk
  // of (currency, estimated_value) to that currency, which otherwise starts at the first currency
  // ("طرق", works, BHD 50,000–5,000,000: 87,765 tenders of other currencies stepped over, 174 →
  // 52 ms).
  const conditions = [
    ...allConditions(c),
    ...(sort === "value" && c.currency ? [sql`t.currency = ${c.currency}`] : []),
  ];
  const matches = options.collect
    ? sql`(select t.id, t.status, t.published_at, t.submission_deadline, t.currency, t.estimated_value
        from tenders t where ${where(conditions)} offset 0) t`
    : sql`tenders t where ${where(conditions)}`;
  return sql`select t.id from ${matches}
    order by ${sql.raw(order)} limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`;
}

/**
 * Where a public tender stands, as conditions on the row an index on status
 * can walk. Published and opened tenders always have a deadline (constraint
 * tenders_public_deadline), so every public tender is in exactly one phase.
 */
const PHASE = {
  open: { status: "published", condition: "t.status = 'published' and t.submission_deadline > now()" },
  awaitingOpening: {
    status: "published",
    condition: "t.status = 'published' and t.submission_deadline <= now()",
  },
  opened: { status: "opened", condition: "t.status = 'opened'" },
  cancelled: { status: "cancelled", condition: "t.status = 'cancelled'" },
} as const satisfies Record<string, { status: (typeof PUBLIC_STATUSES)[number]; condition: string }>;
type Phase = keyof typeof PHASE;
const CLOSED_PHASES: Phase[] = ["awaitingOpening", "opened"];
const ALL_PHASES: Phase[] = ["open", ...CLOSED_PHASES, "cancelled"];
// A public status in no phase would be left out of merged pages while totals count it.
for (const status of PUBLIC_STATUSES)
  if (!ALL_PHASES.some((phase) => PHASE[phase].status === status))
    throw new Error(`public status ${status} is in no phase of mergedPage`);
const PHASES_OF: Record<Exclude<SearchStatus, "open">, Phase[]> = {
  closed: CLOSED_PHASES,
  cancelled: ["cancelled"],
};

/**
 * A page in an order no single index walks, from one walk per phase, merged:
 * each phase gives its first page × 20 in order, the merge the page.
 * - Closed, newest first: the newest tenders of all are the open ones, and a
 *   walk of the whole history steps over every one of them before the first
 *   closed tender (15,000 rows on the 1,000,000 generated: 30 ms a page); the
 *   opened walk their own index (tenders_opened_published_at_idx) and the few
 *   awaiting opening come from the published tenders' text index ("أمن",
 *   goods, closed: 32 → 3 ms).
 * - Closing soonest: open tenders first by deadline, then the others latest
 *   deadline first — an expression no index has, so the "walk" read and
 *   sorted every match; now each phase walks (status, deadline desc)
 *   (tenders_status_deadline_desc_idx) ("centre", open procedure, closed:
 *   200 ms → 2 ms).
 */
function mergedPage(c: Conditions, page: number, sort: "newest" | "closing", phases: Phase[]): SQL {
  const conditions = where(allConditions(c));
  const branchOrder = (phase: Phase) =>
    sort === "newest"
      ? "t.published_at desc nulls last, t.id desc"
      : phase === "open"
        ? "t.submission_deadline asc, t.id desc"
        : "t.submission_deadline desc nulls last, t.id desc";
  // With words, open tenders come from the published tenders' own text index: "is true" keeps
  // the planner from ANDing the whole history's text index with the deadline index's open
  // range instead ("street lighting", works, open procedure: 67 → 12 ms). Without words, the
  // deadline index walks the open range in order.
  const condition = (phase: Phase) =>
    phase === "open" && c.text
      ? "t.status = 'published' and (t.submission_deadline > now()) is true"
      : PHASE[phase].condition;
  const branches = phases.map(
    (phase) =>
      sql`(select t.id, ${sql.raw(phase === "open" ? "0" : "1")} as open_last, t.published_at, t.submission_deadline
        from tenders t where ${sql.raw(condition(phase))} and ${conditions}
        order by ${sql.raw(branchOrder(phase))} limit ${page * PAGE_SIZE})`,
  );
  const order =
    sort === "newest"
      ? "u.published_at desc nulls last, u.id desc"
      : "u.open_last, case when u.open_last = 0 then u.submission_deadline end asc, u.submission_deadline desc nulls last, u.id desc";
  return sql`select u.id from (${sql.join(branches, sql` union all `)}) u
    order by ${sql.raw(order)} limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`;
}

/** How long a capped page may walk an index before it is collected instead. */
export const ORDERED_WALK_MS = 50;

/** What a result shows, for the ids of one page. */
export function detailsStatement(ids: string[]): SQL {
  return sql`select t.id, t.reference, t.title_ar, t.title_en, t.description_ar, t.description_en,
      t.status, t.submission_deadline, t.time_zone, t.currency, t.estimated_value::text as estimated_value,
      t.category, t.method, t.cpv_codes, t.published_at, t.updated_at,
      o.slug as agency_slug, o.name_ar as agency_name_ar, o.name_en as agency_name_en,
      (select count(*)::int from tender_lots l where l.tender_id = t.id and l.cancelled_at is null) as standing_lots,
      (select count(*)::int from awards a where a.tender_id = t.id and a.notice_published_at is not null
         and a.status in ('approved', 'contracted')) as awarded_lots
    from tenders t join organisations o on o.id = t.agency_id
    where t.id = any(array(select json_array_elements_text(${JSON.stringify(ids)}::json)::uuid))
      and ${PUBLIC}`;
}

/** The lexemes of displayed words, for highlighting. */
export function lexemesStatement(words: string[]): SQL {
  return sql`select w as word, search_word_lexemes(w) as lexemes
    from json_array_elements_text(${JSON.stringify(words)}::json) w`;
}

/** Names of agencies by id (the agency facet) and by slug (the agency filter). */
export function agencyNamesStatement(ids: string[], slug: string | null): SQL {
  return sql`select id::text, slug, name_ar, name_en from organisations
    where id::text in (select json_array_elements_text(${JSON.stringify(ids)}::json)) or slug = ${slug ?? ""}`;
}

// ---------------------------------------------------------------- running statements

/**
 * Runs one statement: alone, or with a time limit in a transaction of its own
 * (SET LOCAL statement_timeout). The app runs them through drizzle; the
 * benchmark through postgres.js directly.
 */
export interface SearchRunner {
  run<T>(statement: SQL, options?: { timeoutMs?: number }): Promise<T[]>;
}

export function drizzleRunner(db: Db): SearchRunner {
  return {
    run: async <T>(statement: SQL, options: { timeoutMs?: number } = {}) => {
      if (!options.timeoutMs) return [...(await db.execute(statement))] as T[];
      return db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('statement_timeout', ${`${options.timeoutMs}ms`}, true)`);
        return [...(await tx.execute(statement))] as T[];
      });
    },
  };
}

/** The newest public tenders of a search (for its Atom feed): ids in order, then what each shows. */
export async function latestTenders(
  search: TenderSearch,
  db: Db,
  limit = 50,
  runner: SearchRunner = drizzleRunner(db),
): Promise<Array<Record<string, unknown>>> {
  const tsquery = await tsqueryOf(search.q, runner);
  const conditions = searchConditions(search, tsquery);
  const ids = (
    await runner.run<{ id: string }>(
      sql`select t.id from tenders t where ${where(allConditions(conditions))}
        order by t.published_at desc nulls last, t.id desc limit ${limit}`,
    )
  ).map((r) => r.id);
  if (!ids.length) return [];
  const details = await runner.run<Record<string, unknown>>(detailsStatement(ids));
  const byId = new Map<string, Record<string, unknown>>(details.map((d) => [String(d.id), d]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

// ---------------------------------------------------------------- facet cache

export type Facets = Record<FacetName, Array<{ key: string; count: number }>>;

/**
 * Facet counts of recent searches, per process. Counting a facet means
 * visiting every tender that matches the query and the other filters — for a
 * broad search hundreds of thousands — so:
 * - counts are kept for `ttlSeconds`, and answered stale for ten times that
 *   while one refresh runs;
 * - a request counts the facets of its active filters (one statement each)
 *   only when the search was asked before (askedBefore: a reload, another
 *   page or order of it), within a budget, and not at all when the planner
 *   expects too many matches; the page then says they are being prepared.
 *   Most searches are asked once: measured with 20 clients on the 1,000,000
 *   generated tenders (2026-11-25), counting them on every first ask cost a
 *   fifth of PostgreSQL's time per search (30 → 24 ms without) and, since
 *   the page waits for them, doubled the p95 of a search alone (144 → 72 ms),
 *   to complete the first view of about one search in six;
 * - a search asked again within ten times `ttlSeconds` whose counts are
 *   missing is counted in the background, one at a time, resting as long
 *   after each count as it took (at most half of one connection's time), at
 *   most `maxQueued` waiting: one-off searches cost nothing more.
 * Results and totals are never cached.
 */
export class FacetCache {
  private entries = new Map<string, { at: number; facets: Facets }>();
  private asked = new Map<string, number>();
  private queue = new Map<string, () => Promise<Facets>>();
  private running = false;
  hits = 0;
  misses = 0;

  constructor(
    readonly ttlSeconds: number,
    private readonly maxEntries = 2000,
    private readonly maxQueued = 10,
  ) {}

  /** Fresh or stale facets for a search, or null; a stale entry is queued for a refresh. */
  peek(key: string, load: () => Promise<Facets>): Facets | null {
    if (this.ttlSeconds <= 0) return null;
    const entry = this.entries.get(key);
    const age = entry ? (Date.now() - entry.at) / 1000 : Number.POSITIVE_INFINITY;
    if (!entry || age >= this.ttlSeconds * 10) {
      this.misses++;
      return null;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (age >= this.ttlSeconds) this.enqueue(key, load);
    return entry.facets;
  }

  put(key: string, facets: Facets) {
    if (this.ttlSeconds <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { at: Date.now(), facets });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Whether the search was asked within ten times `ttlSeconds` (always, with the cache off). */
  askedBefore(key: string): boolean {
    if (this.ttlSeconds <= 0) return true;
    const at = this.asked.get(key);
    return at !== undefined && Date.now() - at < this.ttlSeconds * 10_000;
  }

  /** Facets a request could not count: counted in the background if the search was asked before. */
  later(key: string, load: () => Promise<Facets>) {
    if (this.ttlSeconds <= 0) return;
    const before = this.askedBefore(key);
    this.asked.delete(key);
    this.asked.set(key, Date.now());
    while (this.asked.size > this.maxEntries * 5) this.asked.delete(this.asked.keys().next().value!);
    if (before) this.enqueue(key, load);
  }

  private enqueue(key: string, load: () => Promise<Facets>) {
    if (this.queue.has(key) || this.queue.size >= this.maxQueued) return;
    this.queue.set(key, load);
    void this.drain();
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.entries().next(); !next.done; next = this.queue.entries().next()) {
        const [key, load] = next.value;
        const started = performance.now();
        try {
          this.put(key, await load());
        } catch {
          // Counts are a convenience: a failed background count is simply not cached.
        } finally {
          this.queue.delete(key);
        }
        await new Promise((r) => setTimeout(r, Math.max(10, performance.now() - started)));
      }
    } finally {
      this.running = false;
    }
  }
}

const caches = new Map<number, FacetCache>();

/** The process's facet cache for a time to live (SEARCH_CACHE_SECONDS; 0 turns caching off). */
export function facetCacheFor(ttlSeconds: number): FacetCache {
  const cache = caches.get(ttlSeconds) ?? new FacetCache(ttlSeconds);
  caches.set(ttlSeconds, cache);
  return cache;
}

/** Lexemes of displayed words: the vocabulary of tender texts is small, so this fills once and stays. */
const lexemeCache = new Map<string, string[]>();
const LEXEME_CACHE_MAX = 100_000;

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
  /** Lots not cancelled, and those with a published award in force (see phaseWithAwards). */
  lots: { standing: number; awarded: number };
  /** Highlighted titles and description snippets (hits marked). */
  highlights: { titleAr: Segment[]; titleEn: Segment[]; descriptionAr: Segment[]; descriptionEn: Segment[] };
}

export interface TenderSearchResult {
  /** The parsed words had something to match (not only stop words or punctuation). */
  matchedWords: boolean;
  /** Exact up to TOTAL_CAP; `totalCapped` when there are more. */
  total: number;
  totalCapped: boolean;
  /** The order used: relevance gives way to newest when more than TOTAL_CAP tenders match. */
  sort: TenderSearch["sort"];
  page: number;
  pages: number;
  rows: SearchResultRow[];
  /**
   * Counts per facet; a facet missing could not be counted in time (it is
   * counted in the background if the search comes again), null: none could.
   */
  facets: Partial<Facets> | null;
  /** Names of the agencies in the agency facet (and the filtered one), by slug. */
  agencies: Record<string, { nameAr: string; nameEn: string }>;
}

/** The cache key of a search's facets: everything but sort and page. */
export function countsKey(search: TenderSearch): string {
  const { sort: _sort, page: _page, ...rest } = search;
  return JSON.stringify(rest, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Facet counts (agencies by id). */
type FacetRow = { facet: string; key: string | null; n: number };

function addRows(facets: Partial<Facets>, rows: Iterable<FacetRow | [string, string | null, number]>) {
  for (const row of rows) {
    const [facet, key, n] = Array.isArray(row) ? row : [row.facet, row.key, row.n];
    if (key === null) continue;
    const list = facets[facet as FacetName] ?? [];
    list.push({ key, count: n });
    facets[facet as FacetName] = list;
  }
}

const sortFacets = <T extends Partial<Facets>>(facets: T): T => {
  for (const list of Object.values(facets))
    list?.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return facets;
};

/**
 * Facet counts (agencies by id) of the given facets (default all), with a
 * shared time limit; with a cap, facets of a set matching more tenders than
 * that are left out (not counted).
 */
async function countFacets(
  c: Conditions,
  runner: SearchRunner,
  options: { timeoutMs?: number; only?: FacetName[]; cap?: number } = {},
): Promise<Partial<Facets>> {
  const facets: Partial<Facets> = {};
  for (const f of options.only ?? FACETS) facets[f] = [];
  const sets = facetSets(c).filter(
    (set) => !options.only || set.facets.some((f) => options.only!.includes(f)),
  );
  const started = performance.now();
  for (const set of sets) {
    const left =
      options.timeoutMs === undefined
        ? undefined
        : Math.max(1, Math.round(options.timeoutMs - (performance.now() - started)));
    const rows = await runner.run<FacetRow>(facetStatement(set.conditions, set.facets, options.cap), {
      timeoutMs: left,
    });
    const matches = rows.find((r) => r.facet === "")?.n ?? 0;
    if (options.cap !== undefined && matches > options.cap) for (const f of set.facets) delete facets[f];
    else addRows(facets, rows);
  }
  return sortFacets(facets);
}

const isComplete = (facets: Partial<Facets>): facets is Facets =>
  FACETS.every((f) => facets[f] !== undefined);

export interface SearchOptions {
  /** Facet cache; null to count every time, within no budget (tests). */
  cache?: FacetCache | null;
  /** Milliseconds the request may spend counting facets (default 80). */
  facetBudgetMs?: number;
  /** Count totals exactly up to this (default TOTAL_CAP). */
  totalCap?: number;
  /** Count a facet while the person waits over at most this many matches (default FACET_ROWS_LIMIT). */
  facetRowsLimit?: number;
  /** How statements run (default: through drizzle on `db`). */
  runner?: SearchRunner;
}

const STATEMENT_TIMEOUT = "57014";

export async function searchTenders(
  search: TenderSearch,
  db: Db,
  options: SearchOptions = {},
): Promise<TenderSearchResult> {
  const runner = options.runner ?? drizzleRunner(db);
  const cache = options.cache === undefined ? facetCacheFor(60) : options.cache;
  const budget = options.facetBudgetMs ?? 80;
  const cap = options.totalCap ?? TOTAL_CAP;
  const rowsLimit = options.facetRowsLimit ?? FACET_ROWS_LIMIT;

  const tsquery = await tsqueryOf(search.q, runner);
  const conditions = searchConditions(search, tsquery);

  // Facets, within the budget, side by side with the results.
  const key = countsKey(search);
  const loadFacets = async () => countFacets(conditions, runner) as Promise<Facets>;
  const cached = cache ? cache.peek(key, loadFacets) : null;
  const active = FACETS.filter((f) => conditions.facets[f]);

  /** Facets of the active filters, each counted without its own filter: within the budget, or not now. */
  // How many tenders the search matches (up to cap + 1), once the first page statement says.
  let matchesKnown!: (n: number) => void;
  const matches = new Promise<number>((resolve) => {
    matchesKnown = resolve;
  });
  const activeFacets = async (): Promise<Partial<Facets> | null> => {
    if (cached || active.length === 0) return {};
    if (!cache) return countFacets(conditions, runner, { only: active });
    // Not on a first ask (see FacetCache): the page says they are being prepared.
    if (!cache.askedBefore(key)) return null;
    // A facet is counted without its own filter: over more tenders than the search matches. When
    // the search alone matches more than the limit, so does every such count: none is tried.
    if ((await matches) > rowsLimit) return null;
    // Nor one the planner expects to match more (asking costs a plan, counting costs the text
    // index's whole bitmap however few rows are then read); a wrong guess is caught by the cap.
    const sets = facetSets(conditions).filter((set) => set.facets.some((f) => active.includes(f)));
    const expected = await Promise.all(
      sets.map(async (set) => plannedRows(await runner.run(estimateStatement(set.conditions)))),
    );
    const countable = sets
      .filter((_, i) => expected[i]! <= rowsLimit)
      .flatMap((set) => set.facets.filter((f) => active.includes(f)));
    if (countable.length === 0) return null;
    try {
      return await countFacets(conditions, runner, { timeoutMs: budget, only: countable, cap: rowsLimit });
    } catch (e) {
      if (postgresErrorOf(e)?.code !== STATEMENT_TIMEOUT) throw e;
      return null;
    }
  };
  const results = async () => {
    const sortFor = (capped: boolean) =>
      search.sort === "relevance" && (capped || !tsquery) ? "newest" : search.sort;
    const pageOf = async (page: number) =>
      (
        await runner.run<{ total: number; ids: string[] | null; facets: unknown }>(
          pageStatement(conditions, sortFor(false), tsquery, page, cap),
        )
      )[0] ?? { total: 0, ids: [], facets: [] };
    const first = await pageOf(search.page).catch((e) => {
      matchesKnown(Number.POSITIVE_INFINITY);
      throw e;
    });
    matchesKnown(first.total);
    const totalCapped = first.total > cap;
    const total = Math.min(first.total, cap);
    const pages = Math.max(1, Math.min(MAX_PAGE, Math.ceil(total / PAGE_SIZE)));
    const page = Math.min(search.page, pages);
    const sort = sortFor(totalCapped);
    let ids = first.ids ?? [];
    if (totalCapped) {
      const ordered = (collect: boolean) =>
        orderedPageStatement(conditions, sort === "relevance" ? "newest" : sort, page, {
          status: search.status,
          collect,
        });
      let rows: Array<{ id: string }>;
      try {
        rows = await runner.run(ordered(false), { timeoutMs: ORDERED_WALK_MS });
      } catch (e) {
        if (postgresErrorOf(e)?.code !== STATEMENT_TIMEOUT) throw e;
        rows = await runner.run(ordered(true));
      }
      ids = rows.map((r) => r.id);
    }
    // Asked for a page past the last: the last.
    else if (page !== search.page && total > 0) ids = (await pageOf(page)).ids ?? [];
    // The facets counted with the page (none when there were more than cap matches).
    const rawFacets = typeof first.facets === "string" ? JSON.parse(first.facets) : first.facets;
    let pageFacets: Partial<Facets> | null = null;
    if (!totalCapped) {
      pageFacets = {};
      for (const f of FACETS) if (!conditions.facets[f]) pageFacets[f] = [];
      addRows(pageFacets, (rawFacets ?? []) as Array<[string, string | null, number]>);
      sortFacets(pageFacets);
    }
    const details = ids.length ? await runner.run<Record<string, unknown>>(detailsStatement(ids)) : [];
    const byId = new Map<string, Record<string, unknown>>(details.map((d) => [String(d.id), d]));
    const found: Array<Record<string, unknown>> = ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [row] : [];
    });
    return { total, totalCapped, pages, page, sort, rows: found, pageFacets };
  };
  const [found, counted] = await Promise.all([results(), activeFacets()]);
  let facetsById: Partial<Facets> | null = cached;
  if (!facetsById) {
    const merged: Partial<Facets> = { ...(found.pageFacets ?? {}), ...(counted ?? {}) };
    if (isComplete(merged)) {
      cache?.put(key, merged);
      facetsById = merged;
    } else {
      cache?.later(key, loadFacets);
      facetsById = Object.keys(merged).length ? merged : null;
    }
  }

  // Highlights: which displayed words stand for lexemes of the query.
  const wanted = new Set(tsquery ? queryLexemes(tsquery) : []);
  const isHit = await (async () => {
    if (!wanted.size) return () => false;
    const words = wordsOf(
      ...found.rows.flatMap((r) => [r.title_ar, r.title_en, r.description_ar, r.description_en] as string[]),
    );
    const missing = words.filter((w) => !lexemeCache.has(w));
    if (missing.length) {
      const rows = await runner.run<{ word: string; lexemes: string[] | null }>(lexemesStatement(missing));
      if (lexemeCache.size + rows.length > LEXEME_CACHE_MAX) lexemeCache.clear();
      for (const r of rows) lexemeCache.set(r.word, r.lexemes ?? []);
    }
    return (word: string) => (lexemeCache.get(word) ?? []).some((l) => wanted.has(l));
  })();

  // Agency names for the facet (top ten) and the active filter; the facet is keyed by slug, as the filter is.
  const topIds = (facetsById?.agency ?? []).slice(0, 10).map((a) => a.key);
  const agencyRows =
    topIds.length || search.agency
      ? await runner.run<{ id: string; slug: string; name_ar: string; name_en: string }>(
          agencyNamesStatement(topIds, search.agency),
        )
      : [];
  const byId = new Map(agencyRows.map((a) => [a.id, a]));
  let facets: Partial<Facets> | null = null;
  if (facetsById) {
    const { agency, ...others } = facetsById;
    facets = others;
    if (agency)
      facets.agency = agency
        .flatMap((a) => {
          const name = byId.get(a.key);
          return name ? [{ key: name.slug, count: a.count }] : [];
        })
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }

  return {
    matchedWords: tsquery !== null,
    total: found.total,
    totalCapped: found.totalCapped,
    sort: found.sort,
    page: found.page,
    pages: found.pages,
    facets,
    agencies: Object.fromEntries(agencyRows.map((a) => [a.slug, { nameAr: a.name_ar, nameEn: a.name_en }])),
    rows: found.rows.map((r) => {
      const text = (column: string) => String(r[column] ?? "");
      const date = (column: string) => (r[column] ? new Date(r[column] as string) : null);
      return {
        id: text("id"),
        reference: text("reference"),
        titleAr: text("title_ar"),
        titleEn: text("title_en"),
        descriptionAr: text("description_ar"),
        descriptionEn: text("description_en"),
        status: text("status"),
        submissionDeadline: date("submission_deadline"),
        timeZone: text("time_zone"),
        currency: text("currency"),
        estimatedValue: r.estimated_value === null ? null : BigInt(r.estimated_value as string),
        category: text("category"),
        method: text("method"),
        cpvCodes: (r.cpv_codes as string[]) ?? [],
        publishedAt: date("published_at"),
        agency: { slug: text("agency_slug"), nameAr: text("agency_name_ar"), nameEn: text("agency_name_en") },
        lots: { standing: Number(r.standing_lots ?? 0), awarded: Number(r.awarded_lots ?? 0) },
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
