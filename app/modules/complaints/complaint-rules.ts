import { AppError } from "#app/utils/errors.ts";
import {
  COMPLAINT_DECISIONS,
  type ComplaintDecision,
  MAX_GROUNDS_LENGTH,
  MIN_DECISION_LENGTH,
  MIN_GROUNDS_LENGTH,
} from "#db/schema/complaint-kinds.ts";

/**
 * The pure rules of complaints (decision 017): what grounds and a decision
 * must say, and what each outcome does to the award and the fee.
 */

/** The grounds as stored: trimmed, at least MIN_GROUNDS_LENGTH characters, at most MAX_GROUNDS_LENGTH. */
export function groundsOf(text: unknown): string {
  const grounds = typeof text === "string" ? text.trim() : "";
  if ([...grounds].length < MIN_GROUNDS_LENGTH)
    throw new AppError("COMPLAINT_GROUNDS_TOO_SHORT", { min: MIN_GROUNDS_LENGTH }, { field: "grounds" });
  if (grounds.length > MAX_GROUNDS_LENGTH) throw new AppError("VALIDATION", {}, { field: "grounds" });
  return grounds;
}

/** The written decision as stored: trimmed, at least MIN_DECISION_LENGTH characters. */
export function decisionTextOf(text: unknown): string {
  const decision = typeof text === "string" ? text.trim() : "";
  if ([...decision].length < MIN_DECISION_LENGTH)
    throw new AppError("COMPLAINT_DECISION_REQUIRED", { min: MIN_DECISION_LENGTH }, { field: "decision" });
  if (decision.length > MAX_GROUNDS_LENGTH) throw new AppError("VALIDATION", {}, { field: "decision" });
  return decision;
}

export function outcomeOf(value: unknown): ComplaintDecision {
  if (!COMPLAINT_DECISIONS.includes(value as ComplaintDecision))
    throw new AppError("VALIDATION", {}, { field: "outcome" });
  return value as ComplaintDecision;
}

export interface DecisionEffects {
  /** The complaint fee goes back to the complainant (reason complaint_upheld). */
  refundFee: boolean;
  /** The award is cancelled: the lot goes back to the officer to recommend again. */
  cancelAward: boolean;
}

/**
 * What a decision does. Only an upheld complaint refunds its fee, and only an
 * upheld one may send the lot back (cancel the award). Any other decision —
 * and an upheld one that does not send the lot back — lets the award resume
 * once no other complaint about it is still lodged.
 */
export function effectsOf(outcome: ComplaintDecision, sendBack: boolean): DecisionEffects {
  if (sendBack && outcome !== "upheld") throw new AppError("VALIDATION", {}, { field: "sendBack" });
  return { refundFee: outcome === "upheld", cancelAward: outcome === "upheld" && sendBack };
}

/**
 * The standstill end after a suspension: moved on by the time the award was
 * suspended, so the bidders keep the days of standstill they had left.
 */
export function resumedStandstillEnd(standstillEndsAt: Date, suspendedAt: Date, resumedAt: Date): Date {
  const suspendedFor = Math.max(0, resumedAt.getTime() - suspendedAt.getTime());
  return new Date(standstillEndsAt.getTime() + suspendedFor);
}
