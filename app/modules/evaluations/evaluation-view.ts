import type { TFunction } from "i18next";
import { moneyText } from "#app/modules/payments/money-view.ts";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import type { ExclusionReason, LotResult } from "./evaluate-lot.ts";
import { AUTO_REASONS, type Jsonified } from "./evaluation-snapshot.ts";
import { formatPoints } from "./points.ts";

/**
 * An evaluation result as table rows in the reader's language (plain strings
 * for loader data): ranked bids with their scores and flags, excluded bids
 * with their reasons.
 */

export interface BidderName {
  bidId: string;
  nameAr: string;
  nameEn: string;
}

export interface ResultRow {
  bidId: string;
  rank: number;
  bidder: string;
  price: string;
  technical: string;
  financial: string;
  total: string;
  criteria: Array<{ key: string; score: string; consensus: boolean }>;
  abnormallyLow: boolean;
  justified: boolean;
  eligibleToWin: boolean;
  decidedBy: string | null;
}

export interface ExcludedRow {
  bidId: string;
  bidder: string;
  price: string;
  reasons: string[];
}

/** Keep a left-to-right value (a time, an amount) whole inside a sentence of either direction. */
export const ltr = (text: string): string => (text ? `\u2066${text}\u2069` : text);

const nameOf = (bidders: readonly BidderName[], bidId: string, lang: string) => {
  const b = bidders.find((x) => x.bidId === bidId);
  return b ? (lang === "ar" ? b.nameAr : b.nameEn) : bidId;
};

export const criterionName = (criteria: readonly TenderCriterion[], key: string, lang: string): string => {
  const c = criteria.find((x) => x.key === key);
  return c ? (lang === "ar" ? c.nameAr : c.nameEn) : key;
};

/** Why a bid was excluded, in words. */
export function reasonText(
  reason: Jsonified<ExclusionReason>,
  criteria: readonly TenderCriterion[],
  t: TFunction,
  lang: string,
): string {
  if (reason.kind === "failed_check")
    return t("evaluation.failedCheck", { name: criterionName(criteria, reason.criterionKey, lang) });
  if ((AUTO_REASONS as readonly string[]).includes(reason.reason))
    return t(`evaluation.auto.${reason.reason.slice(5) as "permit_not_valid"}`);
  return reason.reason;
}

/** Disqualification text (a person's reason, or an automatic one) in words. */
export function disqualificationText(reason: string, t: TFunction): string {
  return (AUTO_REASONS as readonly string[]).includes(reason)
    ? t(`evaluation.auto.${reason.slice(5) as "permit_not_valid"}`)
    : reason;
}

export function resultRows(
  result: Jsonified<LotResult>,
  bidders: readonly BidderName[],
  lang: string,
): {
  ranked: ResultRow[];
  excluded: Array<Omit<ExcludedRow, "reasons"> & { reasons: Jsonified<ExclusionReason>[] }>;
} {
  return {
    ranked: result.ranked.map((b) => ({
      bidId: b.bidId,
      rank: b.rank,
      bidder: nameOf(bidders, b.bidId, lang),
      price: moneyText(BigInt(b.price.amount), b.price.currency, lang),
      technical: formatPoints(b.technical),
      financial: formatPoints(b.financial),
      total: formatPoints(b.total),
      criteria: b.criteria.map((c) => ({
        key: c.criterionKey,
        score: formatPoints(c.score),
        consensus: c.source === "consensus",
      })),
      abnormallyLow: b.abnormallyLow,
      justified: b.justified,
      eligibleToWin: b.eligibleToWin,
      decidedBy: b.decidedBy,
    })),
    excluded: result.excluded.map((b) => ({
      bidId: b.bidId,
      bidder: nameOf(bidders, b.bidId, lang),
      price: moneyText(BigInt(b.price.amount), b.price.currency, lang),
      reasons: b.reasons,
    })),
  };
}
