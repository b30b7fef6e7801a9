import type { Money } from "#app/modules/ledger/money.ts";
import { type CriteriaProblem, criteriaProblem } from "#app/modules/tenders/tender-rules.ts";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import { type Hundredths, isValidScore, type Ratio } from "./points.ts";
import { parseReceivedAt, type Ranked, rankBids, recommendWinner, type TieRule } from "./ranking.ts";
import {
  abnormallyLowThreshold,
  type CommitteeScore,
  committeeScore,
  DEFAULT_ABNORMALLY_LOW_PERCENT,
  DEFAULT_FINANCIAL_FORMULA,
  FINANCIAL_FORMULAS,
  type FinancialFormula,
  financialScore,
  isAbnormallyLow,
  medianPrice,
  technicalScore,
  weightsOf,
} from "./scoring.ts";

/**
 * Evaluation of one lot of a tender, from the committee's records to a ranking
 * and a recommended winner. Pure: the database-backed workflow loads the rows,
 * calls `evaluateLot` (or `evaluateTender` for every lot) and stores/shows the result.
 *
 * Rules (scale and rounding in scoring.ts, tie rules in ranking.ts):
 *
 * - QUALIFIED bids are those that passed every pass/fail criterion and were not
 *   disqualified. Only they are scored and ranked. The others are listed in
 *   `excluded` with every reason and `rank: null`.
 * - Every evaluator of the committee must score every technical criterion of
 *   every qualified bid; a consensus score (with a note) replaces the mean of a
 *   criterion but does not remove the need for the independent scores.
 * - The lowest price and the median price are those of the QUALIFIED bids of the
 *   lot (an abnormally low bid is still qualified and still sets the lowest price).
 * - ABNORMALLY LOW: a qualified bid whose price is below `abnormallyLowPercent`%
 *   (default 80) of the lot's median qualified price. It keeps its scores and its
 *   rank, but it may only be recommended for award with a written justification
 *   (`lowPriceJustification`, non-blank): otherwise `eligibleToWin` is false and
 *   the recommended winner is the best-ranked bid that is eligible. (The highest
 *   price is never below the median, so a lot with qualified bids always has an
 *   eligible one.)
 * - Each lot is evaluated on its own: nothing in one lot changes another's result.
 *
 * Invalid input is never guessed at: `checkLot` lists every problem and
 * `evaluateLot` returns them instead of a result.
 */

/** What a tender's evaluation is set up with; shared by all its lots. */
export interface EvaluationSetup {
  criteria: readonly TenderCriterion[];
  /** The committee members who score (after conflict-of-interest declarations). */
  evaluatorIds: readonly string[];
  /** Default `lowest_over_price`. */
  financialFormula?: FinancialFormula;
  /** Whole percent of the median price, 1..100; default 80. */
  abnormallyLowPercent?: number;
}

/** One bid as offered for this lot. */
export interface BidInLot {
  bidId: string;
  /** The bid's price for this lot, in the lot's currency. */
  price: Money;
  /** Time of receipt, ISO 8601 with up to microseconds (the DB timestamp of the receipt). */
  receivedAt: string;
  /** The committee's decision on each pass/fail criterion, by criterion key (true = passed). */
  checks: Readonly<Record<string, boolean>>;
  /** Set (non-blank) when the committee disqualified the bid, with the reason. */
  disqualification?: string | null;
  /** The written justification accepted for an abnormally low price (non-blank), if any. */
  lowPriceJustification?: string | null;
}

/** One evaluator's score for one technical criterion of one bid (0..10000 hundredths). */
export interface EvaluatorScore {
  evaluatorId: string;
  bidId: string;
  criterionKey: string;
  score: Hundredths;
}

/** The chair's consensus score for one technical criterion of one bid, replacing the mean. */
export interface ConsensusScore {
  bidId: string;
  criterionKey: string;
  score: Hundredths;
  note: string;
}

export interface LotInput {
  lotId: string;
  /** ISO 4217; every price of the lot must be in it. */
  currency: string;
  bids: readonly BidInLot[];
  scores: readonly EvaluatorScore[];
  consensus?: readonly ConsensusScore[];
}

export type EvaluationProblem =
  | { code: "criteria_invalid"; problem: CriteriaProblem }
  | { code: "no_evaluators" }
  | { code: "duplicate_evaluator"; evaluatorId: string }
  | { code: "bad_financial_formula"; value: string }
  | { code: "bad_abnormally_low_percent"; value: number }
  | { code: "duplicate_bid"; bidId: string }
  | { code: "currency_mismatch"; bidId: string; currency: string }
  | { code: "price_not_positive"; bidId: string }
  | { code: "bad_received_at"; bidId: string; receivedAt: string }
  | { code: "blank_disqualification_reason"; bidId: string }
  | { code: "unknown_check"; bidId: string; criterionKey: string }
  | { code: "missing_check"; bidId: string; criterionKey: string }
  | { code: "unknown_bid"; bidId: string }
  | { code: "unknown_evaluator"; bidId: string; evaluatorId: string }
  | { code: "not_technical_criterion"; bidId: string; criterionKey: string }
  | {
      code: "score_out_of_range";
      bidId: string;
      criterionKey: string;
      evaluatorId: string | null;
      score: number;
    }
  | { code: "duplicate_score"; bidId: string; criterionKey: string; evaluatorId: string }
  | { code: "duplicate_consensus"; bidId: string; criterionKey: string }
  | { code: "consensus_without_note"; bidId: string; criterionKey: string }
  | { code: "missing_score"; bidId: string; criterionKey: string; evaluatorId: string };

export type ExclusionReason =
  | { kind: "failed_check"; criterionKey: string }
  | { kind: "disqualified"; reason: string };

export interface CriterionResult extends CommitteeScore {
  criterionKey: string;
  weight: number;
}

export interface ScoredBid {
  bidId: string;
  price: Money;
  receivedAt: string;
  receivedAtMicros: bigint;
  /** Committee scores of the technical criteria, in the tender's criteria order. */
  criteria: CriterionResult[];
  technical: Hundredths;
  financial: Hundredths;
  /** technical + financial, 0..10000. */
  total: Hundredths;
  abnormallyLow: boolean;
  /** A non-blank justification was given; only meaningful when `abnormallyLow`. */
  justified: boolean;
  /** False only for an abnormally low bid without a justification. */
  eligibleToWin: boolean;
}

export type RankedBid = Ranked<ScoredBid>;

export interface ExcludedBid {
  bidId: string;
  price: Money;
  receivedAt: string;
  rank: null;
  reasons: ExclusionReason[];
}

export interface LotResult {
  lotId: string;
  currency: string;
  financialFormula: FinancialFormula;
  abnormallyLowPercent: number;
  /** Lowest qualified price (minor units); null without qualified bids. */
  lowestPrice: bigint | null;
  /** Median qualified price, exact (minor units; may be x.5). */
  medianPrice: Ratio | null;
  /** Prices below this (minor units, exact) are abnormally low. */
  abnormallyLowBelow: Ratio | null;
  /** Qualified bids in rank order. */
  ranked: RankedBid[];
  /** Bids not scored, by time of receipt (then bid id). */
  excluded: ExcludedBid[];
  /** Best-ranked bid with `eligibleToWin`; null without qualified bids. */
  recommendedWinner: string | null;
}

export type LotOutcome =
  | { ok: true; lotId: string; result: LotResult }
  | { ok: false; lotId: string; problems: EvaluationProblem[] };

const isBlank = (text: string | null | undefined): boolean => !text || text.trim() === "";

/** Problems of the setup alone (criteria, committee, options). */
export function checkSetup(setup: EvaluationSetup): EvaluationProblem[] {
  const problems: EvaluationProblem[] = [];
  const criteria = criteriaProblem([...setup.criteria]);
  if (criteria) problems.push({ code: "criteria_invalid", problem: criteria });
  if (setup.criteria.some((c) => c.kind === "technical") && setup.evaluatorIds.length === 0)
    problems.push({ code: "no_evaluators" });
  const seen = new Set<string>();
  for (const evaluatorId of setup.evaluatorIds) {
    if (seen.has(evaluatorId)) problems.push({ code: "duplicate_evaluator", evaluatorId });
    seen.add(evaluatorId);
  }
  const formula = setup.financialFormula ?? DEFAULT_FINANCIAL_FORMULA;
  if (!(FINANCIAL_FORMULAS as readonly string[]).includes(formula))
    problems.push({ code: "bad_financial_formula", value: String(formula) });
  const percent = setup.abnormallyLowPercent ?? DEFAULT_ABNORMALLY_LOW_PERCENT;
  if (!Number.isSafeInteger(percent) || percent < 1 || percent > 100)
    problems.push({ code: "bad_abnormally_low_percent", value: percent });
  return problems;
}

/** Why a bid is not scored; empty when it is qualified. Pass/fail reasons in the criteria order. */
export function exclusionReasons(setup: EvaluationSetup, bid: BidInLot): ExclusionReason[] {
  const reasons: ExclusionReason[] = [];
  for (const c of setup.criteria)
    if (c.kind === "pass_fail" && bid.checks[c.key] === false)
      reasons.push({ kind: "failed_check", criterionKey: c.key });
  if (bid.disqualification != null) reasons.push({ kind: "disqualified", reason: bid.disqualification });
  return reasons;
}

/** Every problem that stops the lot from being evaluated (including the setup's); empty when it can be. */
export function checkLot(setup: EvaluationSetup, lot: LotInput): EvaluationProblem[] {
  const problems = checkSetup(setup);
  const technicalKeys = new Set(setup.criteria.filter((c) => c.kind === "technical").map((c) => c.key));
  const passFailKeys = setup.criteria.filter((c) => c.kind === "pass_fail").map((c) => c.key);
  const evaluators = new Set(setup.evaluatorIds);
  const bids = new Map<string, BidInLot>();

  for (const bid of lot.bids) {
    const bidId = bid.bidId;
    if (bids.has(bidId)) problems.push({ code: "duplicate_bid", bidId });
    bids.set(bidId, bid);
    if (bid.price.currency !== lot.currency)
      problems.push({ code: "currency_mismatch", bidId, currency: bid.price.currency });
    if (bid.price.amount <= 0n) problems.push({ code: "price_not_positive", bidId });
    if (parseReceivedAt(bid.receivedAt) === null)
      problems.push({ code: "bad_received_at", bidId, receivedAt: bid.receivedAt });
    if (bid.disqualification != null && isBlank(bid.disqualification))
      problems.push({ code: "blank_disqualification_reason", bidId });
    for (const criterionKey of Object.keys(bid.checks))
      if (!passFailKeys.includes(criterionKey)) problems.push({ code: "unknown_check", bidId, criterionKey });
    if (exclusionReasons(setup, bid).length === 0)
      for (const criterionKey of passFailKeys)
        if (typeof bid.checks[criterionKey] !== "boolean")
          problems.push({ code: "missing_check", bidId, criterionKey });
  }

  const scored = new Set<string>();
  for (const { evaluatorId, bidId, criterionKey, score } of lot.scores) {
    if (!bids.has(bidId)) problems.push({ code: "unknown_bid", bidId });
    if (!evaluators.has(evaluatorId)) problems.push({ code: "unknown_evaluator", bidId, evaluatorId });
    if (!technicalKeys.has(criterionKey))
      problems.push({ code: "not_technical_criterion", bidId, criterionKey });
    if (!isValidScore(score))
      problems.push({ code: "score_out_of_range", bidId, criterionKey, evaluatorId, score });
    const key = JSON.stringify([bidId, criterionKey, evaluatorId]);
    if (scored.has(key)) problems.push({ code: "duplicate_score", bidId, criterionKey, evaluatorId });
    scored.add(key);
  }

  const agreed = new Set<string>();
  for (const { bidId, criterionKey, score, note } of lot.consensus ?? []) {
    if (!bids.has(bidId)) problems.push({ code: "unknown_bid", bidId });
    if (!technicalKeys.has(criterionKey))
      problems.push({ code: "not_technical_criterion", bidId, criterionKey });
    if (!isValidScore(score))
      problems.push({ code: "score_out_of_range", bidId, criterionKey, evaluatorId: null, score });
    if (isBlank(note)) problems.push({ code: "consensus_without_note", bidId, criterionKey });
    const key = JSON.stringify([bidId, criterionKey]);
    if (agreed.has(key)) problems.push({ code: "duplicate_consensus", bidId, criterionKey });
    agreed.add(key);
  }

  for (const missing of missingScores(setup, lot)) problems.push({ code: "missing_score", ...missing });
  return problems;
}

/**
 * The scores still to be given: for each qualified bid (or bid whose checks are not all decided
 * yet), each technical criterion and each evaluator, in that order. Optionally for one evaluator only.
 */
export function missingScores(
  setup: EvaluationSetup,
  lot: LotInput,
  evaluatorId?: string,
): Array<{ bidId: string; criterionKey: string; evaluatorId: string }> {
  const given = new Set(lot.scores.map((s) => JSON.stringify([s.bidId, s.criterionKey, s.evaluatorId])));
  const evaluators = evaluatorId === undefined ? setup.evaluatorIds : [evaluatorId];
  const missing: Array<{ bidId: string; criterionKey: string; evaluatorId: string }> = [];
  const seenBids = new Set<string>();
  for (const bid of lot.bids) {
    if (seenBids.has(bid.bidId) || exclusionReasons(setup, bid).length > 0) continue;
    seenBids.add(bid.bidId);
    for (const c of setup.criteria) {
      if (c.kind !== "technical") continue;
      for (const e of evaluators)
        if (!given.has(JSON.stringify([bid.bidId, c.key, e])))
          missing.push({ bidId: bid.bidId, criterionKey: c.key, evaluatorId: e });
    }
  }
  return missing;
}

/** Score, rank and recommend a winner for one lot, or say why it cannot be done yet. */
export function evaluateLot(setup: EvaluationSetup, lot: LotInput): LotOutcome {
  const problems = checkLot(setup, lot);
  if (problems.length > 0) return { ok: false, lotId: lot.lotId, problems };

  const formula = setup.financialFormula ?? DEFAULT_FINANCIAL_FORMULA;
  const percent = setup.abnormallyLowPercent ?? DEFAULT_ABNORMALLY_LOW_PERCENT;
  const { financial: financialWeight } = weightsOf(setup.criteria);
  const technicalCriteria = setup.criteria.filter((c) => c.kind === "technical");

  const qualified: BidInLot[] = [];
  const excluded: Array<ExcludedBid & { micros: bigint }> = [];
  for (const bid of lot.bids) {
    const reasons = exclusionReasons(setup, bid);
    if (reasons.length === 0) qualified.push(bid);
    else
      excluded.push({
        bidId: bid.bidId,
        price: bid.price,
        receivedAt: bid.receivedAt,
        rank: null,
        reasons,
        micros: parseReceivedAt(bid.receivedAt)!,
      });
  }
  excluded.sort((a, b) =>
    a.micros !== b.micros
      ? a.micros < b.micros
        ? -1
        : 1
      : a.bidId < b.bidId
        ? -1
        : a.bidId > b.bidId
          ? 1
          : 0,
  );

  const prices = qualified.map((b) => b.price.amount);
  let lowestPrice: bigint | null = null;
  for (const p of prices) if (lowestPrice === null || p < lowestPrice) lowestPrice = p;
  const median = medianPrice(prices);

  const scoresOf = new Map<string, Hundredths[]>();
  for (const s of lot.scores) {
    const key = JSON.stringify([s.bidId, s.criterionKey]);
    scoresOf.set(key, [...(scoresOf.get(key) ?? []), s.score]);
  }
  const consensusOf = new Map(
    (lot.consensus ?? []).map((c) => [JSON.stringify([c.bidId, c.criterionKey]), c]),
  );

  const scored: ScoredBid[] = qualified.map((bid) => {
    const criteria: CriterionResult[] = technicalCriteria.map((c) => {
      const key = JSON.stringify([bid.bidId, c.key]);
      const consensus = consensusOf.get(key);
      return {
        criterionKey: c.key,
        weight: c.weight,
        ...committeeScore(scoresOf.get(key)!, consensus && { score: consensus.score, note: consensus.note }),
      };
    });
    const technical = technicalScore(criteria);
    const financial = financialScore({
      price: bid.price.amount,
      lowestPrice: lowestPrice!,
      weight: financialWeight,
      formula,
    });
    const abnormallyLow = isAbnormallyLow(bid.price.amount, median!, percent);
    const justified = !isBlank(bid.lowPriceJustification);
    return {
      bidId: bid.bidId,
      price: bid.price,
      receivedAt: bid.receivedAt,
      receivedAtMicros: parseReceivedAt(bid.receivedAt)!,
      criteria,
      technical,
      financial,
      total: technical + financial,
      abnormallyLow,
      justified,
      eligibleToWin: !abnormallyLow || justified,
    };
  });

  const ranked = rankBids(scored.map((b) => ({ ...b, price: b.price.amount, money: b.price }))).map(
    ({ money, ...b }): RankedBid => ({ ...b, price: money }),
  );

  return {
    ok: true,
    lotId: lot.lotId,
    result: {
      lotId: lot.lotId,
      currency: lot.currency,
      financialFormula: formula,
      abnormallyLowPercent: percent,
      lowestPrice,
      medianPrice: median,
      abnormallyLowBelow: median && abnormallyLowThreshold(median, percent),
      ranked,
      excluded: excluded.map(({ micros: _, ...b }) => b),
      recommendedWinner: recommendWinner(ranked),
    },
  };
}

/** Every lot of a tender, each evaluated on its own (a problem in one lot leaves the others' results). */
export function evaluateTender(setup: EvaluationSetup, lots: readonly LotInput[]): LotOutcome[] {
  return lots.map((lot) => evaluateLot(setup, lot));
}

export type { TieRule };
