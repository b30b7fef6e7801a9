import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type AwardFacts, percentOfEstimate, redFlagsOf, THRESHOLDS } from "./red-flags.ts";

const day = 86_400_000;
const published = new Date("2026-03-01T09:00:00Z");
const clean: AwardFacts = {
  bidCount: 4,
  publishedAt: published,
  submissionDeadline: new Date(published.getTime() + 30 * day),
  winnerRegisteredAt: new Date(published.getTime() - 400 * day),
  winsAtAgencyInWindow: 1,
  price: 95_000n,
  estimate: 100_000n,
};
const kinds = (facts: AwardFacts) => redFlagsOf(facts).map((f) => f.kind);

describe("red flags", () => {
  test("a competitive, well-run award raises none", () => {
    expect(redFlagsOf(clean)).toEqual([]);
  });

  test("each pattern raises its flag with the figures the explanation quotes", () => {
    expect(redFlagsOf({ ...clean, bidCount: 1 })).toEqual([{ kind: "single_bidder", params: {} }]);
    expect(redFlagsOf({ ...clean, submissionDeadline: new Date(published.getTime() + 9 * day) })).toEqual([
      { kind: "short_tender_period", params: { days: "9", threshold: "15" } },
    ]);
    expect(redFlagsOf({ ...clean, winnerRegisteredAt: new Date(published.getTime() - 12 * day) })).toEqual([
      { kind: "new_supplier", params: { days: "12" } },
    ]);
    expect(redFlagsOf({ ...clean, winsAtAgencyInWindow: 4 })).toEqual([
      { kind: "repeat_winner", params: { count: "4" } },
    ]);
    expect(redFlagsOf({ ...clean, price: 145_000n })).toEqual([
      { kind: "far_from_estimate", params: { percent: "145" } },
    ]);
    expect(redFlagsOf({ ...clean, price: 60_000n })).toEqual([
      { kind: "far_from_estimate", params: { percent: "60" } },
    ]);
  });

  test("the thresholds are where they say: 15 days is not short, 30 % off is far, 29 % is not", () => {
    expect(kinds({ ...clean, submissionDeadline: new Date(published.getTime() + 15 * day) })).toEqual([]);
    expect(kinds({ ...clean, submissionDeadline: new Date(published.getTime() + 15 * day - 1) })).toEqual([
      "short_tender_period",
    ]);
    expect(kinds({ ...clean, price: 130_000n })).toEqual(["far_from_estimate"]);
    expect(kinds({ ...clean, price: 129_000n })).toEqual([]);
    expect(kinds({ ...clean, winsAtAgencyInWindow: THRESHOLDS.repeatWins - 1 })).toEqual([]);
    expect(kinds({ ...clean, estimate: null, price: 1n })).toEqual([]);
  });

  test("percent of estimate is exact for any size of amount (no floating point)", () => {
    fc.assert(
      // Prices up to a thousand times the estimate: the percentage stays an exact JavaScript number.
      fc.property(
        fc
          .bigInt({ min: 1n, max: 10n ** 18n })
          .chain((estimate) =>
            fc.tuple(fc.bigInt({ min: 1n, max: estimate * 1000n }), fc.constant(estimate)),
          ),
        ([price, estimate]) => {
          const p = percentOfEstimate(price, estimate)!;
          // Half up: −estimate/2 ≤ 100·price − p·estimate < estimate/2.
          const diff = 100n * price - BigInt(p) * estimate;
          expect(diff * 2n < estimate && diff * 2n >= -estimate).toBe(true);
        },
      ),
    );
    expect(percentOfEstimate(1n, null)).toBeNull();
    expect(percentOfEstimate(1n, 0n)).toBeNull();
  });
});
