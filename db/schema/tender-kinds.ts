/** Fixed vocabularies of tenders, without drizzle, so forms can offer them (see payment-kinds.ts). */
export const TENDER_METHODS = ["open", "restricted", "rfq"] as const;
export const TENDER_CATEGORIES = ["goods", "works", "services"] as const;
export const TENDER_STATUSES = ["draft", "awaiting_approval", "published", "opened", "cancelled"] as const;
export const CRITERION_KINDS = ["pass_fail", "technical", "financial"] as const;

/** One evaluation criterion; technical and financial weights add up to 100. */
export interface TenderCriterion {
  key: string;
  nameAr: string;
  nameEn: string;
  kind: (typeof CRITERION_KINDS)[number];
  /** 0 for pass/fail. */
  weight: number;
}
