/**
 * Normalises Arabic text for matching (search, autocomplete, full-text
 * indexes), never for display: the same word typed with or without hamza,
 * diacritics or tatweel, in a Persian keyboard layout or with Arabic-Indic
 * digits comes out identical.
 *
 * - presentation forms and ligatures (ﻻ, ﺍ…) become ordinary letters (NFKC);
 * - diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic
 *   marks), tatweel and invisible direction/joiner marks are removed;
 * - alef with hamza or madda and alef wasla (أ إ آ ٱ) become bare alef (ا);
 * - alef maqsura (ى) and Persian yeh (ی) become yeh (ي); Persian keheh (ک)
 *   becomes kaf (ك);
 * - teh marbuta (ة) becomes heh (ه);
 * - Arabic-Indic (٠–٩) and Persian (۰–۹) digits become ASCII digits.
 *
 * Latin text, case and whitespace are left alone: callers lower-case and
 * tokenise as they need.
 */
export function normaliseArabic(text: string): string {
  return (
    text
      .normalize("NFKC")
      .replace(REMOVED, "")
      // Again: a removed tatweel or mark can leave a base letter and a
      // combining mark side by side that now compose (e + ـ + ́ → é).
      .normalize("NFKC")
      .replace(MAPPED, (char) => MAP[char] ?? char)
      .replace(DIGITS, (digit) => String((digit.codePointAt(0)! - 0x0660) % 0x90))
  );
}

// U+064B–U+065F harakat, tanwin, shadda, sukun, madda/hamza above and below;
// U+0670 superscript alef; U+0610–U+061A and U+06D6–U+06ED Quranic marks;
// U+0640 tatweel; U+061C Arabic letter mark; U+200B–U+200F zero-width and
// direction marks; U+202A–U+202E and U+2066–U+2069 bidi embeddings and
// isolates; U+FEFF zero-width no-break space.
const REMOVED =
  /[\u064B-\u065F\u0670\u0610-\u061A\u06D6-\u06ED\u0640\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

const MAP: Record<string, string> = {
  "\u0623": "\u0627", // أ → ا
  "\u0625": "\u0627", // إ → ا
  "\u0622": "\u0627", // آ → ا
  "\u0671": "\u0627", // ٱ → ا
  "\u0649": "\u064A", // ى → ي
  "\u06CC": "\u064A", // ی → ي
  "\u06A9": "\u0643", // ک → ك
  "\u0629": "\u0647", // ة → ه
};
const MAPPED = /[\u0623\u0625\u0622\u0671\u0649\u06CC\u06A9\u0629]/g;

// ٠ is U+0660 and ۰ is U+06F0 = U+0660 + 0x90, so `(cp - 0x0660) % 0x90`
// gives the digit's value for both ranges.
const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** True when the text contains at least one Arabic letter (not only digits or marks). */
export function hasArabicLetter(text: string): boolean {
  return ARABIC_LETTER.test(text);
}

const ARABIC_LETTER =
  /[\u0620-\u063F\u0641-\u064A\u066E-\u066F\u0671-\u06D3\u06D5\u06EE-\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFF\uFE70-\uFEFC]/;
