import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import { type Hundredths, MAX_SCORE, type Ratio, ratio, ratioLessThan, roundHalfUp } from "./points.ts";

/**
 * The scoring formulas of a bid evaluation, as pure functions on exact numbers.
 * (evaluate-lot.ts puts them together for one lot; ranking.ts orders the result.)
 *
 * Scale and rounding, all in hundredths of a point (points.ts):
 *
 * - An evaluator scores each TECHNICAL criterion from 0.00 to 100.00 (0..10000
 *   hundredths), independently of the other evaluators.
 * - The committee's score for a criterion is the mean of its evaluators' scores,
 *   rounded half up to hundredths (ROUNDING 1), unless the chair records a
 *   consensus score (with a note), which replaces the mean for that criterion.
 * - Technical score = Σ over technical criteria of committee score / 100 × weight,
 *   computed exactly from the committee scores and rounded half up to hundredths
 *   once (ROUNDING 2). Anyone can recompute it from the published committee scores.
 * - Financial score = formula(lowest qualified price, this price) × financial
 *   weight, computed exactly on the bigint prices and rounded half up to
 *   hundredths once (ROUNDING 3). The financial weight is the sum of the weights
 *   of the tender's financial criteria; they all apply to the bid's price.
 * - Total = technical + financial (no further rounding): 0..10000.
 *
 * Pass/fail criteria have no weight: a bid that fails one is not scored at all.
 */

/** The weights of a tender's scored criteria, in whole points (they add up to 100). */
export function weightsOf(criteria: readonly TenderCriterion[]): { technical: number; financial: number } {
  let technical = 0;
  let financial = 0;
  for (const c of criteria) {
    if (c.kind === "technical") technical += c.weight;
    if (c.kind === "financial") financial += c.weight;
  }
  return { technical, financial };
}

/** The mean of evaluators' scores, rounded half up to hundredths (ROUNDING 1). */
export function meanScore(scores: readonly Hundredths[]): Hundredths {
  if (scores.length === 0) throw new RangeError("the mean of no scores is undefined");
  let sum = 0n;
  for (const s of scores) {
    if (!Number.isSafeInteger(s) || s < 0 || s > MAX_SCORE) throw new RangeError(`not a score: ${s}`);
    sum += BigInt(s);
  }
  return Number(roundHalfUp(sum, BigInt(scores.length)));
}

/** A score the chair records for the committee, replacing the mean; the note says why. */
export interface Consensus {
  score: Hundredths;
  note: string;
}

export interface CommitteeScore {
  /** What counts: the consensus score when there is one, else the mean. */
  score: Hundredths;
  source: "mean" | "consensus";
  /** The rounded mean of the evaluators' scores, kept for the record even when replaced. */
  mean: Hundredths;
  consensus: Consensus | null;
}

/** The committee's score for one criterion of one bid. */
export function committeeScore(
  evaluatorScores: readonly Hundredths[],
  consensus?: Consensus | null,
): CommitteeScore {
  const mean = meanScore(evaluatorScores);
  if (consensus) {
    if (!Number.isSafeInteger(consensus.score) || consensus.score < 0 || consensus.score > MAX_SCORE)
      throw new RangeError(`not a score: ${consensus.score}`);
    return { score: consensus.score, source: "consensus", mean, consensus };
  }
  return { score: mean, source: "mean", mean, consensus: null };
}

/**
 * Technical score: Σ committee score / 100 × weight, rounded half up once (ROUNDING 2).
 * With scores in hundredths, Σ score × weight is in ten-thousandths of a point.
 */
export function technicalScore(parts: ReadonlyArray<{ score: Hundredths; weight: number }>): Hundredths {
  let sum = 0n;
  for (const { score, weight } of parts) {
    if (!Number.isSafeInteger(score) || score < 0 || score > MAX_SCORE)
      throw new RangeError(`not a score: ${score}`);
    if (!Number.isSafeInteger(weight) || weight < 0) throw new RangeError(`not a weight: ${weight}`);
    sum += BigInt(score) * BigInt(weight);
  }
  return Number(roundHalfUp(sum, 100n));
}

/**
 * How a price becomes a share of the financial weight (L = lowest qualified price, p = this price):
 * - `lowest_over_price` (default): L / p. The lowest price gets the full weight, twice it gets half.
 * - `linear_from_lowest`: max(0, 1 − (p − L) / L). Loses the weight in proportion to the excess
 *   over the lowest price; a price of twice the lowest or more gets 0.
 */
export const FINANCIAL_FORMULAS = ["lowest_over_price", "linear_from_lowest"] as const;
export type FinancialFormula = (typeof FINANCIAL_FORMULAS)[number];
export const DEFAULT_FINANCIAL_FORMULA: FinancialFormula = "lowest_over_price";

/**
 * Financial score in hundredths, exact on bigint minor units and rounded half up once (ROUNDING 3).
 * `weight` is the financial weight in whole points; `price` and `lowestPrice` are minor units of the
 * same currency, with 0 < lowestPrice ≤ price.
 */
export function financialScore(input: {
  price: bigint;
  lowestPrice: bigint;
  weight: number;
  formula?: FinancialFormula;
}): Hundredths {
  const { price, lowestPrice, weight, formula = DEFAULT_FINANCIAL_FORMULA } = input;
  if (lowestPrice <= 0n) throw new RangeError("prices must be positive");
  if (price < lowestPrice) throw new RangeError("a price cannot be below the lowest price");
  if (!Number.isSafeInteger(weight) || weight < 0) throw new RangeError(`not a weight: ${weight}`);
  const full = BigInt(weight) * 100n; // the weight in hundredths
  switch (formula) {
    case "lowest_over_price":
      return Number(roundHalfUp(lowestPrice * full, price));
    case "linear_from_lowest": {
      const remaining = 2n * lowestPrice - price;
      return remaining <= 0n ? 0 : Number(roundHalfUp(remaining * full, lowestPrice));
    }
    default:
      throw new RangeError(`unknown financial formula: ${formula satisfies never}`);
  }
}

/** The median of prices, exact: the middle one, or the mean of the two middle ones (maybe x.5 minor units). */
export function medianPrice(prices: readonly bigint[]): Ratio | null {
  if (prices.length === 0) return null;
  const sorted = [...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? ratio(sorted[mid]!, 1n) : ratio(sorted[mid - 1]! + sorted[mid]!, 2n);
}

/** A bid is abnormally low below this percentage of the lot's median qualified price. */
export const DEFAULT_ABNORMALLY_LOW_PERCENT = 80;

/** The price below which a bid is abnormally low: percent% of the median, exact (minor units). */
export const abnormallyLowThreshold = (median: Ratio, percent: number): Ratio =>
  ratio(median.num * BigInt(percent), median.den * 100n);

/** price < percent% × median, exactly (a price equal to the threshold is not abnormally low). */
export function isAbnormallyLow(
  price: bigint,
  median: Ratio,
  percent: number = DEFAULT_ABNORMALLY_LOW_PERCENT,
): boolean {
  if (!Number.isSafeInteger(percent) || percent < 1 || percent > 100)
    throw new RangeError(`not a percentage from 1 to 100: ${percent}`);
  return ratioLessThan(ratio(price, 1n), abnormallyLowThreshold(median, percent));
}
