import { approveAward } from "#app/modules/awards/decide-award.server.ts";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import type { SealingKeys } from "#app/modules/bids/submit-bid.server.ts";
import { closeEvaluation } from "#app/modules/evaluations/close-evaluation.server.ts";
import { capturePayment } from "#app/modules/payments/payment-ledger.server.ts";
import type { Db } from "#db/client.server.ts";
import { type Award, type FeeType, feeSchedules, type Payment } from "#db/schema/index.ts";
import { clearedCommittee, qualifyAll, scoreAndSubmit } from "./evaluations.ts";
import { type OpenedTender, openedTender } from "./tenders.ts";

/**
 * An opened tender evaluated and awarded through the use cases: every lot's
 * best-ranked bid recommended by the officer and approved by the first
 * approver, so each award is in its standstill (10 days by default).
 * `prices` as for openedTender (default: three bidders on one lot).
 */
export async function awardedTender(
  db: Db,
  keys: SealingKeys,
  options: Parameters<typeof openedTender>[2] = {},
): Promise<{ t: OpenedTender; awards: Award[] }> {
  const t = await openedTender(db, keys, options);
  const { chair, members } = await clearedCommittee(db, t);
  await qualifyAll(db, t, chair);
  for (const m of members) await scoreAndSubmit(db, t, m, (i) => String(80 - i * 5));
  const { snapshot } = await closeEvaluation({ actor: chair, tenderId: t.tender.id }, db);
  const awards: Award[] = [];
  for (const lot of snapshot.lots) {
    const recommended = await recommendAward(
      { actor: t.officer, tenderId: t.tender.id, lotId: lot.lotId, bidId: lot.result.recommendedWinner! },
      db,
    );
    awards.push(await approveAward({ actor: t.approvers[0]!, awardId: recommended.id }, db));
  }
  return { t, awards };
}

/** A fixed fee on the agency's schedule (minor units of `currency`). */
export async function fixedFee(db: Db, agencyId: string, feeType: FeeType, amount: bigint, currency = "KWD") {
  await db.insert(feeSchedules).values({
    agencyId,
    feeType,
    calculation: "fixed",
    currency,
    fixedAmount: amount,
  });
}

/** The money for a payment arrives (as a finance officer's receipt or a card would record it). */
export function paid(db: Db, payment: Payment) {
  return capturePayment({ paymentId: payment.id, actor: { userId: null } }, db);
}
