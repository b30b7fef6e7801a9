import type { TenderBasicsValues } from "#app/components/tender-basics-fields.tsx";
import { formatMoney, toDecimalString } from "#app/modules/ledger/money.ts";
import { formatInZone, instantToZoned } from "#app/utils/time-zones.ts";
import type { Tender } from "#db/schema/tenders.ts";
import { tenderPhase } from "./tender-rules.ts";

/** How tenders cross from loaders to pages: strings only, money and times already formatted. */

const decimal = (amount: bigint | null, currency: string) =>
  amount === null || amount === 0n ? "" : toDecimalString({ amount, currency });

/** A tender's basics as the values of its form (amounts as decimals, deadlines in the agency's zone). */
export function basicsValuesOf(t: Tender): TenderBasicsValues {
  const when = (d: Date | null) => (d ? instantToZoned(d, t.timeZone) : "");
  return {
    titleAr: t.titleAr,
    titleEn: t.titleEn,
    descriptionAr: t.descriptionAr,
    descriptionEn: t.descriptionEn,
    method: t.method,
    category: t.category,
    cpvCodes: t.cpvCodes.join(", "),
    estimatedValue: decimal(t.estimatedValue, t.currency),
    documentFee: decimal(t.documentFee, t.currency),
    submissionFee: decimal(t.submissionFee, t.currency),
    bidSecurity: decimal(t.bidSecurity, t.currency),
    requireVerified: t.requireVerified,
    requiredPermitType: t.requiredPermitType ?? "",
    requiresApproval: t.requiresApproval,
    enquiryDeadline: when(t.enquiryDeadline),
    submissionDeadline: when(t.submissionDeadline),
    openingAt: when(t.openingAt),
  };
}

/** The summary of a tender shown in lists and headers. */
export function tenderSummary(t: Tender, lang: string, now: Date) {
  const money = (amount: bigint | null) =>
    amount === null || amount === 0n
      ? null
      : formatMoney({ amount, currency: t.currency }, lang === "ar" ? "ar" : "en");
  const when = (d: Date | null) => (d ? formatInZone(d, t.timeZone) : null);
  return {
    id: t.id,
    reference: t.reference,
    title: lang === "ar" ? t.titleAr : t.titleEn,
    description: lang === "ar" ? t.descriptionAr : t.descriptionEn,
    phase: tenderPhase(t, now),
    method: t.method,
    category: t.category,
    cpvCodes: t.cpvCodes,
    currency: t.currency,
    estimatedValue: money(t.estimatedValue),
    documentFee: money(t.documentFee),
    submissionFee: money(t.submissionFee),
    bidSecurity: money(t.bidSecurity),
    requireVerified: t.requireVerified,
    requiredPermitType: t.requiredPermitType,
    timeZone: t.timeZone,
    enquiryDeadline: when(t.enquiryDeadline),
    submissionDeadline: when(t.submissionDeadline),
    openingAt: when(t.openingAt),
    criteria: t.criteria.map((c) => ({
      key: c.key,
      name: lang === "ar" ? c.nameAr : c.nameEn,
      kind: c.kind,
      weight: c.weight,
    })),
  };
}

export type TenderSummary = ReturnType<typeof tenderSummary>;

/** Amendments for a page: dates formatted in the tender's zone. */
export function amendmentsView(
  rows: Array<{
    id: string;
    number: number;
    kind: "amendment" | "extension";
    reason: string;
    createdAt: Date;
    deadlineMovedByRule: boolean;
    changes: Array<{ field: string; before: string; after: string }>;
  }>,
  timeZone: string,
) {
  return rows.map((a) => ({
    id: a.id,
    number: a.number,
    kind: a.kind,
    reason: a.reason,
    at: formatInZone(a.createdAt, timeZone),
    movedByRule: a.deadlineMovedByRule,
    changes: a.changes,
  }));
}
