import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import {
  type BidInLot,
  checkLot,
  type EvaluationSetup,
  type EvaluatorScore,
  evaluateLot,
  evaluateTender,
  type LotInput,
  type LotResult,
  missingScores,
} from "./evaluate-lot.ts";
import { ratio } from "./points.ts";
import { compareForRanking } from "./ranking.ts";
import { weightsOf } from "./scoring.ts";

const c = (key: string, kind: TenderCriterion["kind"], weight: number): TenderCriterion => ({
  key,
  nameAr: key,
  nameEn: key,
  kind,
  weight,
});

const EVALUATORS = ["e1", "e2", "e3"];
const setup: EvaluationSetup = {
  criteria: [
    c("docs", "pass_fail", 0),
    c("approach", "technical", 40),
    c("team", "technical", 30),
    c("price", "financial", 30),
  ],
  evaluatorIds: EVALUATORS,
};

const bid = (bidId: string, price: bigint, over: Partial<BidInLot> = {}): BidInLot => ({
  bidId,
  price: { amount: price, currency: "KWD" },
  receivedAt: "2026-03-01T10:00:00.000001Z",
  checks: { docs: true },
  ...over,
});

/** Scores of every evaluator for a bid: per criterion, one score per evaluator in order. */
const scoresFor = (bidId: string, byCriterion: Record<string, number[]>): EvaluatorScore[] =>
  Object.entries(byCriterion).flatMap(([criterionKey, scores]) =>
    scores.map((score, i) => ({ evaluatorId: EVALUATORS[i]!, bidId, criterionKey, score })),
  );
const same = (bidId: string, score: number) =>
  scoresFor(bidId, { approach: [score, score, score], team: [score, score, score] });

function result(s: EvaluationSetup, lot: LotInput): LotResult {
  const outcome = evaluateLot(s, lot);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.result;
}
const summary = (r: LotResult) =>
  r.ranked.map((b) => ({
    bidId: b.bidId,
    rank: b.rank,
    technical: b.technical,
    financial: b.financial,
    total: b.total,
  }));

describe("evaluating a lot", () => {
  test("a worked example: committee means, weighted technical score, financial score, ranking", () => {
    const r = result(setup, {
      lotId: "lot-1",
      currency: "KWD",
      bids: [
        bid("A", 100_000n),
        bid("B", 125_000n),
        bid("C", 90_000n, { checks: { docs: false } }),
        bid("D", 95_000n, { disqualification: "Bid security missing" }),
      ],
      scores: [
        // A: approach 80, 85, 90 → 85.00; team 70, 75.50, 71.25 → 72.25
        // technical = 85 × 0.40 + 72.25 × 0.30 = 34 + 21.675 = 55.675 → 55.68
        // financial: A is the lowest qualified price → 30.00; total 85.68
        ...scoresFor("A", { approach: [8000, 8500, 9000], team: [7000, 7550, 7125] }),
        // B: approach 95.00, team 90.00 → technical 38 + 27 = 65.00
        // financial: 100.000 / 125.000 × 30 = 24.00; total 89.00
        ...scoresFor("B", { approach: [9000, 9500, 10_000], team: [9000, 9000, 9000] }),
      ],
    });
    expect(summary(r)).toEqual([
      { bidId: "B", rank: 1, technical: 6500, financial: 2400, total: 8900 },
      { bidId: "A", rank: 2, technical: 5568, financial: 3000, total: 8568 },
    ]);
    expect(r.ranked[0]!.decidedBy).toBeNull();
    expect(r.ranked[1]!.decidedBy).toBe("total");
    expect(r.ranked[1]!.criteria).toEqual([
      { criterionKey: "approach", weight: 40, score: 8500, source: "mean", mean: 8500, consensus: null },
      { criterionKey: "team", weight: 30, score: 7225, source: "mean", mean: 7225, consensus: null },
    ]);
    expect(r.ranked[0]!.price).toEqual({ amount: 125_000n, currency: "KWD" });
    expect(r.recommendedWinner).toBe("B");
    // C and D are cheaper but excluded: they set neither the lowest price nor the median
    expect(r.lowestPrice).toBe(100_000n);
    expect(r.medianPrice).toEqual(ratio(225_000n, 2n));
    expect(r.abnormallyLowBelow).toEqual(ratio(225_000n * 80n, 200n)); // 90,000
    expect(r.excluded).toEqual([
      {
        bidId: "C",
        price: { amount: 90_000n, currency: "KWD" },
        receivedAt: "2026-03-01T10:00:00.000001Z",
        rank: null,
        reasons: [{ kind: "failed_check", criterionKey: "docs" }],
      },
      {
        bidId: "D",
        price: { amount: 95_000n, currency: "KWD" },
        receivedAt: "2026-03-01T10:00:00.000001Z",
        rank: null,
        reasons: [{ kind: "disqualified", reason: "Bid security missing" }],
      },
    ]);
  });

  test("a consensus score replaces the mean of that criterion only", () => {
    const r = result(setup, {
      lotId: "lot-1",
      currency: "KWD",
      bids: [bid("A", 100_000n)],
      scores: scoresFor("A", { approach: [6000, 7000, 8000], team: [5000, 5000, 5000] }),
      consensus: [{ bidId: "A", criterionKey: "approach", score: 7500, note: "agreed after the site visit" }],
    });
    const [approach, team] = r.ranked[0]!.criteria;
    expect(approach).toMatchObject({ score: 7500, source: "consensus", mean: 7000 });
    expect(team).toMatchObject({ score: 5000, source: "mean" });
    // 75 × 0.4 + 50 × 0.3 = 30 + 15 = 45.00; single bid: full financial weight
    expect(summary(r)).toEqual([{ bidId: "A", rank: 1, technical: 4500, financial: 3000, total: 7500 }]);
  });

  test("a single bid gets the full financial weight, rank 1 and the recommendation", () => {
    const r = result(setup, { lotId: "x", currency: "KWD", bids: [bid("A", 1n)], scores: same("A", 0) });
    expect(summary(r)).toEqual([{ bidId: "A", rank: 1, technical: 0, financial: 3000, total: 3000 }]);
    expect(r.ranked[0]!.abnormallyLow).toBe(false);
    expect(r.recommendedWinner).toBe("A");
  });

  test("rounding at the boundary: the technical score is rounded once, half up", () => {
    const s: EvaluationSetup = {
      criteria: [c("t1", "technical", 25), c("t2", "technical", 25), c("p", "financial", 50)],
      evaluatorIds: ["e1", "e2"],
    };
    const r = result(s, {
      lotId: "x",
      currency: "KWD",
      bids: [bid("A", 1000n, { checks: {} })],
      scores: [
        // t1: (0.01 + 0.02) / 2 = 0.015 → 0.02; t2: 0.02
        // technical = (2 × 25 + 2 × 25) / 100 = 1 hundredth = 0.01
        { evaluatorId: "e1", bidId: "A", criterionKey: "t1", score: 1 },
        { evaluatorId: "e2", bidId: "A", criterionKey: "t1", score: 2 },
        { evaluatorId: "e1", bidId: "A", criterionKey: "t2", score: 2 },
        { evaluatorId: "e2", bidId: "A", criterionKey: "t2", score: 2 },
      ],
    });
    expect(r.ranked[0]!.criteria.map((x) => x.score)).toEqual([2, 2]);
    expect(r.ranked[0]!.technical).toBe(1);
    expect(r.ranked[0]!.total).toBe(5001);
  });

  test("a price-only tender needs no evaluators", () => {
    const s: EvaluationSetup = { criteria: [c("p", "financial", 100)], evaluatorIds: [] };
    const r = result(s, {
      lotId: "x",
      currency: "OMR",
      bids: [bid("A", 300n, { checks: {} }), bid("B", 200n, { checks: {} })].map((b) => ({
        ...b,
        price: { ...b.price, currency: "OMR" },
      })),
      scores: [],
    });
    // B: 100.00; A: 200/300 × 100 = 66.67
    expect(summary(r)).toEqual([
      { bidId: "B", rank: 1, technical: 0, financial: 10_000, total: 10_000 },
      { bidId: "A", rank: 2, technical: 0, financial: 6667, total: 6667 },
    ]);
  });
});

describe("ties within a lot", () => {
  const s: EvaluationSetup = {
    criteria: [c("t", "technical", 50), c("p", "financial", 50)],
    evaluatorIds: ["e1"],
  };
  const one = (bidId: string, score: number): EvaluatorScore => ({
    evaluatorId: "e1",
    bidId,
    criterionKey: "t",
    score,
  });
  const b = (bidId: string, price: bigint, receivedAt = "2026-03-01T10:00:00.000001Z") =>
    bid(bidId, price, { checks: {}, receivedAt });

  test("equal totals: the lower price wins", () => {
    // X: 50 × 0.5 + 50.00 = 75.00; Y: 100 × 0.5 + 100/200 × 50 = 50 + 25 = 75.00
    const r = result(s, {
      lotId: "x",
      currency: "KWD",
      bids: [b("Y", 200n), b("X", 100n)],
      scores: [one("X", 5000), one("Y", 10_000)],
    });
    expect(r.ranked.map((x) => [x.bidId, x.total, x.decidedBy])).toEqual([
      ["X", 7500, null],
      ["Y", 7500, "price"],
    ]);
  });

  test("equal totals and prices: the earlier receipt wins, compared to the microsecond", () => {
    // (equal prices give equal financial scores, so equal totals also mean equal technical scores:
    // within a lot the technical rule can only decide between bids that differ in price, which the
    // price rule has already decided; ranking.test.ts exercises it directly)
    const r = result(s, {
      lotId: "x",
      currency: "KWD",
      bids: [
        b("late", 100n, "2026-03-01T10:00:00.000002Z"),
        b("early", 100n, "2026-03-01 13:00:00.000001+03"),
      ],
      scores: [one("late", 5000), one("early", 5000)],
    });
    expect(r.ranked.map((x) => [x.bidId, x.rank, x.decidedBy])).toEqual([
      ["early", 1, null],
      ["late", 2, "receivedAt"],
    ]);
  });

  test("received in the same microsecond: the bid id decides", () => {
    const r = result(s, {
      lotId: "x",
      currency: "KWD",
      bids: [b("b2", 100n), b("b1", 100n)],
      scores: [one("b2", 5000), one("b1", 5000)],
    });
    expect(r.ranked.map((x) => [x.bidId, x.rank, x.decidedBy])).toEqual([
      ["b1", 1, null],
      ["b2", 2, "bidId"],
    ]);
  });
});

describe("abnormally low bids", () => {
  // prices 70, 100, 110 (odd count): median 100, threshold 80 → 70 is abnormally low
  const lot = (justification: string | null): LotInput => ({
    lotId: "x",
    currency: "KWD",
    bids: [
      bid("low", 70_000n, { lowPriceJustification: justification }),
      bid("mid", 100_000n),
      bid("high", 110_000n),
    ],
    scores: [...same("low", 8000), ...same("mid", 8000), ...same("high", 8000)],
  });

  test("without a justification it keeps its score and rank but cannot be recommended", () => {
    const r = result(setup, lot(null));
    expect(r.medianPrice).toEqual(ratio(100_000n, 1n));
    expect(r.ranked.map((b) => [b.bidId, b.rank, b.abnormallyLow, b.eligibleToWin])).toEqual([
      ["low", 1, true, false],
      ["mid", 2, false, true],
      ["high", 3, false, true],
    ]);
    expect(r.ranked[0]!.total).toBe(5600 + 3000); // still the lowest price: full financial weight
    expect(r.recommendedWinner).toBe("mid");
    expect(result(setup, lot("   ")).recommendedWinner).toBe("mid"); // a blank text is no justification
  });

  test("with a written justification it may win", () => {
    const r = result(setup, lot("Stock bought before the price rise; invoices attached"));
    expect(r.ranked[0]).toMatchObject({
      bidId: "low",
      abnormallyLow: true,
      justified: true,
      eligibleToWin: true,
    });
    expect(r.recommendedWinner).toBe("low");
  });

  test("even count: the median is the exact mean of the two middle prices; at the threshold is not low", () => {
    // prices 84, 100, 110, 120: median (100 + 110) / 2 = 105, threshold 84 → 84 is not abnormally low
    const prices = { a: 84_000n, b: 100_000n, c: 110_000n, d: 120_000n };
    const bids = Object.entries(prices).map(([id, p]) => bid(id, p));
    const scores = Object.keys(prices).flatMap((id) => same(id, 5000));
    const r = result(setup, { lotId: "x", currency: "KWD", bids, scores });
    expect(r.medianPrice).toEqual(ratio(210_000n, 2n));
    expect(r.ranked.find((b) => b.bidId === "a")!.abnormallyLow).toBe(false);
    // one minor unit lower is abnormally low (the median is unchanged: 84 is not a middle price)
    const lower = result(setup, {
      lotId: "x",
      currency: "KWD",
      bids: bids.map((b) => (b.bidId === "a" ? { ...b, price: { ...b.price, amount: 83_999n } } : b)),
      scores,
    });
    expect(lower.ranked.find((b) => b.bidId === "a")!.abnormallyLow).toBe(true);
    // and a 90% threshold flags the bid at 84
    expect(
      result(
        { ...setup, abnormallyLowPercent: 90 },
        { lotId: "x", currency: "KWD", bids, scores },
      ).ranked.find((b) => b.bidId === "a")!.abnormallyLow,
    ).toBe(true);
  });
});

describe("lots are independent", () => {
  test("a change in one lot never changes another lot's result", () => {
    const lot1: LotInput = {
      lotId: "lot-1",
      currency: "KWD",
      bids: [bid("A", 100_000n), bid("B", 125_000n)],
      scores: [...same("A", 7000), ...same("B", 9000)],
    };
    const lot2: LotInput = {
      lotId: "lot-2",
      currency: "KWD",
      bids: [bid("A", 50_000n), bid("B", 60_000n)],
      scores: [...same("A", 6000), ...same("B", 6000)],
    };
    const before = evaluateTender(setup, [lot1, lot2]);
    const lot2Changed: LotInput = {
      ...lot2,
      bids: [...lot2.bids, bid("C", 1_000n)],
      scores: [...lot2.scores, ...same("C", 10_000)],
    };
    const after = evaluateTender(setup, [lot1, lot2Changed]);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    // a lot that cannot be evaluated yet does not hold the others back
    const broken = evaluateTender(setup, [lot1, { ...lot2, scores: [] }]);
    expect(broken[0]).toEqual(before[0]);
    expect(broken[1]!.ok).toBe(false);
  });
});

describe("validation", () => {
  const lot: LotInput = {
    lotId: "x",
    currency: "KWD",
    bids: [bid("A", 100_000n)],
    scores: same("A", 5000),
  };
  const codes = (s: EvaluationSetup, l: LotInput) => checkLot(s, l).map((p) => p.code);

  test("a complete lot has no problems", () => {
    expect(checkLot(setup, lot)).toEqual([]);
  });

  test("weights that do not add up to 100 are refused", () => {
    const bad = {
      ...setup,
      criteria: [c("approach", "technical", 40), c("team", "technical", 30), c("price", "financial", 20)],
    };
    expect(checkLot(bad, { ...lot, bids: [bid("A", 100_000n, { checks: {} })] })).toEqual([
      { code: "criteria_invalid", problem: "weights_not_100" },
    ]);
    expect(evaluateLot(bad, lot)).toMatchObject({ ok: false, lotId: "x" });
  });

  test("scores out of range, or finer than hundredths, are refused", () => {
    const scores = same("A", 5000);
    scores[0] = { ...scores[0]!, score: 10_001 };
    scores[1] = { ...scores[1]!, score: 50.5 };
    scores[2] = { ...scores[2]!, score: -1 };
    expect(codes(setup, { ...lot, scores })).toEqual([
      "score_out_of_range",
      "score_out_of_range",
      "score_out_of_range",
    ]);
  });

  test("missing scores are listed, by evaluator too", () => {
    const scores = same("A", 5000).filter((s) => !(s.evaluatorId === "e2" && s.criterionKey === "team"));
    expect(checkLot(setup, { ...lot, scores })).toEqual([
      { code: "missing_score", bidId: "A", criterionKey: "team", evaluatorId: "e2" },
    ]);
    expect(missingScores(setup, { ...lot, scores: [] }, "e3")).toEqual([
      { bidId: "A", criterionKey: "approach", evaluatorId: "e3" },
      { bidId: "A", criterionKey: "team", evaluatorId: "e3" },
    ]);
    // an excluded bid needs no scores
    expect(
      missingScores(setup, { ...lot, bids: [bid("A", 1n, { checks: { docs: false } })], scores: [] }),
    ).toEqual([]);
  });

  test("pass/fail decisions must all be taken before a bid is scored", () => {
    expect(checkLot(setup, { ...lot, bids: [bid("A", 100_000n, { checks: {} })] })).toEqual([
      { code: "missing_check", bidId: "A", criterionKey: "docs" },
    ]);
    expect(
      codes(setup, { ...lot, bids: [bid("A", 100_000n, { checks: { docs: true, other: true } })] }),
    ).toEqual(["unknown_check"]);
  });

  test("other problems of the committee's records and the bids", () => {
    expect(codes({ ...setup, evaluatorIds: [] }, { ...lot, scores: [] })).toContain("no_evaluators");
    expect(codes({ ...setup, evaluatorIds: ["e1", "e2", "e3", "e1"] }, lot)).toEqual(["duplicate_evaluator"]);
    expect(codes({ ...setup, abnormallyLowPercent: 0 }, lot)).toEqual(["bad_abnormally_low_percent"]);
    expect(
      codes(setup, {
        ...lot,
        scores: [...lot.scores, { evaluatorId: "e9", bidId: "A", criterionKey: "team", score: 1 }],
      }),
    ).toEqual(["unknown_evaluator"]);
    expect(codes(setup, { ...lot, scores: [...lot.scores, lot.scores[0]!] })).toEqual(["duplicate_score"]);
    expect(
      codes(setup, {
        ...lot,
        scores: [...lot.scores, { evaluatorId: "e1", bidId: "Z", criterionKey: "team", score: 1 }],
      }),
    ).toEqual(["unknown_bid"]);
    expect(
      codes(setup, {
        ...lot,
        scores: [...lot.scores, { evaluatorId: "e1", bidId: "A", criterionKey: "price", score: 1 }],
      }),
    ).toEqual(["not_technical_criterion"]);
    expect(
      codes(setup, { ...lot, consensus: [{ bidId: "A", criterionKey: "team", score: 6000, note: " " }] }),
    ).toEqual(["consensus_without_note"]);
    expect(
      codes(setup, {
        ...lot,
        bids: [{ ...bid("A", 100_000n), price: { amount: 100_000n, currency: "USD" } }],
      }),
    ).toEqual(["currency_mismatch"]);
    expect(codes(setup, { ...lot, bids: [bid("A", 0n)] })).toEqual(["price_not_positive"]);
    expect(codes(setup, { ...lot, bids: [bid("A", 1n, { receivedAt: "2026-03-01T10:00:00" })] })).toEqual([
      "bad_received_at",
    ]);
    expect(codes(setup, { ...lot, bids: [bid("A", 1n, { disqualification: "" })] })).toEqual([
      "blank_disqualification_reason",
    ]);
    expect(codes(setup, { ...lot, bids: [bid("A", 1n), bid("A", 2n)] })).toEqual(["duplicate_bid"]);
  });
});

// ---------------------------------------------------------------- properties

/** A random tender set-up and one lot of it, with ties made likely. */
const scenario = fc
  .record({
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }),
    splitFinancial: fc.boolean(),
    passFail: fc.boolean(),
    evaluatorCount: fc.integer({ min: 1, max: 3 }),
    formula: fc.constantFrom("lowest_over_price" as const, "linear_from_lowest" as const),
    percent: fc.oneof(fc.constant(80), fc.integer({ min: 1, max: 100 })),
    bids: fc.array(
      fc.record({
        price: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 13n }), fc.constantFrom(1000n, 2000n, 4000n, 999n)),
        micros: fc.oneof(fc.constantFrom(0n, 1n), fc.bigInt({ min: 0n, max: 10n ** 9n })),
        passes: fc.boolean(),
        disqualified: fc.boolean(),
        justified: fc.boolean(),
        scores: fc.array(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 5000, 10_000)), {
          minLength: 12,
          maxLength: 12,
        }),
        consensus: fc.option(fc.integer({ min: 0, max: 10_000 })),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ cuts, splitFinancial, passFail, evaluatorCount, formula, percent, bids }) => {
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), 100];
    const segments = bounds.slice(1).map((b, i) => b - bounds[i]!);
    const criteria: TenderCriterion[] = [];
    if (passFail) criteria.push(c("eligible", "pass_fail", 0));
    segments.forEach((w, i) => {
      if (i > 0) criteria.push(c(`t${i}`, "technical", w));
      else if (splitFinancial && w > 1) criteria.push(c("f1", "financial", 1), c("f2", "financial", w - 1));
      else criteria.push(c("f", "financial", w));
    });
    const evaluatorIds = ["e1", "e2", "e3"].slice(0, evaluatorCount);
    const technical = criteria.filter((x) => x.kind === "technical");
    const lotBids: BidInLot[] = bids.map((b, i) => ({
      bidId: `bid-${i}`,
      price: { amount: b.price, currency: "KWD" },
      receivedAt: isoMicros(b.micros),
      checks: (passFail ? { eligible: b.passes } : {}) as Record<string, boolean>,
      disqualification: b.disqualified ? "late security" : null,
      lowPriceJustification: b.justified ? "explained" : null,
    }));
    const scores: EvaluatorScore[] = bids.flatMap((b, i) =>
      technical.flatMap((t, ti) =>
        evaluatorIds.map((evaluatorId, ei) => ({
          evaluatorId,
          bidId: `bid-${i}`,
          criterionKey: t.key,
          score: b.scores[ti * 3 + ei]!,
        })),
      ),
    );
    const consensus = bids.flatMap((b, i) =>
      b.consensus !== null && technical[0]
        ? [{ bidId: `bid-${i}`, criterionKey: technical[0].key, score: b.consensus, note: "agreed" }]
        : [],
    );
    const s: EvaluationSetup = {
      criteria,
      evaluatorIds,
      financialFormula: formula,
      abnormallyLowPercent: percent,
    };
    const lot: LotInput = { lotId: "lot", currency: "KWD", bids: lotBids, scores, consensus };
    return { setup: s, lot };
  });

function isoMicros(micros: bigint): string {
  const base = 1_772_000_000_000_000n; // early 2026, in microseconds
  const t = base + micros;
  const ms = new Date(Number(t / 1000n)).toISOString().slice(0, 19);
  return `${ms}.${String(t % 1_000_000n).padStart(6, "0")}Z`;
}

const shuffle = <T>(xs: readonly T[], keys: readonly number[]): T[] =>
  xs
    .map((x, i) => ({ x, k: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.k - b.k || b.i - a.i)
    .map(({ x }) => x);

describe("properties of a lot's evaluation", () => {
  test("scores are exact hundredths within their weights; ranks are 1..n; the cheapest gets the full financial weight", () => {
    fc.assert(
      fc.property(scenario, ({ setup: s, lot }) => {
        const r = result(s, lot);
        const weights = weightsOf(s.criteria);
        expect(r.ranked.map((b) => b.rank)).toEqual(r.ranked.map((_, i) => i + 1));
        expect(r.ranked.length + r.excluded.length).toBe(lot.bids.length);
        for (const b of r.ranked) {
          for (const n of [b.technical, b.financial, b.total]) expect(Number.isSafeInteger(n)).toBe(true);
          expect(b.total).toBe(b.technical + b.financial);
          expect(b.technical).toBeGreaterThanOrEqual(0);
          expect(b.technical).toBeLessThanOrEqual(weights.technical * 100);
          expect(b.financial).toBeGreaterThanOrEqual(0);
          expect(b.financial).toBeLessThanOrEqual(weights.financial * 100);
          expect(b.total).toBeLessThanOrEqual(10_000);
          if (b.price.amount === r.lowestPrice) expect(b.financial).toBe(weights.financial * 100);
        }
        for (let i = 1; i < r.ranked.length; i++) {
          const [above, below] = [r.ranked[i - 1]!, r.ranked[i]!];
          const key = (x: typeof above) => ({ ...x, price: x.price.amount });
          expect(compareForRanking(key(above), key(below))).toBeLessThan(0);
          expect(above.total).toBeGreaterThanOrEqual(below.total);
          if (above.price.amount < below.price.amount)
            expect(above.financial).toBeGreaterThanOrEqual(below.financial);
        }
      }),
    );
  });

  test("disqualified and failed bids are never ranked; every qualified bid is", () => {
    fc.assert(
      fc.property(scenario, ({ setup: s, lot }) => {
        const r = result(s, lot);
        const out = (b: BidInLot) => b.disqualification != null || Object.values(b.checks).includes(false);
        expect(new Set(r.excluded.map((b) => b.bidId))).toEqual(
          new Set(lot.bids.filter(out).map((b) => b.bidId)),
        );
        expect(new Set(r.ranked.map((b) => b.bidId))).toEqual(
          new Set(lot.bids.filter((b) => !out(b)).map((b) => b.bidId)),
        );
        for (const b of r.excluded) {
          expect(b.rank).toBeNull();
          expect(b.reasons.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  test("the recommended winner is the best-ranked eligible bid, and there is one whenever a bid qualifies", () => {
    fc.assert(
      fc.property(scenario, ({ setup: s, lot }) => {
        const r = result(s, lot);
        if (r.ranked.length === 0) {
          expect(r.recommendedWinner).toBeNull();
          return;
        }
        const winner = r.ranked.find((b) => b.bidId === r.recommendedWinner)!;
        expect(winner.eligibleToWin).toBe(true);
        for (const b of r.ranked.filter((x) => x.rank < winner.rank)) {
          expect(b.abnormallyLow && !b.justified).toBe(true);
          expect(b.eligibleToWin).toBe(false);
        }
        const median = r.medianPrice!;
        for (const b of r.ranked) {
          const below = b.price.amount * median.den * 100n < median.num * BigInt(r.abnormallyLowPercent);
          expect(b.abnormallyLow).toBe(below);
        }
      }),
    );
  });

  test("the result does not depend on the order of bids, scores or consensus records", () => {
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.integer(), { minLength: 1, maxLength: 30 }),
        ({ setup: s, lot }, keys) => {
          const shuffled: LotInput = {
            ...lot,
            bids: shuffle(lot.bids, keys),
            scores: shuffle(lot.scores, [...keys].reverse()),
            consensus: shuffle(lot.consensus ?? [], keys),
          };
          expect(result(s, shuffled)).toEqual(result(s, lot));
        },
      ),
    );
  });

  test("lots are independent: whatever happens in another lot, a lot's result is its own", () => {
    fc.assert(
      fc.property(scenario, scenario, scenario, (a, b, b2) => {
        const lotA = a.lot;
        const lotB = { ...b.lot, lotId: "other" };
        const lotB2 = { ...b2.lot, lotId: "other" };
        const alone = evaluateLot(a.setup, lotA);
        expect(evaluateTender(a.setup, [lotA, lotB])[0]).toEqual(alone);
        expect(evaluateTender(a.setup, [lotB2, lotA])[1]).toEqual(alone);
      }),
    );
  });
});
