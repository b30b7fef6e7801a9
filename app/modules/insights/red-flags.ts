/**
 * Red flags: patterns in awarded tenders that deserve a second look. None of
 * them proves wrongdoing; each comes with a plain explanation of what was seen
 * and why it matters (the texts are `insights.flags.<kind>` in the locales).
 * The thresholds are the usual ones in open-contracting analyses (OCP's
 * "Red flags for integrity"), kept here in one place.
 */

export const RED_FLAG_KINDS = [
  "single_bidder",
  "short_tender_period",
  "new_supplier",
  "repeat_winner",
  "far_from_estimate",
] as const;
export type RedFlagKind = (typeof RED_FLAG_KINDS)[number];

export const THRESHOLDS = {
  /** Days between publication and the submission deadline below which the period is short. */
  shortTenderPeriodDays: 15,
  /** A winner registered on the platform this many days or fewer before the tender's publication. */
  newSupplierDays: 30,
  /** Awards to the same business by the same agency within a year, from which it is a pattern. */
  repeatWins: 3,
  repeatWindowDays: 365,
  /** An award this far from the estimate, either way (percent). */
  estimateDeviationPercent: 30,
} as const;

/** What is known about one public award, as the red-flag rules need it. */
export interface AwardFacts {
  /** Submitted bids on the tender at its opening. */
  bidCount: number;
  publishedAt: Date;
  submissionDeadline: Date;
  winnerRegisteredAt: Date;
  /** Awards to the same winner by the same agency in the year up to this one, this one included. */
  winsAtAgencyInWindow: number;
  /** Minor units; null when the lot (or single-lot tender) has no estimate. */
  price: bigint;
  estimate: bigint | null;
}

export interface RedFlag {
  kind: RedFlagKind;
  /** Values for the explanation, as strings. */
  params: Record<string, string>;
}

const DAY_MS = 86_400_000;

/** The award price as a whole percentage of the estimate (half up), or null without an estimate. */
export function percentOfEstimate(price: bigint, estimate: bigint | null): number | null {
  if (estimate === null || estimate <= 0n) return null;
  return Number((price * 200n + estimate) / (2n * estimate));
}

export function redFlagsOf(facts: AwardFacts): RedFlag[] {
  const flags: RedFlag[] = [];
  if (facts.bidCount === 1) flags.push({ kind: "single_bidder", params: {} });
  const periodDays = Math.floor((facts.submissionDeadline.getTime() - facts.publishedAt.getTime()) / DAY_MS);
  if (periodDays < THRESHOLDS.shortTenderPeriodDays)
    flags.push({
      kind: "short_tender_period",
      params: { days: String(Math.max(0, periodDays)), threshold: String(THRESHOLDS.shortTenderPeriodDays) },
    });
  const registeredDaysBefore = Math.floor(
    (facts.publishedAt.getTime() - facts.winnerRegisteredAt.getTime()) / DAY_MS,
  );
  if (registeredDaysBefore <= THRESHOLDS.newSupplierDays)
    flags.push({ kind: "new_supplier", params: { days: String(Math.max(0, registeredDaysBefore)) } });
  if (facts.winsAtAgencyInWindow >= THRESHOLDS.repeatWins)
    flags.push({ kind: "repeat_winner", params: { count: String(facts.winsAtAgencyInWindow) } });
  const percent = percentOfEstimate(facts.price, facts.estimate);
  if (percent !== null && Math.abs(percent - 100) >= THRESHOLDS.estimateDeviationPercent)
    flags.push({ kind: "far_from_estimate", params: { percent: String(percent) } });
  return flags;
}
