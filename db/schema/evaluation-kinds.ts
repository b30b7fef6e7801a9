/** Fixed vocabularies of evaluations and awards, without drizzle, so pages can use them (see tender-kinds.ts). */

export const EVALUATION_STATUSES = ["in_progress", "closed"] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

/** A committee member is active, removed by a declared conflict of interest, or removed by the officer. */
export const MEMBER_STATUSES = ["active", "conflicted", "removed"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * The states of an award of one lot.
 *
 * - `recommended`: the procurement officer recommends a bid; an approver decides.
 * - `sent_back`:   an approver returned it with a reason; the officer may recommend again (a new row).
 * - `approved`:    approved by an approver who is not the recommender; the award notice is public
 *                  and the standstill period runs until `standstill_ends_at` (after it, the award is
 *                  final — a phase read from the clock, not a state).
 *
 * - `suspended`:   a complaint was lodged during the standstill (decision 017); it may only go back
 *                  to `approved` (the complaint rejected, resolved or declined; the standstill end
 *                  moves on by the time suspended) or to `cancelled` — never into a contract. The
 *                  trigger awards_suspension_rules says so in the database.
 * - `cancelled`:   inactive: the lot or tender was cancelled, or an upheld complaint sent the lot
 *                  back (the officer may recommend again from the stored result), with a reason.
 *
 * - `contracted`:  the contract was made from it after the standstill (decision 020); it never
 *                  changes again (trigger awards_contracted_rules): its contract carries on.
 *
 * Every state except the INACTIVE ones counts as the lot's one outcome: the database allows at most one award per lot in such a state
 * (index `awards_one_outcome_per_lot`), so a new state is covered by default. A new INACTIVE state
 * must be added to that index's predicate too.
 */
export const AWARD_STATUSES = [
  "recommended",
  "sent_back",
  "approved",
  "suspended",
  "cancelled",
  "contracted",
] as const;
export type AwardStatus = (typeof AWARD_STATUSES)[number];
export const INACTIVE_AWARD_STATUSES = ["sent_back", "cancelled"] as const;

export const DEFAULT_STANDSTILL_DAYS = 10;
export const MAX_STANDSTILL_DAYS = 60;
export const DEFAULT_CORRECTION_HOURS = 24;
export const MAX_CORRECTION_HOURS = 240;
