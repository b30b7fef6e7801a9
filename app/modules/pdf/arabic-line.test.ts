import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protectLtrRuns, visualLine, visualRuns, wrapLogical } from "./arabic-line.ts";

const reverse = (text: string) => Array.from(text).reverse().join("");

describe("visualLine", () => {
  it("reverses Arabic into page order and keeps Latin words and digit groups in reading order", () => {
    const line = "إيصال دفع رقم SHF-AB12-CD34 بمبلغ 12.500 KWD";
    // Read from the right: إيصال دفع رقم, then the reference, then بمبلغ, then the amount.
    expect(visualLine(line)).toBe(`12.500 KWD ${reverse("بمبلغ")} SHF-AB12-CD34 ${reverse("إيصال دفع رقم")}`);
  });

  it("keeps a date and time together, in reading order", () => {
    // Without the left-to-right embedding the bidi algorithm would swap
    // "2026-11-25" and "05:59" around the space between them.
    const visual = visualLine("تاريخ الإصدار 2026-11-25 05:59 UTC");
    expect(visual).toBe(`2026-11-25 05:59 UTC ${reverse("تاريخ الإصدار")}`);
  });

  it("keeps a tender number inside an Arabic sentence", () => {
    const visual = visualLine("رسوم وثائق المناقصة رقم 2026-00042 من وزارة الأشغال العامة");
    expect(visual).toContain(" 2026-00042 ");
    expect(visual.startsWith(reverse("العامة"))).toBe(true);
    expect(visual.endsWith(reverse("رسوم"))).toBe(true);
  });

  it("mirrors brackets around Arabic so they still enclose the right words", () => {
    expect(visualLine("وزارة (الأشغال)")).toBe(`(${reverse("الأشغال")}) ${reverse("وزارة")}`);
  });

  it("leaves an English line alone", () => {
    expect(visualLine("Tender document fee 2026-00042", "ltr")).toBe("Tender document fee 2026-00042");
  });

  it("ignores direction overrides smuggled into user text", () => {
    // U+202E (right-to-left override) would otherwise print the reference backwards.
    expect(visualLine("شركة \u202ESHF-AB12-CD34\u202C")).toBe(`SHF-AB12-CD34 ${reverse("شركة")}`);
  });

  it("keeps characters outside the BMP intact when reversing", () => {
    expect(visualLine("شكرا 😀 جزيلا")).toContain("😀");
  });
});

describe("visualRuns", () => {
  it("hands Arabic runs to the shaper in reading order and the rest in page order", () => {
    const runs = visualRuns("إيصال (SHF-AB12) دفع");
    const arabic = runs.filter((run) => run.rtl && /\p{Script=Arabic}/u.test(run.logical));
    expect(arabic.length).toBeGreaterThan(0);
    for (const run of arabic) {
      // fontkit joins letters in the order given and reverses them itself.
      expect(run.shaping.replace(/[()]/g, "")).toBe(run.logical.replace(/[()]/g, ""));
      expect(run.visual).toBe(reverse(run.shaping));
    }
    const latin = runs.find((run) => run.logical.includes("SHF-AB12"));
    expect(latin).toMatchObject({ rtl: false, visual: "SHF-AB12", shaping: "SHF-AB12" });
    expect(runs.map((run) => run.visual).join("")).toBe(visualLine("إيصال (SHF-AB12) دفع"));
  });
});

describe("protectLtrRuns", () => {
  it("embeds left-to-right stretches and leaves their edge punctuation outside", () => {
    expect(protectLtrRuns("المبلغ (12.500 KWD).")).toBe("المبلغ (\u202A12.500 KWD\u202C).");
    expect(protectLtrRuns("بدون أرقام")).toBe("بدون أرقام");
  });

  it("keeps a bracket opened inside a stretch with it", () => {
    expect(protectLtrRuns("طُبعت في 2026-03-02 09:15 (Asia/Kuwait)")).toBe(
      "طُبعت في \u202A2026-03-02 09:15 (Asia/Kuwait)\u202C",
    );
    expect(protectLtrRuns("الوقت (Asia/Kuwait) 09:15.")).toBe("الوقت \u202A(Asia/Kuwait) 09:15\u202C.");
    expect(visualLine("طُبعت في 09:15 (Asia/Kuwait)")).toBe(`09:15 (Asia/Kuwait) ${reverse("طُبعت في")}`);
  });
});

describe("wrapLogical", () => {
  const measure = (line: string) => Array.from(line).length * 5;

  it("wraps between words, in logical order", () => {
    expect(wrapLogical("وزارة الأشغال العامة تصدر إيصالاً رقم SHF-AB12-CD34", 100, measure)).toEqual([
      "وزارة الأشغال العامة",
      "تصدر إيصالاً رقم",
      "SHF-AB12-CD34",
    ]);
  });

  it("starts a new line at an explicit newline", () => {
    expect(wrapLogical("سطر أول\nسطر ثان", 500, measure)).toEqual(["سطر أول", "سطر ثان"]);
  });

  it("cuts a word wider than the box, preferring a separator", () => {
    const lines = wrapLogical("https://shafaf.example.gov/verify/receipts/SHF-AB12-CD34", 150, measure);
    expect(lines).toEqual(["https://shafaf.example.gov/", "verify/receipts/SHF-AB12-CD34"]);
    expect(wrapLogical("a".repeat(25), 50, measure)).toEqual(["a".repeat(10), "a".repeat(10), "a".repeat(5)]);
  });

  it("never exceeds the width and never drops or reorders a word", () => {
    const word = fc.constantFrom(
      "شركة",
      "النور",
      "للمقاولات",
      "Tender",
      "fee",
      "2026-00042",
      "12.500",
      "KWD",
      "و",
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.integer({ min: 50, max: 400 }), (words, width) => {
        const lines = wrapLogical(words.join(" "), width, measure);
        for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(width);
        expect(lines.join(" ").split(" ").filter(Boolean)).toEqual(words);
      }),
    );
  });
});
