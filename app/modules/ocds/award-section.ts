import type { OcdsAward, OcdsParty } from "./ocds-types.ts";
import type { ProcessAward, TenderProcess, TenderStateAt } from "./tender-process.ts";
import type { OcdsContext } from "./tender-releases.ts";
import { countryName, isoDate, ocdsValue } from "./values.ts";

/**
 * The awards section as the public saw it at a moment: every award whose
 * notice was published by then, with its status then —
 * - `active` from the notice (the approval), and again once reinstated;
 * - `pending` while a complaint suspends it ("proposed, but not yet in
 *   force" in the awardStatus codelist);
 * - `cancelled` once cancelled (with the tender or its lot, or sent back
 *   after a review).
 * The description says which, in words of our own: never a complaint's
 * grounds or decision, never who complained. Only the winner's price is here.
 */

export type AwardStatusAt = { status: OcdsAward["status"]; description: string };

const inPeriod = (t: number, s: ProcessAward["suspensions"][number]) =>
  s.startedAt.getTime() <= t && (s.reinstatedAt === null || t < s.reinstatedAt.getTime());

/** The award's status at the state's moment, and what it means in words. */
export function awardStatusAt(p: TenderProcess, award: ProcessAward, s: TenderStateAt): AwardStatusAt {
  const t = s.at.getTime();
  if (award.cancelledAt && award.cancelledAt.getTime() <= t) {
    const at = award.cancelledAt.getTime();
    const lot = p.lots.find((l) => l.id === award.lotId);
    if (p.cancellation?.at.getTime() === at)
      return { status: "cancelled", description: "Cancelled with the tender." };
    if (lot?.cancellation?.at.getTime() === at)
      return { status: "cancelled", description: "Cancelled with the lot." };
    return {
      status: "cancelled",
      description: "Cancelled after a review of the award; the lot may be awarded again.",
    };
  }
  if (award.suspensions.some((x) => inPeriod(t, x)))
    return { status: "pending", description: "Suspended while a complaint about the award is reviewed." };
  if (award.suspensions.some((x) => x.reinstatedAt && x.reinstatedAt.getTime() <= t))
    return { status: "active", description: "Reinstated after the review of a complaint: the award stands." };
  return { status: "active", description: "Award notice published." };
}

function lotTitle(p: TenderProcess, lotId: string): { en: string; ar: string } {
  const lot = p.lots.find((l) => l.id === lotId);
  if (!lot) return { en: p.tender.titleEn, ar: p.tender.titleAr };
  return { en: `Lot ${lot.number}: ${lot.titleEn}`, ar: `المجموعة ${lot.number}: ${lot.titleAr}` };
}

/** The awards published by the state's moment, oldest notice first; undefined before the first. */
export function awardsSection(p: TenderProcess, s: TenderStateAt, ctx: OcdsContext): OcdsAward[] | undefined {
  const t = s.at.getTime();
  const published = p.awards
    .filter((a) => a.noticePublishedAt.getTime() <= t)
    .sort((a, b) => a.noticePublishedAt.getTime() - b.noticePublishedAt.getTime() || (a.id < b.id ? -1 : 1));
  if (published.length === 0) return undefined;
  return published.map((a) => {
    const title = lotTitle(p, a.lotId);
    return {
      id: a.id,
      title: title.en,
      title_ar: title.ar,
      ...awardStatusAt(p, a, s),
      date: isoDate(a.decidedAt),
      value: ocdsValue(a.price, a.currency),
      suppliers: [{ id: a.supplier.id, name: a.supplier.nameEn }],
      documents: [
        {
          id: "award-notice",
          documentType: "awardNotice",
          title: "Award notice",
          description: "The award and where it stands, on the public page of the tender on Shafaf.",
          url: `${ctx.baseUrl}/tenders/${p.tender.id}`,
          datePublished: isoDate(a.noticePublishedAt),
          format: "text/html",
        },
      ],
      relatedLots: [a.lotId],
    };
  });
}

/** The suppliers of the awards published by the state's moment, as parties (roles merged by the caller). */
export function supplierParties(p: TenderProcess, s: TenderStateAt): OcdsParty[] {
  const t = s.at.getTime();
  const seen = new Map<string, OcdsParty>();
  for (const a of p.awards)
    if (a.noticePublishedAt.getTime() <= t && !seen.has(a.supplier.id))
      seen.set(a.supplier.id, {
        id: a.supplier.id,
        name: a.supplier.nameEn,
        name_ar: a.supplier.nameAr,
        address: { countryName: countryName(a.supplier.country) },
        roles: ["supplier"],
      });
  return [...seen.values()];
}
