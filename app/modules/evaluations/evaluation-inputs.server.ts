import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import {
  type BidQualification,
  bidQualifications,
  consensusScores,
  evaluationMembers,
  evaluatorScores,
  type OpeningRecordEntry,
  priceJustifications,
  type Tender,
  type TenderEvaluation,
  tenderLots,
} from "#db/schema/index.ts";
import type { EvaluationSetup, LotInput } from "./evaluate-lot.ts";
import type { AutoReason } from "./evaluation-snapshot.ts";

/**
 * Everything evaluateLot needs, read from the database for one tender: the
 * setup (criteria, the ACTIVE members as evaluators, the tender's options) and
 * per lot the bids of the opening record that priced it, with the committee's
 * checks, disqualifications (manual, or automatic from the checks recorded with
 * the qualification), justifications, the active members' scores and the
 * chair's consensus scores.
 */

/** Why a bid is disqualified, if it is: the committee's reason first, else an automatic one. */
export function disqualificationOf(q: BidQualification, tender: Tender): string | null {
  if (q.disqualificationReason) return q.disqualificationReason;
  if (tender.requireVerified && !q.businessVerified) return "auto:business_not_verified" satisfies AutoReason;
  if (q.permitValid === false) return "auto:permit_not_valid" satisfies AutoReason;
  return null;
}

export async function evaluationInputs(
  db: Queryable,
  tender: Tender,
  evaluation: TenderEvaluation,
  record: OpeningRecordEntry[],
) {
  const members = await db
    .select()
    .from(evaluationMembers)
    .where(and(eq(evaluationMembers.tenderId, tender.id), eq(evaluationMembers.status, "active")))
    .orderBy(asc(evaluationMembers.assignedAt));
  const evaluatorIds = members.map((m) => m.userId);
  const setup: EvaluationSetup = {
    criteria: tender.criteria,
    evaluatorIds,
    financialFormula: evaluation.financialFormula as EvaluationSetup["financialFormula"],
    abnormallyLowPercent: evaluation.abnormallyLowPercent,
  };
  const lots = await db
    .select()
    .from(tenderLots)
    .where(eq(tenderLots.tenderId, tender.id))
    .orderBy(asc(tenderLots.number));
  const qualifications = new Map(
    (await db.select().from(bidQualifications).where(eq(bidQualifications.tenderId, tender.id))).map((q) => [
      q.bidId,
      q,
    ]),
  );
  const justifications = await db
    .select()
    .from(priceJustifications)
    .where(eq(priceJustifications.tenderId, tender.id));
  const active = new Set(evaluatorIds);
  const scores = (
    await db.select().from(evaluatorScores).where(eq(evaluatorScores.tenderId, tender.id))
  ).filter((s) => active.has(s.evaluatorId));
  const consensus = await db.select().from(consensusScores).where(eq(consensusScores.tenderId, tender.id));

  const lotInputs = lots.map((lot) => {
    const entries = record.filter((e) => e.lots.some((l) => l.lotId === lot.id));
    const bidIds = new Set(entries.map((e) => e.bidId));
    const input: LotInput = {
      lotId: lot.id,
      currency: tender.currency,
      bids: entries.map((e) => {
        const q = qualifications.get(e.bidId);
        return {
          bidId: e.bidId,
          price: { amount: BigInt(e.lots.find((l) => l.lotId === lot.id)!.price), currency: tender.currency },
          receivedAt: e.receivedAt,
          checks: q?.checks ?? {},
          disqualification: q ? disqualificationOf(q, tender) : null,
          lowPriceJustification:
            justifications.find((j) => j.bidId === e.bidId && j.tenderLotId === lot.id)?.justification ??
            null,
        };
      }),
      scores: scores
        .filter((s) => bidIds.has(s.bidId))
        .map((s) => ({
          evaluatorId: s.evaluatorId,
          bidId: s.bidId,
          criterionKey: s.criterionKey,
          score: s.score,
        })),
      consensus: consensus
        .filter((c) => bidIds.has(c.bidId))
        .map((c) => ({ bidId: c.bidId, criterionKey: c.criterionKey, score: c.score, note: c.note })),
    };
    return { lot, input };
  });
  return { setup, members, lots: lotInputs, qualifications };
}
