/**
 * Highlighted snippets, pure. A displayed text is split into words and the
 * rest; a word is a hit when one of its lexemes (computed by the database's
 * search_word_lexemes(), the same way the index and the query are) is one of
 * the query's. The text shown is the original — "إنارة" keeps its hamza even
 * though it matched as "اناره" — and reaches the page as plain strings that
 * React escapes: no HTML is ever built from it.
 */

export interface Segment {
  text: string;
  hit: boolean;
}

// The same notion of a word as search-query.ts: letters, marks and digits,
// possibly joined by single - . / _ '.
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-./_'][\p{L}\p{M}\p{N}]+)*/gu;

/** The distinct words of some texts. */
export function wordsOf(...texts: string[]): string[] {
  const words = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(WORD)) words.add(m[0]);
  return [...words];
}

/** The text cut into words and what lies between, each word marked as a hit or not; neighbours merged. */
export function highlight(text: string, isHit: (word: string) => boolean): Segment[] {
  const segments: Segment[] = [];
  const push = (piece: string, hit: boolean) => {
    if (piece === "") return;
    const last = segments[segments.length - 1];
    if (last && last.hit === hit) last.text += piece;
    else segments.push({ text: piece, hit });
  };
  let at = 0;
  for (const m of text.matchAll(WORD)) {
    push(text.slice(at, m.index), false);
    push(m[0], isHit(m[0]));
    at = m.index + m[0].length;
  }
  push(text.slice(at), false);
  return segments;
}

/**
 * At most `maxWords` words of a highlighted text, starting a few words before
 * the first hit; "…" marks what was cut.
 */
export function snippet(segments: Segment[], maxWords = 36): Segment[] {
  // Work on words: split non-hit segments at word boundaries.
  const pieces: Segment[] = [];
  for (const s of segments) {
    if (s.hit) pieces.push(s);
    else for (const part of s.text.split(/(?<=\s)(?=\S)/u)) pieces.push({ text: part, hit: false });
  }
  if (pieces.length <= maxWords) return segments;
  const first = pieces.findIndex((p) => p.hit);
  const start = first < 0 ? 0 : Math.max(0, Math.min(first - 6, pieces.length - maxWords));
  const end = Math.min(pieces.length, start + maxWords);
  const out: Segment[] = [];
  const push = (p: Segment) => {
    const last = out[out.length - 1];
    if (last && last.hit === p.hit) last.text += p.text;
    else out.push({ ...p });
  };
  if (start > 0) push({ text: "… ", hit: false });
  for (let i = start; i < end; i++) push(pieces[i]!);
  if (end < pieces.length) {
    const last = out[out.length - 1]!;
    if (!last.hit) last.text = last.text.trimEnd();
    push({ text: " …", hit: false });
  }
  return out;
}

/**
 * The lexemes a tsquery's text mentions, except those under a negation:
 * `'انار' & ( 'light' | 'lighting' ) & !'road'` → انار, light, lighting.
 */
export function queryLexemes(tsquery: string): string[] {
  const lexemes = new Set<string>();
  let negatedDepth = -1;
  let depth = 0;
  let negateNext = false;
  for (let i = 0; i < tsquery.length; i++) {
    const ch = tsquery[i]!;
    if (ch === "!") negateNext = true;
    else if (ch === "(") {
      depth++;
      if (negateNext && negatedDepth < 0) negatedDepth = depth;
      negateNext = false;
    } else if (ch === ")") {
      if (depth === negatedDepth) negatedDepth = -1;
      depth--;
    } else if (ch === "'") {
      let lexeme = "";
      let j = i + 1;
      for (; j < tsquery.length; j++) {
        if (tsquery[j] === "'") {
          if (tsquery[j + 1] === "'") {
            lexeme += "'";
            j++;
          } else break;
        } else lexeme += tsquery[j];
      }
      i = j;
      if (!negateNext && negatedDepth < 0) lexemes.add(lexeme);
      negateNext = false;
    }
  }
  return [...lexemes];
}
