import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { computeFee, formatRate, parseRate } from "./fee-calculation.ts";

const fixed = (amount: bigint) => ({
  calculation: "fixed" as const,
  fixedAmount: amount,
  rateBasisPoints: null,
  minimumAmount: null,
  maximumAmount: null,
});
const percentage = (bp: number, min: bigint | null = null, max: bigint | null = null) => ({
  calculation: "percentage" as const,
  fixedAmount: null,
  rateBasisPoints: bp,
  minimumAmount: min,
  maximumAmount: max,
});

describe("fee calculation", () => {
  test("a fixed fee is its amount, whatever the base", () => {
    expect(computeFee(fixed(25_000n))).toBe(25_000n);
    expect(computeFee(fixed(25_000n), 9_999_999n)).toBe(25_000n);
  });

  test("a percentage is rounded half up to the minor unit and kept within its bounds", () => {
    // 1.5% of 12.345 KWD (12345 fils) = 185.175 fils → 185
    expect(computeFee(percentage(150), 12_345n)).toBe(185n);
    // 0.5% of 1,001 = 5.005 → 5; of 1,100 = 5.5 → 6 (half up)
    expect(computeFee(percentage(50), 1_001n)).toBe(5n);
    expect(computeFee(percentage(50), 1_100n)).toBe(6n);
    expect(computeFee(percentage(100, 5_000n, 50_000n), 1_000n)).toBe(5_000n); // minimum
    expect(computeFee(percentage(100, 5_000n, 50_000n), 100_000_000n)).toBe(50_000n); // maximum
    expect(computeFee(percentage(100, 5_000n, 50_000n), 2_000_000n)).toBe(20_000n);
  });

  test("a percentage without a base is a programming error, not a zero fee", () => {
    expect(() => computeFee(percentage(100))).toThrow(RangeError);
  });

  test("property: the fee never leaves [minimum, maximum] and grows with the base", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        (bp, a, b, min, span) => {
          const rule = percentage(bp, min, min + span);
          const [low, high] = a < b ? [a, b] : [b, a];
          const feeLow = computeFee(rule, low);
          const feeHigh = computeFee(rule, high);
          expect(feeLow).toBeGreaterThanOrEqual(min);
          expect(feeHigh).toBeLessThanOrEqual(min + span);
          expect(feeLow).toBeLessThanOrEqual(feeHigh);
        },
      ),
    );
  });

  test("rates are typed as percentages, in either digit set", () => {
    expect(parseRate("1.5")).toBe(150);
    expect(parseRate("١٫٥")).toBe(150);
    expect(parseRate("2%")).toBe(200);
    expect(parseRate("100")).toBe(10_000);
    expect(parseRate("0")).toBeNull();
    expect(parseRate("100.01")).toBeNull();
    expect(parseRate("1.555")).toBeNull();
    expect(parseRate("abc")).toBeNull();
    expect(formatRate(150)).toBe("1.5");
    expect(formatRate(205)).toBe("2.05");
    expect(formatRate(1000)).toBe("10");
  });
});
