/**
 * The fixed vocabularies of payments, in a file of their own (no drizzle
 * import) so pages can offer them in forms without bundling the schema.
 */
export const FEE_TYPES = [
  "tender_document",
  "bid_submission",
  "bid_security",
  "permit",
  "complaint",
] as const;
export type FeeType = (typeof FEE_TYPES)[number];

export const REFUND_REASONS = ["tender_cancelled", "complaint_upheld", "duplicate_payment", "other"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
