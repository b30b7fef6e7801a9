import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isRegionOrCountry } from "#app/modules/discovery/regions.ts";
import { normaliseArabic } from "#app/modules/tenders/arabic-normalise.ts";
import { isCpvCode, isUnitCode } from "#app/modules/tenders/classifications.server.ts";
import { generateAgencies, generateTender, seededRandom, THEMES, varySpelling } from "./tender-corpus.ts";

const now = new Date("2026-11-25T09:00:00Z");

describe("generated tenders", () => {
  test("every CPV code is in CPV 2008 and every unit in UN/ECE Recommendation 20", () => {
    for (const theme of Object.values(THEMES)) {
      for (const code of theme.cpv) expect(isCpvCode(code), code).toBe(true);
      for (const lot of theme.lots)
        for (const item of lot.items) expect(isUnitCode(item.unit), item.unit).toBe(true);
    }
  });

  test("agencies: unique slugs, known regions, the currency and zone of their country", () => {
    const agencies = generateAgencies();
    expect(new Set(agencies.map((a) => a.slug)).size).toBe(agencies.length);
    expect(agencies.length).toBeGreaterThan(100);
    for (const a of agencies) {
      expect(isRegionOrCountry(a.region)).toBe(true);
      expect(a.region.startsWith(`${a.country}-`)).toBe(true);
    }
  });

  test("the same seed gives the same tenders", () => {
    const [agency] = generateAgencies();
    const make = () => {
      const rng = seededRandom(7);
      return Array.from({ length: 20 }, (_, i) => generateTender(rng, agency!, i + 1, { now }));
    };
    expect(make()).toEqual(make());
  });

  test("tenders are consistent: deadlines in order, open ones in the future, drafts unpublished", () => {
    const agencies = generateAgencies();
    const rng = seededRandom(11);
    const statuses = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const t = generateTender(rng, agencies[i % agencies.length]!, i + 1, { now });
      statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);
      expect(t.enquiryDeadline! < t.submissionDeadline!).toBe(true);
      expect(t.submissionDeadline! <= t.openingAt!).toBe(true);
      if (t.status === "published" && t.submissionDeadline! > now) expect(t.publishedAt! < now).toBe(true);
      if (t.status === "opened") expect(t.submissionDeadline! <= now).toBe(true);
      if (t.status === "draft" || t.status === "awaiting_approval") expect(t.publishedAt).toBeNull();
      expect(t.lots.length).toBeGreaterThan(0);
      for (const lot of t.lots) expect(lot.items.length).toBeGreaterThan(0);
      expect(t.reference).toMatch(/^[A-Z0-9]+-\d{4}-\d{5}$/);
      expect(t.titleAr).toMatch(/[\u0600-\u06FF]/);
      expect(t.titleEn).toMatch(/^[A-Z]/);
      if (t.estimatedValue !== null) expect(t.estimatedValue > 0n).toBe(true);
    }
    // Mostly history, a few percent open, some drafts and cancellations.
    for (const s of ["draft", "awaiting_approval", "published", "opened", "cancelled"])
      expect(statuses.get(s) ?? 0, s).toBeGreaterThan(0);
    expect(statuses.get("opened")!).toBeGreaterThan(1500);
  });

  test("spelling variants mean the same once normalised", () => {
    const phrases = Object.values(THEMES).flatMap((t) => [...t.titles, ...t.descriptions].map((x) => x.ar));
    fc.assert(
      fc.property(fc.constantFrom(...phrases), fc.integer(), (phrase, seed) => {
        const varied = varySpelling(phrase, seededRandom(seed));
        expect(normaliseArabic(varied)).toBe(normaliseArabic(phrase));
      }),
    );
  });
});
