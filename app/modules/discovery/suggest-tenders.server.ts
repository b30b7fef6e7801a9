import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { hasArabicLetter } from "#app/modules/tenders/arabic-normalise.ts";
import type { Queryable } from "#db/client.server.ts";
import { cleanQueryText } from "./search-query.ts";
import { PUBLIC_CONDITION } from "./search-tenders.server.ts";

/**
 * Autocomplete for the tender search box: titles of public tenders and names
 * of agencies that contain what was typed, normalised the same way as the
 * search (hamza, ة/ه, diacritics, Arabic-Indic digits; case). Titles are
 * matched in the script typed (Arabic letters: Arabic titles; otherwise
 * English), agencies in both. Served by the trigram indexes on
 * search_trigram_form(title) and on agency names (see migration
 * tender_search_trigram_form: Arabic written as ASCII so trigrams exist
 * whatever the database's locale); every candidate is checked against the
 * real normalised text here. Titles need three characters (a trigram),
 * agencies two.
 *
 * Suggestions that start with the text come first, then those with a word
 * that starts with it, then the rest.
 *
 * The page's route keeps answers per normalised text for SEARCH_CACHE_SECONDS
 * (suggestionCache): what people type into a search box repeats — the first
 * letters of the same few hundred words — and a title lookup over a million
 * tenders costs milliseconds of database time where a kept answer costs
 * microseconds. Requests for the same text at the same moment share one
 * lookup. A new tender's title is suggested at most that long after it is
 * published (the search itself is never cached).
 */

export interface Suggestion {
  kind: "tender" | "agency";
  /** What goes into the search box. */
  value: string;
  lang: "ar" | "en";
  /** The agency's slug, to filter by it. */
  agency?: string;
}

const MAX_TITLES = 8;
const MAX_AGENCIES = 4;
/** Titles read to find MAX_TITLES different ones (many tenders share a title). */
const TITLE_ROWS = 60;

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rankOf(candidate: string, text: string): number {
  const c = cleanQueryText(candidate);
  if (c.startsWith(text)) return 0;
  if (c.includes(` ${text}`)) return 1;
  return 2;
}

export type SuggestionCache = LRUCache<string, Suggestion[], { db: Queryable }>;

const caches = new Map<number, SuggestionCache>();

/** The process's suggestion cache for a time to live in seconds (0: none). */
export function suggestionCache(ttlSeconds: number): SuggestionCache | null {
  if (ttlSeconds <= 0) return null;
  let cache = caches.get(ttlSeconds);
  if (!cache) {
    cache = new LRUCache<string, Suggestion[], { db: Queryable }>({
      max: 5_000,
      ttl: ttlSeconds * 1000,
      fetchMethod: (text, _stale, { context }) => lookUp(text, context.db),
    });
    caches.set(ttlSeconds, cache);
  }
  return cache;
}

export async function suggestTenders(
  typed: string,
  db: Queryable,
  cache: SuggestionCache | null = null,
): Promise<Suggestion[]> {
  const text = cleanQueryText(typed).trim().replace(/\s+/g, " ");
  if ([...text].length < 2) return [];
  if (!cache) return lookUp(text, db);
  return (await cache.fetch(text, { context: { db } })) ?? [];
}

/** Suggestions for text already normalised (two characters or more). */
async function lookUp(text: string, db: Queryable): Promise<Suggestion[]> {
  const pattern = like(text);
  const arabic = hasArabicLetter(text);

  const form = sql`search_trigram_form(${pattern})`;
  const agencies = await db.execute<{ slug: string; name_ar: string; name_en: string }>(sql`
    select slug, name_ar, name_en from organisations
    where kind = 'agency' and (search_trigram_form(name_ar) like ${form} or search_trigram_form(name_en) like ${form})
    limit 40`);
  const titles =
    [...text].length < 3
      ? []
      : await db.execute<{ title: string }>(
          arabic
            ? sql`select t.title_ar as title from tenders t
                where search_trigram_form(t.title_ar) like ${form} and ${PUBLIC_CONDITION} limit ${TITLE_ROWS}`
            : sql`select t.title_en as title from tenders t
                where search_trigram_form(t.title_en) like ${form} and ${PUBLIC_CONDITION} limit ${TITLE_ROWS}`,
        );

  const seen = new Set<string>();
  const tenderSuggestions = titles
    .filter((r) => {
      const key = cleanQueryText(r.title);
      // The trigram form can match where the text does not (see above).
      if (seen.has(key) || !key.includes(text)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => ({ value: r.title, rank: rankOf(r.title, text) }))
    .sort((a, b) => a.rank - b.rank || a.value.length - b.value.length || a.value.localeCompare(b.value))
    .slice(0, MAX_TITLES)
    .map((r): Suggestion => ({ kind: "tender", value: r.value, lang: arabic ? "ar" : "en" }));

  const agencySuggestions = agencies
    .filter((a) => cleanQueryText(a.name_ar).includes(text) || cleanQueryText(a.name_en).includes(text))
    .map((a) => {
      // The name in the language that matched (Arabic when both do).
      const inArabic = cleanQueryText(a.name_ar).includes(text);
      const name = inArabic ? a.name_ar : a.name_en;
      return { a, name, lang: inArabic ? ("ar" as const) : ("en" as const), rank: rankOf(name, text) };
    })
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name))
    .slice(0, MAX_AGENCIES)
    .map((x): Suggestion => ({ kind: "agency", value: x.name, lang: x.lang, agency: x.a.slug }));

  return [...agencySuggestions, ...tenderSuggestions];
}
