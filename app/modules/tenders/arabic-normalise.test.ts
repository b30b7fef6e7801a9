import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { hasArabicLetter, normaliseArabic } from "./arabic-normalise.ts";

describe("normaliseArabic", () => {
  test("alef with hamza or madda and alef wasla become bare alef", () => {
    expect(normaliseArabic("أإآٱ")).toBe("اااا");
    expect(normaliseArabic("الإنشاءات")).toBe("الانشاءات");
    expect(normaliseArabic("أعمال")).toBe(normaliseArabic("اعمال"));
    expect(normaliseArabic("آلات")).toBe("الات");
  });

  test("alef maqsura becomes yeh and teh marbuta becomes heh", () => {
    expect(normaliseArabic("مستشفى")).toBe("مستشفي");
    expect(normaliseArabic("الصيانة")).toBe("الصيانه");
    expect(normaliseArabic("على")).toBe(normaliseArabic("علي"));
  });

  test("diacritics, shadda, tanwin and tatweel are removed", () => {
    expect(normaliseArabic("مُنَاقَصَةٌ")).toBe("مناقصه");
    expect(normaliseArabic("المجمّعة")).toBe("المجمعه");
    expect(normaliseArabic("مـنـاقـصـة")).toBe("مناقصه");
    expect(normaliseArabic("هٰذا")).toBe("هذا");
  });

  test("Arabic-Indic and Persian digits become ASCII digits", () => {
    expect(normaliseArabic("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(normaliseArabic("۰۱۲۳۴۵۶۷۸۹")).toBe("0123456789");
    expect(normaliseArabic("٤٥٢٣٣١٢٠-٦")).toBe("45233120-6");
  });

  test("Persian keyboard letters become their Arabic equivalents", () => {
    expect(normaliseArabic("کتاب")).toBe("كتاب");
    expect(normaliseArabic("کرسی")).toBe("كرسي");
  });

  test("presentation forms, a decomposed madda and invisible marks are folded", () => {
    expect(normaliseArabic("\uFEFBبناء")).toBe("لابناء"); // ﻻ lam-alef ligature
    expect(normaliseArabic("\u0627\u0653لات")).toBe("الات"); // alef + combining madda
    expect(normaliseArabic("\u200Fمناقصة\u200E")).toBe("مناقصه");
  });

  test("Latin text, case and whitespace are untouched", () => {
    expect(normaliseArabic("Road Construction  works")).toBe("Road Construction  works");
    expect(normaliseArabic("  طرق  Roads ")).toBe("  طرق  Roads ");
  });

  test("is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const once = normaliseArabic(text);
        expect(normaliseArabic(once)).toBe(once);
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0x0600, max: 0x06ff }).map((cp) => String.fromCodePoint(cp)) }),
        (text) => {
          const once = normaliseArabic(text);
          expect(normaliseArabic(once)).toBe(once);
        },
      ),
    );
  });
});

describe("hasArabicLetter", () => {
  test("true for Arabic words, false for digits, marks and Latin alone", () => {
    expect(hasArabicLetter("طرق")).toBe(true);
    expect(hasArabicLetter("road طريق")).toBe(true);
    expect(hasArabicLetter("٤٥٢٣")).toBe(false);
    expect(hasArabicLetter("\u064E\u0640")).toBe(false);
    expect(hasArabicLetter("road 4523")).toBe(false);
  });
});
