import type { Language } from "#app/modules/i18n/i18n.ts";
import { hasArabicLetter, normaliseArabic } from "./arabic-normalise.ts";
// JSON imports rather than fs + import.meta.url: Vite inlines them into the
// server bundle, so the same code runs from sources, in Vitest and from
// build/server without the data files having to sit next to the bundle.
import cpvJson from "./data/cpv-2008.en.json" with { type: "json" };
import { CPV_DIVISION_SEARCH_TERMS_AR, CPV_DIVISIONS_AR } from "./data/cpv-divisions.ar.ts";
import unitsJson from "./data/units-recommended.en.json" with { type: "json" };

/**
 * Classifications used by tenders: the Common Procurement Vocabulary 2008
 * (CPV, 9,454 codes such as `45233120-6` "Road construction works") and
 * UN/ECE Recommendation 20 units of measure.
 *
 * CPV labels exist in English only; the 45 divisions (`NN000000-C`) also
 * have our Arabic labels. Every label comes back with its language so the UI
 * can set `lang` and `dir` on the element that shows it.
 *
 * The data is parsed once when the module loads; the search index is built
 * on first use and kept for the life of the process.
 */

const CPV_EN: Readonly<Record<string, string>> = cpvJson;
const UNITS_EN: Readonly<Record<string, { name_en: string; symbol_en: string }>> = unitsJson;

const CPV_CODE = /^\d{8}-\d$/;

export type LocalisedLabel = { label: string; lang: Language };

/** A well-formed CPV code (`\d{8}-\d`) that exists in CPV 2008, check digit included. */
export function isCpvCode(code: unknown): code is string {
  return typeof code === "string" && CPV_CODE.test(code) && Object.hasOwn(CPV_EN, code);
}

/**
 * The label of a CPV code in the wanted language, or `null` for a code that
 * is not in CPV 2008. Arabic exists for divisions only: for deeper codes an
 * Arabic reader gets the English label, marked `lang: "en"`.
 */
export function cpvLabel(code: string, lang: Language): LocalisedLabel | null {
  if (!isCpvCode(code)) return null;
  if (lang === "ar" && isDivisionCode(code)) {
    const ar = CPV_DIVISIONS_AR[code.slice(0, 2)];
    if (ar) return { label: ar, lang: "ar" };
  }
  return { label: CPV_EN[code]!, lang: "en" };
}

export type CpvDivision = {
  /** The two-digit division, e.g. `"45"`. */
  division: string;
  /** The division's own CPV code, e.g. `"45000000-7"`. */
  code: string;
  en: string;
  ar: string;
};

/** The division (first two digits) a CPV code belongs to, or `null` for an unknown code. */
export function divisionOf(code: string): CpvDivision | null {
  if (!isCpvCode(code)) return null;
  return index().divisions.get(code.slice(0, 2)) ?? null;
}

export type CpvMatchKind = "code" | "code-prefix" | "label-prefix" | "words";

export type CpvSearchHit = {
  code: string;
  /** In the requested language when there is one (Arabic: divisions only), else English. */
  label: string;
  lang: Language;
  /** Significant digits of the code: 2 for a division, up to 8. */
  level: number;
  match: CpvMatchKind;
};

export type CpvSearchOptions = {
  /** Language of the returned labels; defaults to Arabic for an Arabic query, English otherwise. */
  lang?: Language;
  limit?: number;
};

/**
 * Autocomplete over CPV.
 *
 * - Digits (`"4523"`, `"45230000"`, `"45230000-8"`, Arabic-Indic digits too)
 *   match code prefixes; eight digits also bring the code's descendants.
 * - Latin words match English labels: case- and accent-insensitive, every
 *   word must start a word of the label (a trailing plural "s" is ignored).
 * - Arabic words match the Arabic labels of the divisions (and a few everyday
 *   synonyms), after `normaliseArabic` and with the article «ال» ignored;
 *   only divisions come back, since deeper codes have no Arabic.
 *
 * Ranked exact code, then code prefix, then label starting with the query,
 * then word match; within a rank higher-level (shorter) codes first, then
 * code order.
 */
export function searchCpv(query: string, options: CpvSearchOptions = {}): CpvSearchHit[] {
  const limit = Math.max(0, Math.floor(options.limit ?? 20));
  const text = normaliseArabic(query.slice(0, MAX_QUERY_LENGTH)).trim();
  if (limit === 0 || text === "") return [];
  const arabic = hasArabicLetter(text);
  const lang = options.lang ?? (arabic ? "ar" : "en");

  const codeQuery = /^(\d{1,8})(?:-\d?)?$/.exec(text.replace(/\s+/g, ""));
  const ranked = codeQuery
    ? searchCodes(codeQuery[1]!, limit)
    : arabic
      ? searchArabic(text, limit)
      : searchEnglish(text, limit);

  return ranked.slice(0, limit).map(({ entry, match }) => {
    const label = cpvLabel(entry.code, lang)!;
    return { code: entry.code, label: label.label, lang: label.lang, level: entry.level, match };
  });
}

const MAX_QUERY_LENGTH = 200;

type Ranked = { entry: { code: string; level: number }; match: CpvMatchKind };

/**
 * Entries are in result order (level, then code), so the first `limit`
 * prefix matches are the answer; an exact code is the highest-level code
 * with its digits, so it comes before its descendants.
 */
function searchCodes(digits: string, limit: number): Ranked[] {
  const hits: Ranked[] = [];
  // "45210000" also means "45210000 and everything under it" (4521…).
  const prefix = digits.length === 8 ? significant(digits) : digits;
  for (const entry of index().entries) {
    if (!entry.digits.startsWith(prefix)) continue;
    hits.push({ entry, match: entry.digits === digits ? "code" : "code-prefix" });
    if (hits.length === limit) break;
  }
  return hits;
}

/**
 * Words are looked up in the sorted list of label words: each query word
 * selects the range of words it starts, and an entry matches when every
 * query word selected one of its words.
 */
function searchEnglish(text: string, limit: number): Ranked[] {
  const phrase = englishKey(text);
  const words = searchWords(phrase.split(" "), ENGLISH_STOP_WORDS).map(stemEnglish);
  if (phrase === "" || words.length === 0) return [];
  const { entries, words: vocabulary, postings } = index();
  // hits[i] counts the query words entry i has matched so far, in order.
  const hits = new Uint8Array(entries.length);
  words.forEach((word, k) => {
    for (
      let w = lowerBound(vocabulary, word);
      w < vocabulary.length && vocabulary[w]!.startsWith(word);
      w++
    ) {
      for (const i of postings[w]!) if (hits[i] === k) hits[i] = k + 1;
    }
  });
  const starts: Ranked[] = [];
  const matches: Ranked[] = [];
  for (let i = 0; i < entries.length && starts.length < limit; i++) {
    if (hits[i] !== words.length) continue;
    const entry = entries[i]!;
    if (entry.key.startsWith(phrase)) starts.push({ entry, match: "label-prefix" });
    else if (matches.length < limit) matches.push({ entry, match: "words" });
  }
  return [...starts, ...matches];
}

function searchArabic(text: string, limit: number): Ranked[] {
  const phrase = arabicKey(text);
  const words = searchWords(phrase.split(" "), ARABIC_STOP_WORDS);
  if (phrase === "" || words.length === 0) return [];
  const wanted = words.map(arabicQueryForms);
  const starts: Ranked[] = [];
  const matches: Ranked[] = [];
  for (const entry of index().arabic) {
    if (entry.key.startsWith(phrase)) starts.push({ entry, match: "label-prefix" });
    else if (wanted.every((forms) => forms.some((form) => entry.forms.some((w) => w.startsWith(form))))) {
      matches.push({ entry, match: "words" });
    }
  }
  return [...starts, ...matches].slice(0, limit);
}

/** The first index whose word is not before `word` (binary search). */
function lowerBound(sorted: readonly string[], word: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < word) low = middle + 1;
    else high = middle;
  }
  return low;
}

function searchWords(words: string[], stopWords: ReadonlySet<string>): string[] {
  const nonEmpty = words.filter((word) => word !== "");
  const meaningful = nonEmpty.filter((word) => !stopWords.has(word));
  return meaningful.length > 0 ? meaningful : nonEmpty;
}

const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "for",
  "in",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
]);
const ARABIC_STOP_WORDS: ReadonlySet<string> = new Set(["و", "في", "من", "الي", "علي", "او", "عن", "ذات"]);

/** Lower case, accents off, anything but letters and digits becomes one space. */
function englishKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function stemEnglish(word: string): string {
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

function arabicKey(text: string): string {
  return normaliseArabic(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

// Conjunction and preposition glued to the definite article: «والبناء»,
// «بالنقل», «للتدريب» (ل + ال), then the article alone, then «و» alone.
const ARABIC_PREFIXES = ["وال", "بال", "كال", "فال", "لل", "ال", "و"];

/** A label word and the same word without its leading article or conjunction. */
function arabicLabelForms(word: string): string[] {
  const forms = [word];
  for (const prefix of ARABIC_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 2) forms.push(word.slice(prefix.length));
  }
  return forms;
}

/** A query word, and without «ال» / «وال» so that «الإنشاءات» and «انشاءات» search alike. */
function arabicQueryForms(word: string): string[] {
  for (const prefix of ["وال", "ال"]) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 2) return [word, word.slice(prefix.length)];
  }
  return [word];
}

// --- index -----------------------------------------------------------------

function isDivisionCode(code: string): boolean {
  return code.slice(2, 8) === "000000";
}

/** The code's digits without the trailing zeros below its level (never fewer than the division's two). */
function significant(digits: string): string {
  const trimmed = digits.replace(/0+$/, "");
  return digits.slice(0, Math.max(2, trimmed.length));
}

type Entry = {
  code: string;
  digits: string;
  level: number;
  /** English label, `englishKey`-normalised. */
  key: string;
};

type ArabicEntry = {
  code: string;
  level: number;
  /** Arabic label, `arabicKey`-normalised. */
  key: string;
  /** Every word of the label and of the search terms, in all its `arabicLabelForms`. */
  forms: string[];
};

type Index = {
  /** Every CPV code, divisions first, then by level, then by code. */
  entries: Entry[];
  /** Every distinct word of the English labels, sorted (code-unit order). */
  words: string[];
  /** For each word of `words`, the positions in `entries` whose label has it, ascending. */
  postings: number[][];
  arabic: ArabicEntry[];
  divisions: Map<string, CpvDivision>;
};

let built: Index | undefined;

function index(): Index {
  built ??= buildIndex();
  return built;
}

function buildIndex(): Index {
  const entries: Entry[] = [];
  const divisions = new Map<string, CpvDivision>();
  const arabic: ArabicEntry[] = [];
  for (const [code, en] of Object.entries(CPV_EN)) {
    const digits = code.slice(0, 8);
    const key = englishKey(en);
    entries.push({ code, digits, level: significant(digits).length, key });
    if (!isDivisionCode(code)) continue;
    const division = code.slice(0, 2);
    const ar = CPV_DIVISIONS_AR[division] ?? en;
    divisions.set(division, { division, code, en, ar });
    const words = [ar, ...(CPV_DIVISION_SEARCH_TERMS_AR[division] ?? [])].flatMap((text) =>
      arabicKey(text).split(" "),
    );
    arabic.push({ code, level: 2, key: arabicKey(ar), forms: words.flatMap(arabicLabelForms) });
  }
  entries.sort((a, b) => a.level - b.level || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  arabic.sort((a, b) => (a.code < b.code ? -1 : 1));

  const byWord = new Map<string, number[]>();
  entries.forEach((entry, i) => {
    for (const word of new Set(entry.key.split(" "))) {
      const list = byWord.get(word);
      if (list) list.push(i);
      else byWord.set(word, [i]);
    }
  });
  const words = [...byWord.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const postings = words.map((word) => byWord.get(word)!);
  return { entries, words, postings, arabic, divisions };
}

// --- units of measure ---------------------------------------------------------

export type Unit = {
  /** UN/ECE Recommendation 20 code, e.g. `"MTQ"`. */
  code: string;
  name: { ar: string; en: string };
  /** Printed symbol when the unit has one (`m³`), else `""`. */
  symbol: string;
};

/**
 * Units offered when an officer writes a tender item, in the order of the
 * picker. Most come from the recommended list in
 * `data/units-recommended.en.json`; C62, DAY, ANN and LS are Rec 20 codes that
 * list lacks but bills of quantities need.
 */
const CURATED_UNITS: readonly Unit[] = [
  { code: "C62", name: { ar: "وحدة", en: "unit" }, symbol: "" },
  { code: "H87", name: { ar: "قطعة", en: "piece" }, symbol: "" },
  { code: "SET", name: { ar: "طقم", en: "set" }, symbol: "" },
  { code: "PR", name: { ar: "زوج", en: "pair" }, symbol: "" },
  { code: "KT", name: { ar: "عُدّة", en: "kit" }, symbol: "" },
  { code: "BX", name: { ar: "صندوق", en: "box" }, symbol: "" },
  { code: "PK", name: { ar: "عبوة", en: "pack" }, symbol: "" },
  { code: "RO", name: { ar: "لفّة", en: "roll" }, symbol: "" },
  { code: "RM", name: { ar: "رزمة ورق", en: "ream" }, symbol: "" },
  { code: "LS", name: { ar: "مبلغ مقطوع", en: "lump sum" }, symbol: "" },
  { code: "E48", name: { ar: "وحدة خدمة", en: "service unit" }, symbol: "" },
  { code: "IE", name: { ar: "شخص", en: "person" }, symbol: "" },
  { code: "E54", name: { ar: "رحلة", en: "trip" }, symbol: "" },
  { code: "MTR", name: { ar: "متر", en: "metre" }, symbol: "m" },
  { code: "LM", name: { ar: "متر طولي", en: "linear metre" }, symbol: "" },
  { code: "KMT", name: { ar: "كيلومتر", en: "kilometre" }, symbol: "km" },
  { code: "MTK", name: { ar: "متر مربع", en: "square metre" }, symbol: "m²" },
  { code: "HAR", name: { ar: "هكتار", en: "hectare" }, symbol: "ha" },
  { code: "MTQ", name: { ar: "متر مكعب", en: "cubic metre" }, symbol: "m³" },
  { code: "LTR", name: { ar: "لتر", en: "litre" }, symbol: "l" },
  { code: "KGM", name: { ar: "كيلوغرام", en: "kilogram" }, symbol: "kg" },
  { code: "TNE", name: { ar: "طن", en: "tonne" }, symbol: "t" },
  { code: "KWH", name: { ar: "كيلوواط ساعة", en: "kilowatt hour" }, symbol: "kW·h" },
  { code: "HUR", name: { ar: "ساعة", en: "hour" }, symbol: "h" },
  { code: "DAY", name: { ar: "يوم", en: "day" }, symbol: "d" },
  { code: "E49", name: { ar: "يوم عمل", en: "working day" }, symbol: "" },
  { code: "MON", name: { ar: "شهر", en: "month" }, symbol: "mo" },
  { code: "ANN", name: { ar: "سنة", en: "year" }, symbol: "y" },
];

const CURATED_BY_CODE = new Map(CURATED_UNITS.map((unit) => [unit.code, unit]));

/** The curated units for tender items, with Arabic and English names. */
export function units(): readonly Unit[] {
  return CURATED_UNITS;
}

/** A unit code from the recommended list or the curated units (codes are case-sensitive: `"KGM"`). */
export function isUnitCode(code: unknown): code is string {
  return typeof code === "string" && (Object.hasOwn(UNITS_EN, code) || CURATED_BY_CODE.has(code));
}

/**
 * A unit's name in the wanted language, or `null` for an unknown code.
 * Arabic exists for the curated units; others come back in English.
 */
export function unitName(code: string, lang: Language): LocalisedLabel | null {
  const curated = CURATED_BY_CODE.get(code);
  if (curated) return { label: curated.name[lang], lang };
  if (!isUnitCode(code)) return null;
  return { label: UNITS_EN[code]!.name_en.replace(/\s+/g, " "), lang: "en" };
}
