import { sql } from "drizzle-orm";
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
 * search_normalise(title) and on agency names; titles need three characters
 * (a trigram), agencies two.
 *
 * Suggestions that start with the text come first, then those with a word
 * that starts with it, then the rest.
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
const TITLE_ROWS = 120;

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rankOf(candidate: string, text: string): number {
  const c = cleanQueryText(candidate);
  if (c.startsWith(text)) return 0;
  if (c.includes(` ${text}`)) return 1;
  return 2;
}

export async function suggestTenders(typed: string, db: Queryable): Promise<Suggestion[]> {
  const text = cleanQueryText(typed).trim().replace(/\s+/g, " ");
  if ([...text].length < 2) return [];
  const pattern = like(text);
  const arabic = hasArabicLetter(text);

  const agencies = await db.execute<{ slug: string; name_ar: string; name_en: string }>(sql`
    select slug, name_ar, name_en from organisations
    where kind = 'agency' and (search_normalise(name_ar) like ${pattern} or search_normalise(name_en) like ${pattern})
    limit 20`);
  const titles =
    [...text].length < 3
      ? []
      : await db.execute<{ title: string }>(
          arabic
            ? sql`select t.title_ar as title from tenders t
                where search_normalise(t.title_ar) like ${pattern} and ${PUBLIC_CONDITION} limit ${TITLE_ROWS}`
            : sql`select t.title_en as title from tenders t
                where search_normalise(t.title_en) like ${pattern} and ${PUBLIC_CONDITION} limit ${TITLE_ROWS}`,
        );

  const seen = new Set<string>();
  const tenderSuggestions = titles
    .filter((r) => {
      const key = cleanQueryText(r.title);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => ({ value: r.title, rank: rankOf(r.title, text) }))
    .sort((a, b) => a.rank - b.rank || a.value.length - b.value.length || a.value.localeCompare(b.value))
    .slice(0, MAX_TITLES)
    .map((r): Suggestion => ({ kind: "tender", value: r.value, lang: arabic ? "ar" : "en" }));

  const agencySuggestions = agencies
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
