import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  cleanQueryText,
  MAX_QUERY_LENGTH,
  MAX_TERMS,
  MAX_WORD_LENGTH,
  parseQuery,
  positiveWords,
} from "./search-query.ts";

const word = (w: string, negated = false) => ({ words: [w], negated });

describe("parseQuery", () => {
  test("words are all required, normalised and lower-cased", () => {
    expect(parseQuery("Road  مُدرسة")).toEqual([[word("road")], [word("مدرسه")]]);
    expect(parseQuery("إنارة ٢٠٢٦")).toEqual([[word("اناره")], [word("2026")]]);
  });

  test("quoted phrases, excluded words and OR", () => {
    expect(parseQuery('"street lighting" -cleaning')).toEqual([
      [{ words: ["street", "lighting"], negated: false }],
      [word("cleaning", true)],
    ]);
    expect(parseQuery("roads OR طرق schools")).toEqual([[word("roads"), word("طرق")], [word("schools")]]);
    expect(parseQuery("مدارس أو مستشفيات")).toEqual([[word("مدارس"), word("مستشفيات")]]);
    expect(parseQuery('-"road works" «إنارة الطرق»')).toEqual([
      [{ words: ["road", "works"], negated: true }],
      [{ words: ["اناره", "الطرق"], negated: false }],
    ]);
  });

  test("hyphenated words, codes and references stay whole", () => {
    expect(parseQuery("e-government 45233120-6 MOPW-2026-0007")).toEqual([
      [word("e-government")],
      [word("45233120-6")],
      [word("mopw-2026-0007")],
    ]);
  });

  test("tsquery and SQL syntax is punctuation", () => {
    expect(parseQuery("a & b | !c:* (d) <-> 'e'")).toEqual([
      [word("a")],
      [word("b")],
      [word("c")],
      [word("d")],
      [word("e")],
    ]);
    expect(parseQuery("'; drop table tenders; --")).toEqual([
      [word("drop")],
      [word("table")],
      [word("tenders")],
    ]);
    expect(parseQuery("OR")).toEqual([[word("or")]]);
    expect(parseQuery('"" - -- " ')).toEqual([]);
  });

  test("control characters, NUL, lone surrogates and marks are dropped", () => {
    expect(cleanQueryText("a\u0000b\uD800c\u200Fd\uDC00")).toBe("a b cd ");
    expect(parseQuery("\u202Bطرق\u202C 🚧")).toEqual([[word("طرق")]]);
  });

  test("any input: bounded, well-formed words, never throws", () => {
    const anything = fc.oneof(
      fc.string({ unit: "binary", maxLength: 400 }),
      fc.string({
        unit: fc.constantFrom(..."\"'\\&|!:*()<->-« »أوor \u0000\uD800\u200F🚧ab١"),
        maxLength: 200,
      }),
      fc.string({ maxLength: 10_000, minLength: 9_000 }),
    );
    fc.assert(
      fc.property(anything, (text) => {
        const parsed = parseQuery(text);
        const terms = parsed.flat();
        expect(terms.length).toBeLessThanOrEqual(MAX_TERMS);
        expect(cleanQueryText(text).length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
        for (const term of terms) {
          expect(term.words.length).toBeGreaterThan(0);
          for (const w of term.words) {
            expect(w.length).toBeGreaterThan(0);
            expect(w.length).toBeLessThanOrEqual(MAX_WORD_LENGTH);
            expect(w).toMatch(/^[\p{L}\p{M}\p{N}'./_-]+$/u);
            expect(w).not.toMatch(/[\uD800-\uDFFF]/u);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test("the words that count for highlighting leave out excluded ones", () => {
    expect(positiveWords(parseQuery('schools -roads "street lighting"'))).toEqual([
      "schools",
      "street",
      "lighting",
    ]);
  });
});
