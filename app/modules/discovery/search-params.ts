import { exponentOf, parseAmount, toDecimalString } from "#app/modules/ledger/money.ts";
import { normaliseArabic } from "#app/modules/tenders/arabic-normalise.ts";
import { TENDER_CATEGORIES, TENDER_METHODS } from "#db/schema/tender-kinds.ts";
import { isRegionOrCountry } from "./regions.ts";
import { MAX_QUERY_LENGTH } from "./search-query.ts";

/**
 * A tender search as a URL: every state of the search page (and of its Atom
 * feed) lives in the query string, so a search can be bookmarked and shared.
 * Pure: parsing never throws, and a value that makes no sense is dropped with
 * a problem to show rather than failing the page.
 *
 * | param      | meaning                                                        |
 * |------------|----------------------------------------------------------------|
 * | q          | words, "phrases", -excluded, a OR b (search-query.ts)          |
 * | status     | open · closed · cancelled                                      |
 * | agency     | the agency's slug                                              |
 * | cpv        | CPV code or prefix: 45, 4523, 45233120-6 (the code and below)  |
 * | method     | open · restricted · rfq                                        |
 * | category   | goods · works · services                                       |
 * | region     | ISO 3166-2 region (KW-HA) or a whole country (KW)              |
 * | currency   | ISO 4217                                                       |
 * | min, max   | estimated value, in MAJOR units of `currency` (1250.500 KWD);  |
 * |            | only with a currency: amounts in different currencies do not   |
 * |            | compare                                                        |
 * | from, to   | submission deadline between these days (YYYY-MM-DD, each day   |
 * |            | in the tender's own time zone, both included)                  |
 * | sort       | relevance (with words only) · closing · value · newest        |
 * | page       | 1 … MAX_PAGE                                                   |
 */

export const SEARCH_STATUSES = ["open", "closed", "cancelled"] as const;
export const SEARCH_SORTS = ["relevance", "closing", "value", "newest"] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];
export type SearchSort = (typeof SEARCH_SORTS)[number];
export type TenderMethod = (typeof TENDER_METHODS)[number];
export type TenderCategory = (typeof TENDER_CATEGORIES)[number];

export const PAGE_SIZE = 20;
/**
 * Offset pagination stops at page 50 (1,000 results): the database reads and
 * throws away every row before the page, so deep pages cost more and more,
 * and nobody reads the 1,001st result of a search — they refine it. Whole
 * data sets are in the Atom feed and the OCDS API.
 */
export const MAX_PAGE = 50;

export interface TenderSearch {
  /** As typed (cut to MAX_QUERY_LENGTH); matching cleans it again (search-query.ts). */
  q: string;
  status: SearchStatus | null;
  agency: string | null;
  /** Significant digits of a CPV code, 2 to 8: "45", "4523", "45233120". */
  cpv: string | null;
  method: TenderMethod | null;
  category: TenderCategory | null;
  region: string | null;
  currency: string | null;
  /** Minor units of `currency`. */
  valueMin: bigint | null;
  valueMax: bigint | null;
  /** YYYY-MM-DD. */
  deadlineFrom: string | null;
  deadlineTo: string | null;
  sort: SearchSort;
  page: number;
}

export type SearchProblem =
  | "valueNeedsCurrency"
  | "valueInvalid"
  | "valueRange"
  | "dateInvalid"
  | "dateRange"
  | "cpvInvalid"
  | "pageCapped";

const one = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  allowed.find((a) => a === value) ?? null;

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/**
 * The significant digits of a CPV code or prefix as typed ("45000000-7" → "45",
 * "٤٥٢٣" → "4523", "45233120-6" → "4523312"… no: an eight-digit code keeps
 * its digits up to the last non-zero one, which selects it and its children).
 */
export function cpvPrefix(text: string): string | null {
  const digits = /^(\d{2,8})(?:-\d)?$/.exec(normaliseArabic(text).replace(/\s+/g, ""));
  if (!digits) return null;
  const significant = digits[1]!.replace(/0+$/, "");
  return significant.length >= 2 ? significant : digits[1]!.slice(0, 2);
}

/** Read a search from a URL's query string. */
export function parseSearchParams(params: URLSearchParams): {
  search: TenderSearch;
  problems: SearchProblem[];
} {
  const problems: SearchProblem[] = [];
  const get = (name: string) => {
    const v = params.get(name);
    return v === null ? null : v.trim() || null;
  };
  const q = (params.get("q") ?? "").slice(0, MAX_QUERY_LENGTH).trim();

  const agency = get("agency")?.toLowerCase() ?? null;
  const region = get("region")?.toUpperCase() ?? null;
  const currencyText = get("currency")?.toUpperCase() ?? null;
  const currency = currencyText && /^[A-Z]{3}$/.test(currencyText) ? currencyText : null;

  const cpvText = get("cpv");
  const cpv = cpvText ? cpvPrefix(cpvText) : null;
  if (cpvText && !cpv) problems.push("cpvInvalid");

  let valueMin: bigint | null = null;
  let valueMax: bigint | null = null;
  const minText = get("min");
  const maxText = get("max");
  if (minText || maxText) {
    if (!currency) problems.push("valueNeedsCurrency");
    else {
      const min = minText ? parseAmount(minText, currency) : null;
      const max = maxText ? parseAmount(maxText, currency) : null;
      if ((minText && (min === null || min < 0n)) || (maxText && (max === null || max < 0n)))
        problems.push("valueInvalid");
      else if (min !== null && max !== null && min > max) problems.push("valueRange");
      else {
        valueMin = min;
        valueMax = max;
      }
    }
  }

  let deadlineFrom = get("from");
  let deadlineTo = get("to");
  if ((deadlineFrom && !isDate(deadlineFrom)) || (deadlineTo && !isDate(deadlineTo))) {
    problems.push("dateInvalid");
    deadlineFrom = deadlineFrom && isDate(deadlineFrom) ? deadlineFrom : null;
    deadlineTo = deadlineTo && isDate(deadlineTo) ? deadlineTo : null;
  }
  if (deadlineFrom && deadlineTo && deadlineFrom > deadlineTo) {
    problems.push("dateRange");
    deadlineFrom = null;
    deadlineTo = null;
  }

  const requested = one(get("sort"), SEARCH_SORTS);
  const hasWords = /[\p{L}\p{N}]/u.test(q);
  const sort: SearchSort =
    requested === "relevance" && !hasWords ? "newest" : (requested ?? (hasWords ? "relevance" : "newest"));

  const pageText = get("page");
  let page = pageText && /^\d{1,6}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
  if (page > MAX_PAGE) {
    problems.push("pageCapped");
    page = MAX_PAGE;
  }

  return {
    search: {
      q,
      status: one(get("status"), SEARCH_STATUSES),
      agency: agency && SLUG.test(agency) ? agency : null,
      cpv,
      method: one(get("method"), TENDER_METHODS),
      category: one(get("category"), TENDER_CATEGORIES),
      region: region && isRegionOrCountry(region) ? region : null,
      currency,
      valueMin,
      valueMax,
      deadlineFrom,
      deadlineTo,
      sort,
      page,
    },
    problems,
  };
}

/**
 * The canonical query string of a search (empty values left out), with some
 * values changed: for facet links, sort and pagination. Changing a filter goes
 * back to page 1.
 */
export function searchParamsOf(search: TenderSearch, change: Partial<TenderSearch> = {}): URLSearchParams {
  const s = { ...search, ...change };
  if (Object.keys(change).some((k) => k !== "page")) s.page = change.page ?? 1;
  const params = new URLSearchParams();
  const put = (name: string, value: string | null | undefined) => {
    if (value) params.set(name, value);
  };
  put("q", s.q);
  put("status", s.status);
  put("agency", s.agency);
  put("cpv", s.cpv);
  put("method", s.method);
  put("category", s.category);
  put("region", s.region);
  put("currency", s.currency);
  if (s.currency) {
    if (s.valueMin !== null) put("min", toDecimalString({ amount: s.valueMin, currency: s.currency }));
    if (s.valueMax !== null) put("max", toDecimalString({ amount: s.valueMax, currency: s.currency }));
  }
  put("from", s.deadlineFrom);
  put("to", s.deadlineTo);
  const hasWords = /[\p{L}\p{N}]/u.test(s.q);
  if (s.sort !== (hasWords ? "relevance" : "newest")) put("sort", s.sort);
  if (s.page > 1) put("page", String(s.page));
  return params;
}

/** A currency's value as typed back into the form (major units), or "". */
export function valueText(amount: bigint | null, currency: string | null): string {
  if (amount === null || !currency) return "";
  exponentOf(currency);
  return toDecimalString({ amount, currency });
}
