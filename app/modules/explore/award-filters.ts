import { TENDER_CATEGORIES } from "#db/schema/tender-kinds.ts";

export type TenderCategory = (typeof TENDER_CATEGORIES)[number];

/**
 * The award explorer's filters, read from the URL (a GET form: every view is
 * a link that can be shared). Anything typed into the address bar is data: a
 * value that cannot be right is dropped and named as a problem, so the page
 * still answers — with the filters it could read.
 */
export interface AwardFilters {
  /** Agency slug. */
  agency: string | null;
  /** Supplier (business) slug. */
  supplier: string | null;
  /** ISO 4217 code. */
  currency: string | null;
  /** Calendar year of the award decision (UTC, as the insights charts count months). */
  year: number | null;
  category: TenderCategory | null;
  page: number;
}

export type AwardFilterProblem = "agency" | "supplier" | "currency" | "year" | "category" | "page";

export const AWARD_PAGE_SIZE = 25;
/** Years outside this range are typing mistakes, not years of awards on Shafaf. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
/** An organisation's URL name as Shafaf makes them: lower-case letters, digits and hyphens. */
export const isSlug = (text: string): boolean => SLUG.test(text);
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export function isCurrencyCode(text: string): boolean {
  return /^[A-Z]{3}$/.test(text) && KNOWN_CURRENCIES.has(text);
}

export function parseAwardFilters(params: URLSearchParams): {
  filters: AwardFilters;
  problems: AwardFilterProblem[];
} {
  const problems: AwardFilterProblem[] = [];
  const get = (name: string) => params.get(name)?.trim().slice(0, 200) || null;

  const slug = (name: "agency" | "supplier") => {
    const text = get(name)?.toLowerCase() ?? null;
    if (text === null) return null;
    if (SLUG.test(text)) return text;
    problems.push(name);
    return null;
  };
  const agency = slug("agency");
  const supplier = slug("supplier");

  const currencyText = get("currency")?.toUpperCase() ?? null;
  const currency = currencyText && isCurrencyCode(currencyText) ? currencyText : null;
  if (currencyText && !currency) problems.push("currency");

  const yearText = get("year");
  const yearNumber = yearText && /^\d{4}$/.test(yearText) ? Number(yearText) : null;
  const year = yearNumber !== null && yearNumber >= FIRST_YEAR && yearNumber <= LAST_YEAR ? yearNumber : null;
  if (yearText && year === null) problems.push("year");

  const categoryText = get("category");
  const category = TENDER_CATEGORIES.find((c) => c === categoryText) ?? null;
  if (categoryText && !category) problems.push("category");

  const pageText = get("page");
  const page = pageText && /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  if (pageText && page === 1 && pageText !== "1") problems.push("page");

  return { filters: { agency, supplier, currency, year, category, page }, problems };
}

/**
 * The canonical query string of a view (empty filters left out), with some
 * values changed; changing a filter goes back to page 1.
 */
export function awardFilterParams(
  filters: AwardFilters,
  change: Partial<AwardFilters> = {},
): URLSearchParams {
  const f = { ...filters, ...change };
  if (Object.keys(change).some((k) => k !== "page")) f.page = change.page ?? 1;
  const params = new URLSearchParams();
  if (f.agency) params.set("agency", f.agency);
  if (f.supplier) params.set("supplier", f.supplier);
  if (f.currency) params.set("currency", f.currency);
  if (f.year !== null) params.set("year", String(f.year));
  if (f.category) params.set("category", f.category);
  if (f.page > 1) params.set("page", String(f.page));
  return params;
}
