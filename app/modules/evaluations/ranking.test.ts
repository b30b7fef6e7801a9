import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compareForRanking, parseReceivedAt, type Rankable, rankBids, recommendWinner } from "./ranking.ts";

const at = (iso: string) => parseReceivedAt(iso)!;
const bid = (bidId: string, over: Partial<Rankable> = {}): Rankable => ({
  bidId,
  total: 8000,
  technical: 5000,
  price: 1000n,
  receivedAtMicros: at("2026-03-01T10:00:00.000000Z"),
  ...over,
});
const order = (bids: Rankable[]) => rankBids(bids).map((b) => [b.bidId, b.rank, b.decidedBy]);

describe("times of receipt", () => {
  test("are read to the microsecond, in any offset, without Date's millisecond rounding", () => {
    const base = at("2026-03-01T10:00:00Z");
    expect(at("2026-03-01T10:00:00.000001Z") - base).toBe(1n);
    expect(at("2026-03-01T10:00:00.123456Z") - base).toBe(123_456n);
    expect(at("2026-03-01T10:00:00.5Z") - base).toBe(500_000n);
    expect(at("2026-03-01 13:00:00.000001+03")).toBe(base + 1n); // PostgreSQL's text form
    expect(at("2026-03-01T13:30:00+03:30")).toBe(base);
    expect(at("2026-03-01T05:00:00-0500")).toBe(base);
    expect(base).toBe(BigInt(Date.parse("2026-03-01T10:00:00Z")) * 1000n);
  });

  test("anything else is refused", () => {
    for (const bad of [
      "",
      "2026-03-01",
      "2026-03-01T10:00:00", // no zone: ambiguous
      "2026-02-30T10:00:00Z",
      "2026-03-01T24:00:00Z",
      "2026-03-01T10:00:00.1234567Z",
      "yesterday",
    ])
      expect(parseReceivedAt(bad)).toBeNull();
  });
});

describe("ranking", () => {
  test("higher total first", () => {
    expect(order([bid("a", { total: 7000 }), bid("b", { total: 7001 })])).toEqual([
      ["b", 1, null],
      ["a", 2, "total"],
    ]);
  });

  test("equal totals: lower price first", () => {
    expect(order([bid("a", { price: 1001n }), bid("b", { price: 1000n })])).toEqual([
      ["b", 1, null],
      ["a", 2, "price"],
    ]);
  });

  test("equal totals and prices: higher technical score first", () => {
    expect(order([bid("a", { technical: 4999 }), bid("b", { technical: 5000 })])).toEqual([
      ["b", 1, null],
      ["a", 2, "technical"],
    ]);
  });

  test("still equal: received first, to the microsecond", () => {
    expect(
      order([
        bid("a", { receivedAtMicros: at("2026-03-01T10:00:00.000002Z") }),
        bid("b", { receivedAtMicros: at("2026-03-01 13:00:00.000001+03") }),
      ]),
    ).toEqual([
      ["b", 1, null],
      ["a", 2, "receivedAt"],
    ]);
  });

  test("received in the same microsecond: the smaller bid id, so ranks stay unique", () => {
    expect(order([bid("b"), bid("a")])).toEqual([
      ["a", 1, null],
      ["b", 2, "bidId"],
    ]);
  });

  test("the rules apply in turn across several bids", () => {
    expect(
      order([
        bid("late", { receivedAtMicros: at("2026-03-01T11:00:00Z") }),
        bid("dear", { price: 2000n }),
        bid("weak", { technical: 4000 }),
        bid("best", { total: 9000 }),
        bid("early"),
      ]),
    ).toEqual([
      ["best", 1, null],
      ["early", 2, "total"],
      ["late", 3, "receivedAt"],
      ["weak", 4, "technical"],
      ["dear", 5, "price"],
    ]);
  });

  test("the same bid twice is a programming error", () => {
    expect(() => rankBids([bid("a"), bid("a")])).toThrow(RangeError);
  });

  test("the winner is the best-ranked eligible bid", () => {
    expect(
      recommendWinner([
        { bidId: "a", eligibleToWin: false },
        { bidId: "b", eligibleToWin: true },
        { bidId: "c", eligibleToWin: true },
      ]),
    ).toBe("b");
    expect(recommendWinner([])).toBeNull();
  });

  const rankable = fc.record({
    total: fc.integer({ min: 0, max: 3 }),
    technical: fc.integer({ min: 0, max: 2 }),
    price: fc.bigInt({ min: 1n, max: 3n }),
    receivedAtMicros: fc.bigInt({ min: 0n, max: 2n }),
  });

  test("property: ranks are 1..n, follow the rules pairwise, and do not depend on input order", () => {
    fc.assert(
      fc.property(
        fc.array(rankable, { maxLength: 12 }).chain((xs) => {
          const bids = xs.map((x, i) => ({ ...x, bidId: `b${i}` }));
          return fc.tuple(fc.constant(bids), fc.shuffledSubarray(bids, { minLength: bids.length }));
        }),
        ([bids, shuffled]) => {
          const ranked = rankBids(bids);
          expect(ranked.map((b) => b.rank)).toEqual(bids.map((_, i) => i + 1));
          for (let i = 1; i < ranked.length; i++)
            expect(compareForRanking(ranked[i - 1]!, ranked[i]!)).toBeLessThan(0);
          expect(rankBids(shuffled)).toEqual(ranked);
        },
      ),
    );
  });
});
