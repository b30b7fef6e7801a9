import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { highlight, queryLexemes, snippet, wordsOf } from "./highlight.ts";

describe("highlight", () => {
  test("marks hit words in the original spelling and keeps everything else", () => {
    const hits = new Set(["إنارة", "Lighting"]);
    expect(highlight("مشروع إنارة الطرق (Street Lighting)", (w) => hits.has(w))).toEqual([
      { text: "مشروع ", hit: false },
      { text: "إنارة", hit: true },
      { text: " الطرق (Street ", hit: false },
      { text: "Lighting", hit: true },
      { text: ")", hit: false },
    ]);
  });

  test("the segments always spell the text back, markup included, as plain strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.boolean(), (text, all) => {
        const segments = highlight(text, () => all);
        expect(segments.map((s) => s.text).join("")).toBe(text);
      }),
    );
    expect(highlight("<script>alert(1)</script>", (w) => w === "alert")).toContainEqual({
      text: "alert",
      hit: true,
    });
  });

  test("words of texts, distinct", () => {
    expect(wordsOf("road works, road", "طرق")).toEqual(["road", "works", "طرق"]);
  });
});

describe("snippet", () => {
  const long = Array.from({ length: 80 }, (_, i) => `w${i}`).join(" ");

  test("a short text is kept whole", () => {
    const segments = highlight("one two three", (w) => w === "two");
    expect(snippet(segments)).toEqual(segments);
  });

  test("a long text is cut around the first hit, with ellipses", () => {
    const cut = snippet(
      highlight(long, (w) => w === "w50"),
      10,
    );
    const text = cut.map((s) => s.text).join("");
    expect(text.startsWith("… w44 ")).toBe(true);
    expect(text.endsWith("w52 …")).toBe(true);
    expect(cut.filter((s) => s.hit).map((s) => s.text)).toEqual(["w50"]);
  });

  test("without a hit, the beginning", () => {
    const text = snippet(
      highlight(long, () => false),
      5,
    )
      .map((s) => s.text)
      .join("");
    expect(text).toBe("w0 w1 w2 w3 w4 …");
  });
});

describe("queryLexemes", () => {
  test("the lexemes of a tsquery, not the excluded ones", () => {
    expect(queryLexemes("'انار' & ( 'light' | 'lighting' ) & !'road'")).toEqual([
      "انار",
      "light",
      "lighting",
    ]);
    expect(queryLexemes("'a' <-> 'b' & !( 'c' | 'd' ) & 'e'")).toEqual(["a", "b", "e"]);
    expect(queryLexemes("'it''s'")).toEqual(["it's"]);
    expect(queryLexemes("")).toEqual([]);
  });
});
