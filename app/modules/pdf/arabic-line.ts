// Turns logical-order (typed, stored) text into what a PDF writer must draw.
// PDFs have no bidi algorithm: glyphs go left to right exactly as written, so
// each line is reordered here with bidi-js (see DESIGN.md, "Arabic in PDFs").
// Pure functions only: no fonts, no I/O; widths come from a measure callback.
import bidiFactory from "bidi-js";

const bidi = bidiFactory();

export type Direction = "rtl" | "ltr";

/** Measures the drawn width of one logical-order line, in the caller's units. */
export type MeasureLine = (logicalLine: string) => number;

/** A stretch of one line at one embedding level, in page order (left to right). */
export interface VisualRun {
  /** The characters as they appear on the page, left to right, brackets mirrored. */
  visual: string;
  /** The same characters in reading order. */
  logical: string;
  /** The run sits at an odd embedding level (read right to left). */
  rtl: boolean;
  /**
   * What to hand to pdfkit so the glyphs land in page order. pdfkit shapes
   * with fontkit, which detects an Arabic run, joins its letters in the order
   * given and then reverses the glyphs itself. So an Arabic run goes in
   * reading order with brackets already mirrored (fontkit does not mirror
   * them: checked by rendering with Amiri); passing it pre-reversed gives
   * unjoined letters drawn backwards. Runs fontkit treats as left to right
   * (Latin, digits, punctuation-only runs) go in page order.
   */
  shaping: string;
}

// Scripts written right to left. Must match how fontkit (pdfkit's shaper)
// decides to reverse a run, see `VisualRun.shaping`.
const RTL_CLASS = String.raw`\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}`;
const RTL_SCRIPT = new RegExp(`[${RTL_CLASS}]`, "u");

// Explicit direction marks and embeddings found in input are dropped: names
// and reasons come from users, and a stray RLO could otherwise flip a
// receipt number. Our own embeddings are added back by `protectLtrRuns`.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LRE = "\u202A";
const PDF = "\u202C";

// A run of words without right-to-left letters, holding at least one letter
// or digit: "SHF-AB12-CD34", "12.500 KWD", "2026-11-25 05:59 UTC".
const LTR_WORD = String.raw`[^\s${RTL_CLASS}]*(?![${RTL_CLASS}])[\p{L}\p{N}][^\s${RTL_CLASS}]*`;
const LTR_SPAN = new RegExp(`${LTR_WORD}(?:[ \t]+${LTR_WORD})*`, "gu");
const ALNUM = /[\p{L}\p{N}]/u;
const BRACKET_PAIRS = [
  ["(", ")"],
  ["[", "]"],
  ["{", "}"],
] as const;

export function hasRtlScript(text: string): boolean {
  return RTL_SCRIPT.test(text);
}

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/**
 * Wraps each left-to-right stretch of an Arabic line in LRE…PDF so the bidi
 * algorithm keeps it in reading order. Without this, "2026-11-25 05:59" in an
 * Arabic sentence comes out as "05:59 2026-11-25" (the space between two
 * numbers takes the paragraph's right-to-left direction). Leading and
 * trailing punctuation stays outside, so "(SHF-1)" keeps its brackets mirrored
 * like the surrounding Arabic.
 */
export function protectLtrRuns(text: string): string {
  return text.replace(LTR_SPAN, (span) => {
    const chars = Array.from(span);
    let first = chars.findIndex((c) => ALNUM.test(c));
    let last = chars.findLastIndex((c) => ALNUM.test(c));
    // A bracket opened inside the stretch closes inside it too, and the other
    // way round: "09:15 (Asia/Kuwait)" keeps its ")" after "Kuwait".
    for (const [open, close] of BRACKET_PAIRS) {
      let balance = 0;
      for (const c of chars.slice(first, last + 1)) balance += c === open ? 1 : c === close ? -1 : 0;
      while (balance > 0 && chars[last + 1] === close) {
        last++;
        balance--;
      }
      while (balance < 0 && first > 0 && chars[first - 1] === open) {
        first--;
        balance++;
      }
    }
    return (
      chars.slice(0, first).join("") +
      LRE +
      chars.slice(first, last + 1).join("") +
      PDF +
      chars.slice(last + 1).join("")
    );
  });
}

// Reversing UTF-16 code units swaps the halves of a surrogate pair; put them back.
function repairSurrogates(text: string): string {
  return text.replace(/([\uDC00-\uDFFF])([\uD800-\uDBFF])/g, "$2$1");
}

/**
 * Splits one line (no wrapping) into runs in page order, left to right.
 * `base` is the paragraph direction: "rtl" for Arabic lines, "ltr" for English.
 */
export function visualRuns(line: string, base: Direction = "rtl"): VisualRun[] {
  const clean = stripBidiControls(line).replace(/[\r\n\t]/g, " ");
  const text = base === "rtl" ? protectLtrRuns(clean) : clean;
  if (text.length === 0) return [];
  const embedding = bidi.getEmbeddingLevels(text, base);
  const order = bidi.getReorderedIndices(text, embedding);
  const mirrored = bidi.getMirroredCharactersMap(text, embedding.levels);

  const groups: Array<{ level: number; indices: number[] }> = [];
  for (const index of order) {
    const char = text[index]!;
    if (char === LRE || char === PDF) continue;
    const level = embedding.levels[index]!;
    const current = groups.at(-1);
    if (current && current.level === level) current.indices.push(index);
    else groups.push({ level, indices: [index] });
  }

  return groups.map(({ level, indices }) => {
    const visual = repairSurrogates(indices.map((i) => mirrored.get(i) ?? text[i]).join(""));
    const ascending = [...indices].sort((a, b) => a - b);
    const logical = ascending.map((i) => text[i]).join("");
    const rtl = level % 2 === 1;
    const shaping =
      rtl && hasRtlScript(logical) ? ascending.map((i) => mirrored.get(i) ?? text[i]).join("") : visual;
    return { visual, logical, rtl, shaping };
  });
}

/** The whole line in page order, left to right, as one string (for tests and debugging). */
export function visualLine(line: string, base: Direction = "rtl"): string {
  return visualRuns(line, base)
    .map((run) => run.visual)
    .join("");
}

/**
 * Greedy word wrap in logical order; each resulting line is reordered on its
 * own afterwards (bidi reordering is per line, never per paragraph). Explicit
 * newlines start a new line. A single word wider than `maxWidth` (a URL, a
 * hash) is cut between characters so no line ever exceeds the width.
 */
export function wrapLogical(text: string, maxWidth: number, measure: MeasureLine): string[] {
  const lines: string[] = [];
  for (const paragraph of stripBidiControls(text).split(/\r?\n/)) {
    let current = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      if (measure(candidate) <= maxWidth) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      const pieces = measure(word) <= maxWidth ? [word] : breakWord(word, maxWidth, measure);
      lines.push(...pieces.slice(0, -1));
      current = pieces.at(-1)!;
    }
    if (current) lines.push(current);
  }
  return lines;
}

// Where a long URL or identifier may be cut: after a separator, so
// "https://host/verify/" and "SHF-AB12-CD34" stay readable.
const SOFT_BREAK_AFTER = /[/\-?&=_.]/;

function breakWord(word: string, maxWidth: number, measure: MeasureLine): string[] {
  const pieces: string[] = [];
  let current: string[] = [];
  for (const char of Array.from(word)) {
    // Always keep at least one character per piece, or a glyph wider than
    // the box would loop forever.
    if (current.length > 0 && measure(current.join("") + char) > maxWidth) {
      const cut = current.findLastIndex((c) => SOFT_BREAK_AFTER.test(c)) + 1;
      const rest = current.slice(cut);
      if (cut > 0 && measure(rest.join("") + char) <= maxWidth) {
        pieces.push(current.slice(0, cut).join(""));
        current = [...rest, char];
      } else {
        pieces.push(current.join(""));
        current = [char];
      }
    } else {
      current.push(char);
    }
  }
  if (current.length > 0) pieces.push(current.join(""));
  return pieces;
}
