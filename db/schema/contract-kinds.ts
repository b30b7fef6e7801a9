/** Fixed vocabularies of contracts, without drizzle, so pages can use them (see tender-kinds.ts). */

/**
 * The states of a contract made from an approved award, after its standstill:
 *
 * - `awaiting_acceptance`: the procurement officer created it; the supplier has not accepted it yet.
 * - `accepted`: the supplier (an owner of the winning business) accepted its terms.
 * - `signed`: an agency signatory (permission contract:sign, never its creator) signed it after the
 *   supplier's acceptance; the commitment is in the ledger and implementation begins.
 */
export const CONTRACT_STATUSES = ["awaiting_acceptance", "accepted", "signed"] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/**
 * The states of a supplier's invoice against one milestone:
 * `submitted → approved → paid`, or `submitted → rejected` (with a reason).
 */
export const INVOICE_STATUSES = ["submitted", "approved", "rejected", "paid"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** At most this many milestones in one contract. */
export const MAX_MILESTONES = 40;
