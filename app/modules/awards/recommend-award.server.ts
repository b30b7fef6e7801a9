import type { Actor } from "#app/modules/accounts/actor.ts";
import { snapshotOf } from "#app/modules/evaluations/close-evaluation.server.ts";
import {
  auditEvaluation,
  hasDeclaredConflict,
  officerContext,
} from "#app/modules/evaluations/evaluation-access.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { type Award, awards } from "#db/schema/index.ts";

/**
 * The procurement officer recommends the award of one lot, from the closed
 * evaluation's stored result: normally the best-ranked bid that may win;
 * another bid that may win only with a written justification. An abnormally
 * low bid without the chair's justification, or an excluded bid, never.
 *
 * One outcome per lot is the database's rule: the unique index
 * awards_one_outcome_per_lot admits one award per lot in any state but
 * "sent back" (or cancelled), so of two officers recommending at once, one
 * insert waits for the other and then fails (AWARD_ALREADY_ACTIVE).
 */
export async function recommendAward(
  input: {
    actor: Actor;
    tenderId: string;
    lotId: string;
    bidId: string;
    justification?: string | null;
    ip?: string | null;
  },
  db: Db,
): Promise<Award> {
  const justification = input.justification?.trim().slice(0, 4000) || null;
  try {
    return await db.transaction(async (tx) => {
      const context = await officerContext(input.actor, input.tenderId, tx, { lock: "share" });
      if (await hasDeclaredConflict(tx, context.tender.id, context.userId))
        throw new AppError("CONFLICT_DECLARED");
      const snapshot = snapshotOf(context.evaluation);
      if (!snapshot) throw new AppError("EVALUATION_NOT_CLOSED");
      const lot = snapshot.lots.find((l) => l.lotId === input.lotId);
      if (!lot) throw new AppError("NOT_FOUND");
      const ranked = lot.result.ranked.find((b) => b.bidId === input.bidId);
      if (!ranked?.eligibleToWin) throw new AppError("AWARD_NOT_ELIGIBLE", {}, { field: "bidId" });
      const isFirstChoice = lot.result.recommendedWinner === ranked.bidId;
      if (!isFirstChoice && !justification)
        throw new AppError("AWARD_JUSTIFICATION_REQUIRED", {}, { field: "justification" });
      const bidder = snapshot.bidders.find((b) => b.bidId === ranked.bidId)!;
      const [award] = await tx
        .insert(awards)
        .values({
          tenderId: context.tender.id,
          tenderLotId: lot.lotId,
          bidId: ranked.bidId,
          businessId: bidder.businessId,
          price: BigInt(ranked.price.amount),
          currency: ranked.price.currency,
          rank: ranked.rank,
          total: ranked.total,
          recommendedBy: context.userId,
          justification,
        })
        .returning();
      await auditEvaluation(
        tx,
        context,
        "award.recommended",
        award!.id,
        {
          tenderId: context.tender.id,
          lotId: lot.lotId,
          bidId: ranked.bidId,
          businessId: bidder.businessId,
          price: ranked.price.amount,
          currency: ranked.price.currency,
          rank: ranked.rank,
          total: ranked.total,
          firstChoice: isFirstChoice,
          justification,
        },
        input.ip,
      );
      return award!;
    });
  } catch (e) {
    const pg = postgresErrorOf(e);
    if (pg?.code === "23505" && pg.constraint === "awards_one_outcome_per_lot")
      throw new AppError("AWARD_ALREADY_ACTIVE", {}, { cause: e });
    // The lot (or its tender) was cancelled: the trigger awards_lot_open refuses any award for it.
    if (pg?.code === "23514" && pg.constraint === "awards_lot_open")
      throw new AppError("LOT_ALREADY_CANCELLED", {}, { cause: e });
    throw e;
  }
}
