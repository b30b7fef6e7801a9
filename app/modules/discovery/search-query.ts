import { normaliseArabic } from "#app/modules/tenders/arabic-normalise.ts";

/**
 * What a person typed in the search box, understood: words, "quoted phrases",
 * -excluded words and OR between alternatives (in English or Arabic: "or",
 * "أو"), as in a web search engine. Pure: no SQL here. The database turns each
 * word into lexemes with its own parser and the `arabic` or `english`
 * configuration (search_word_query()), so nothing typed ever becomes tsquery
 * syntax: a word is always passed as a parameter.
 *
 * Anything is accepted: quotes, backslashes, tsquery operators (& | ! : * ( )),
 * SQL fragments, control characters, NUL, lone surrogates, direction marks and
 * emoji are punctuation or removed; the text is cut at MAX_QUERY_LENGTH
 * characters and MAX_TERMS terms.
 */

export const MAX_QUERY_LENGTH = 256;
export const MAX_TERMS = 12;
export const MAX_WORD_LENGTH = 64;

/** One word, or a phrase of words that must appear in this order. */
export interface Term {
  words: string[];
  negated: boolean;
}

/** All clauses must match; a clause matches when any of its terms does (OR). */
export type ParsedQuery = Term[][];

/**
 * The query text as matching sees it: normalised Arabic (see
 * normaliseArabic), lower case, well-formed UTF-16 with no control
 * characters, cut to MAX_QUERY_LENGTH.
 */
export function cleanQueryText(text: string): string {
  return wellFormed(
    normaliseArabic(
      // C0 and C1 controls (NUL included) and the replacement character.
      wellFormed(text.slice(0, MAX_QUERY_LENGTH * 4)).replace(/[\p{Cc}\uFFFD]/gu, " "),
    )
      .toLowerCase()
      .slice(0, MAX_QUERY_LENGTH),
  );
}

/** Lone surrogates (half an emoji, say) become spaces: the text can be sent as UTF-8. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, " ");
}

// A word: letters, marks and digits, possibly joined by single - . / _ ' (so
// "e-government", "45233120-6" and "MOPW-2026-0007" stay one word and reach
// the database's parser whole, as in the indexed text).
const WORD_SOURCE = "[\\p{L}\\p{M}\\p{N}]+(?:[-./_'][\\p{L}\\p{M}\\p{N}]+)*";
const OR_WORDS = new Set(["or", "او"]);
const QUOTES = /["“”«»„]/;

/** A word cut to MAX_WORD_LENGTH code units, never in the middle of a surrogate pair. */
function cut(word: string): string {
  if (word.length <= MAX_WORD_LENGTH) return word;
  const end = /[\uD800-\uDBFF]/.test(word[MAX_WORD_LENGTH - 1]!) ? MAX_WORD_LENGTH - 1 : MAX_WORD_LENGTH;
  return word.slice(0, end);
}

/** Split a query into clauses of terms. Never throws. */
export function parseQuery(text: string): ParsedQuery {
  const clean = cleanQueryText(text);
  const clauses: ParsedQuery = [];
  let terms = 0;
  let joinNext = false;
  const add = (term: Term) => {
    if (terms >= MAX_TERMS) return;
    terms++;
    const last = clauses[clauses.length - 1];
    if (joinNext && last) last.push(term);
    else clauses.push([term]);
    joinNext = false;
  };
  const WORD = new RegExp(WORD_SOURCE, "gu");
  const wordsOf = (s: string) => [...s.matchAll(new RegExp(WORD_SOURCE, "gu"))].map((m) => cut(m[0]));

  let i = 0;
  while (i < clean.length) {
    const ch = clean[i]!;
    if (QUOTES.test(ch)) {
      // A phrase runs to the next quote (or the end).
      let end = i + 1;
      while (end < clean.length && !QUOTES.test(clean[end]!)) end++;
      const negated = i > 0 && clean[i - 1] === "-" && (i === 1 || /\s/.test(clean[i - 2]!));
      const words = wordsOf(clean.slice(i + 1, end));
      if (words.length) add({ words, negated });
      i = end + 1;
      continue;
    }
    WORD.lastIndex = i;
    const match = WORD.exec(clean);
    if (!match) break;
    if (match.index > i && QUOTES.test(clean.slice(i, match.index))) {
      // A quote comes before the next word: handle it first.
      i += clean.slice(i, match.index).search(QUOTES);
      continue;
    }
    const word = cut(match[0]);
    const before = clean.slice(0, match.index);
    const negated = before.endsWith("-") && (before.length === 1 || /\s/.test(before[before.length - 2]!));
    if (OR_WORDS.has(word) && !negated && clauses.length > 0 && !joinNext) joinNext = true;
    else add({ words: [word], negated });
    i = match.index + match[0].length;
  }
  // A trailing OR joins nothing.
  return clauses;
}

/** The words of a parsed query that count toward a match (not excluded ones): for highlighting and suggestions. */
export function positiveWords(query: ParsedQuery): string[] {
  return query.flatMap((clause) => clause.filter((t) => !t.negated).flatMap((t) => t.words));
}
