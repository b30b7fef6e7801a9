import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import { formatPoints, parsePoints, ratio, roundHalfUp } from "./points.ts";
import {
  committeeScore,
  financialScore,
  isAbnormallyLow,
  meanScore,
  medianPrice,
  technicalScore,
  weightsOf,
} from "./scoring.ts";

const c = (key: string, kind: TenderCriterion["kind"], weight: number): TenderCriterion => ({
  key,
  nameAr: key,
  nameEn: key,
  kind,
  weight,
});

describe("points", () => {
  test("hundredths are parsed from what people type and printed with two decimals", () => {
    expect(parsePoints("87.55")).toBe(8755);
    expect(parsePoints("87.5")).toBe(8750);
    expect(parsePoints(" 100 ")).toBe(10_000);
    expect(parsePoints("0")).toBe(0);
    expect(parsePoints("٨٧٫٥")).toBe(8750);
    expect(parsePoints("100.01")).toBeNull();
    expect(parsePoints("87.555")).toBeNull();
    expect(parsePoints("-1")).toBeNull();
    expect(parsePoints("abc")).toBeNull();
    expect(formatPoints(8755)).toBe("87.55");
    expect(formatPoints(700)).toBe("7.00");
    expect(formatPoints(5)).toBe("0.05");
    expect(formatPoints(10_000)).toBe("100.00");
  });

  test("rounding is half up, exactly", () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n); // 2.5
    expect(roundHalfUp(249n, 100n)).toBe(2n); // 2.49
    expect(roundHalfUp(7n, 2n)).toBe(4n); // 3.5
    expect(roundHalfUp(0n, 7n)).toBe(0n);
  });

  test("property: formatting and parsing are inverse on every valid score", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (h) => {
        expect(parsePoints(formatPoints(h))).toBe(h);
      }),
    );
  });
});

describe("committee and technical scores", () => {
  test("the committee's score is the mean of the evaluators', rounded half up to hundredths", () => {
    expect(meanScore([8000, 8500, 9000])).toBe(8500);
    expect(meanScore([7000, 7550, 7125])).toBe(7225); // 21675 / 3 = 7225
    expect(meanScore([1, 2])).toBe(2); // 0.015 → 0.02 (half up)
    expect(meanScore([1, 1, 2])).toBe(1); // 0.0133 → 0.01
    expect(meanScore([1, 2, 2])).toBe(2); // 0.0167 → 0.02
    expect(meanScore([6667])).toBe(6667);
    expect(() => meanScore([])).toThrow(RangeError);
    expect(() => meanScore([10_001])).toThrow(RangeError);
  });

  test("a consensus score replaces the mean, which is kept for the record", () => {
    expect(committeeScore([6000, 7000, 8000])).toEqual({
      score: 7000,
      source: "mean",
      mean: 7000,
      consensus: null,
    });
    const consensus = { score: 7500, note: "agreed after the site visit" };
    expect(committeeScore([6000, 7000, 8000], consensus)).toEqual({
      score: 7500,
      source: "consensus",
      mean: 7000,
      consensus,
    });
  });

  test("technical score: Σ score/100 × weight, rounded half up once", () => {
    // (85.00 × 40 + 72.25 × 30) / 100 = 34 + 21.675 = 55.675 → 55.68
    expect(
      technicalScore([
        { score: 8500, weight: 40 },
        { score: 7225, weight: 30 },
      ]),
    ).toBe(5568);
    // 0.01 × 50 / 100 = 0.005 → 0.01 (half up); 0.01 × 49 / 100 = 0.0049 → 0.00
    expect(technicalScore([{ score: 1, weight: 50 }])).toBe(1);
    expect(technicalScore([{ score: 1, weight: 49 }])).toBe(0);
    // rounded once, not per criterion: 0.005 + 0.005 = 0.01 (per criterion it would be 0.02)
    expect(
      technicalScore([
        { score: 1, weight: 50 },
        { score: 1, weight: 50 },
      ]),
    ).toBe(1);
    expect(technicalScore([])).toBe(0);
  });

  test("weights of a tender's criteria", () => {
    expect(
      weightsOf([
        c("docs", "pass_fail", 0),
        c("a", "technical", 40),
        c("b", "technical", 30),
        c("p", "financial", 30),
      ]),
    ).toEqual({ technical: 70, financial: 30 });
  });

  test("property: the mean lies between the lowest and highest score and is within half a hundredth", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 9 }), (scores) => {
        const mean = meanScore(scores);
        expect(Number.isInteger(mean)).toBe(true);
        expect(mean).toBeGreaterThanOrEqual(Math.min(...scores));
        expect(mean).toBeLessThanOrEqual(Math.max(...scores));
        const sum = scores.reduce((a, b) => a + b, 0);
        // |mean − sum/n| ≤ 1/2, and exactly 1/2 only when rounding up
        const twice = 2 * (mean * scores.length - sum);
        expect(twice).toBeGreaterThan(-scores.length);
        expect(twice).toBeLessThanOrEqual(scores.length);
      }),
    );
  });

  test("property: the technical score is the exact weighted sum rounded half up, never above the weights", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ score: fc.integer({ min: 0, max: 10_000 }), weight: fc.integer({ min: 1, max: 100 }) }),
          {
            maxLength: 6,
          },
        ),
        (parts) => {
          const t = technicalScore(parts);
          const exact = parts.reduce((s, p) => s + p.score * p.weight, 0); // in ten-thousandths
          const twice = 2 * (t * 100 - exact);
          expect(twice).toBeGreaterThan(-100);
          expect(twice).toBeLessThanOrEqual(100);
          expect(t).toBeLessThanOrEqual(parts.reduce((s, p) => s + p.weight * 100, 0));
        },
      ),
    );
  });
});

describe("financial score", () => {
  test("lowest ÷ price × weight, exact on minor units, rounded half up once", () => {
    // 100.000 vs 125.000 KWD, weight 30: 0.8 × 30 = 24.00
    expect(financialScore({ price: 125_000n, lowestPrice: 100_000n, weight: 30 })).toBe(2400);
    expect(financialScore({ price: 100_000n, lowestPrice: 100_000n, weight: 30 })).toBe(3000);
    // 1/3 × 1 = 0.3333 → 0.33; 1/8 × 1 = 0.125 → 0.13 (half up); 2/3 × 30 = 20.00
    expect(financialScore({ price: 3n, lowestPrice: 1n, weight: 1 })).toBe(33);
    expect(financialScore({ price: 8n, lowestPrice: 1n, weight: 1 })).toBe(13);
    expect(financialScore({ price: 3n, lowestPrice: 2n, weight: 30 })).toBe(2000);
    // prices far beyond 2^53 stay exact: (10^18) / (3 × 10^18) × 60 = 20.00
    expect(financialScore({ price: 3n * 10n ** 18n, lowestPrice: 10n ** 18n, weight: 60 })).toBe(2000);
    expect(() => financialScore({ price: 1n, lowestPrice: 2n, weight: 30 })).toThrow(RangeError);
    expect(() => financialScore({ price: 0n, lowestPrice: 0n, weight: 30 })).toThrow(RangeError);
  });

  test("linear_from_lowest loses the weight in proportion to the excess over the lowest price", () => {
    const f = (price: bigint) =>
      financialScore({ price, lowestPrice: 1000n, weight: 40, formula: "linear_from_lowest" });
    expect(f(1000n)).toBe(4000);
    expect(f(1250n)).toBe(3000); // 25% above → 75% of 40
    expect(f(2000n)).toBe(0);
    expect(f(5000n)).toBe(0);
    expect(f(1001n)).toBe(3996); // 39.96
  });

  const formulas = fc.constantFrom("lowest_over_price" as const, "linear_from_lowest" as const);
  const prices = fc.bigInt({ min: 1n, max: 10n ** 15n });

  test("property: the lowest price gets the full weight; no price gets more; non-increasing in price", () => {
    fc.assert(
      fc.property(
        formulas,
        fc.integer({ min: 0, max: 100 }),
        prices,
        prices,
        prices,
        (formula, weight, x, y, z) => {
          const [lowestPrice, p1, p2] = [x, y, z].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) as [
            bigint,
            bigint,
            bigint,
          ];
          const f = (price: bigint) => financialScore({ price, lowestPrice, weight, formula });
          expect(f(lowestPrice)).toBe(weight * 100);
          expect(f(p1)).toBeLessThanOrEqual(weight * 100);
          expect(f(p2)).toBeLessThanOrEqual(f(p1));
          expect(f(p2)).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(f(p2))).toBe(true);
        },
      ),
    );
  });

  test("property: lowest_over_price is the exact quotient rounded half up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), prices, prices, (weight, x, y) => {
        const [lowestPrice, price] = x < y ? [x, y] : [y, x];
        const f = BigInt(financialScore({ price, lowestPrice, weight }));
        // |f − L × W / p| ≤ 1/2, i.e. −p < 2(f·p − L·W) ≤ p
        const twice = 2n * (f * price - lowestPrice * BigInt(weight) * 100n);
        expect(twice > -price && twice <= price).toBe(true);
      }),
    );
  });
});

describe("median and abnormally low prices", () => {
  test("median of an odd count is the middle price; of an even count, the exact mean of the two middle", () => {
    expect(medianPrice([3n, 1n, 2n])).toEqual(ratio(2n, 1n));
    expect(medianPrice([4n, 1n, 3n, 2n])).toEqual(ratio(5n, 2n)); // 2.5 minor units
    expect(medianPrice([7n])).toEqual(ratio(7n, 1n));
    expect(medianPrice([])).toBeNull();
  });

  test("abnormally low is strictly below the percentage of the median", () => {
    const median = ratio(105_000n, 1n); // e.g. (100_000 + 110_000) / 2
    expect(isAbnormallyLow(84_000n, median)).toBe(false); // exactly 80% is not below it
    expect(isAbnormallyLow(83_999n, median)).toBe(true);
    // median 2.5 minor units: 80% is 2 → 2 is not low, 1 is
    expect(isAbnormallyLow(2n, ratio(5n, 2n))).toBe(false);
    expect(isAbnormallyLow(1n, ratio(5n, 2n))).toBe(true);
    // another threshold: 90% of 105,000 = 94,500
    expect(isAbnormallyLow(94_499n, median, 90)).toBe(true);
    expect(isAbnormallyLow(94_500n, median, 90)).toBe(false);
    expect(() => isAbnormallyLow(1n, median, 0)).toThrow(RangeError);
  });

  test("property: the median lies between the lowest and highest price, and the highest is never abnormally low", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 9 }), (ps) => {
        const m = medianPrice(ps)!;
        const sorted = [...ps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const [lo, hi] = [sorted[0]!, sorted.at(-1)!];
        expect(lo * m.den <= m.num && m.num <= hi * m.den).toBe(true);
        expect(isAbnormallyLow(hi, m)).toBe(false);
      }),
    );
  });
});
