/** Fixed vocabularies of complaints, without drizzle, so pages can use them (see tender-kinds.ts). */

/**
 * The states of a complaint about the award of one lot (decision 017).
 *
 * - `awaiting_fee`: written, but not yet lodged: the agency's complaint fee is unpaid.
 * - `lodged`:       lodged during the standstill (fee paid, or none charged); the award is
 *                   suspended and a review officer of the agency decides.
 * - `upheld`, `rejected`, `resolved`, `declined`: the review officer's decision, in writing.
 */
export const COMPLAINT_STATUSES = [
  "awaiting_fee",
  "lodged",
  "upheld",
  "rejected",
  "resolved",
  "declined",
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_DECISIONS = ["upheld", "rejected", "resolved", "declined"] as const;
export type ComplaintDecision = (typeof COMPLAINT_DECISIONS)[number];

/** A complaint in these states keeps the bidder from writing another about the same award. */
export const OPEN_COMPLAINT_STATUSES = ["awaiting_fee", "lodged"] as const;

export const MIN_GROUNDS_LENGTH = 40;
export const MAX_GROUNDS_LENGTH = 20_000;
export const MIN_DECISION_LENGTH = 20;
export const MAX_COMPLAINT_DOCUMENTS = 5;
