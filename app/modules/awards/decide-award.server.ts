import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { auditEvaluation } from "#app/modules/evaluations/evaluation-access.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { type Award, awards, tenders } from "#db/schema/index.ts";

/**
 * An approver of the agency decides a recommended award: approve it, or send
 * it back to the officer with a reason. Never the person who recommended it
 * (checked here, and by the CHECK awards_four_eyes in the database).
 *
 * The decision is ONE conditional UPDATE ... WHERE status = 'recommended':
 * of two approvers deciding at once, the second waits for the first's row
 * lock, finds the status changed, updates nothing and is told
 * AWARD_NOT_PENDING, so exactly one decision is recorded.
 *
 * Approval publishes the award notice (noticePublishedAt) and starts the
 * standstill period, its end computed by the database clock from the
 * tender's standstill days.
 */

type Decision = { actor: Actor; awardId: string; ip?: string | null };

async function approverOf(actor: Actor, awardId: string, db: Db) {
  assertCan(actor, "award:approve");
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  const [row] = await db
    .select({ award: awards })
    .from(awards)
    .innerJoin(tenders, eq(tenders.id, awards.tenderId))
    .where(and(eq(awards.id, awardId), eq(tenders.agencyId, actor.membership.organisationId)));
  if (!row) throw new AppError("NOT_FOUND");
  return { award: row.award, userId: actor.userId, agencyId: actor.membership.organisationId };
}

/** Why a conditional update found nothing: the approver recommended it, or it was decided already. */
async function whyNotDecided(tx: Tx, awardId: string, userId: string): Promise<never> {
  const current = await tx.query.awards.findFirst({ where: eq(awards.id, awardId) });
  if (current?.status === "recommended" && current.recommendedBy === userId)
    throw new AppError("AWARD_SELF_APPROVAL");
  throw new AppError("AWARD_NOT_PENDING");
}

export async function approveAward(input: Decision, db: Db): Promise<Award> {
  const approver = await approverOf(input.actor, input.awardId, db);
  return db.transaction(async (tx) => {
    const [approved] = await tx
      .update(awards)
      .set({
        status: "approved",
        decidedBy: approver.userId,
        decidedAt: sql`now()`,
        noticePublishedAt: sql`now()`,
        standstillEndsAt: sql`now() + make_interval(days => (select e.standstill_days from tender_evaluations e where e.tender_id = ${awards.tenderId}))`,
      })
      .where(
        and(
          eq(awards.id, approver.award.id),
          eq(awards.status, "recommended"),
          sql`${awards.recommendedBy} <> ${approver.userId}`,
        ),
      )
      .returning();
    if (!approved) return whyNotDecided(tx, approver.award.id, approver.userId);
    await auditEvaluation(
      tx,
      approver,
      "award.approved",
      approved.id,
      {
        tenderId: approved.tenderId,
        lotId: approved.tenderLotId,
        bidId: approved.bidId,
        businessId: approved.businessId,
        price: approved.price.toString(),
        currency: approved.currency,
        recommendedBy: approved.recommendedBy,
        noticePublishedAt: approved.noticePublishedAt?.toISOString(),
        standstillEndsAt: approved.standstillEndsAt?.toISOString(),
      },
      input.ip,
    );
    return approved;
  });
}

export async function sendBackAward(input: Decision & { reason: string }, db: Db): Promise<Award> {
  const reason = input.reason.trim().slice(0, 4000);
  if (reason.length < 3) throw new AppError("REASON_REQUIRED", {}, { field: "reason" });
  const approver = await approverOf(input.actor, input.awardId, db);
  return db.transaction(async (tx) => {
    const [sent] = await tx
      .update(awards)
      .set({ status: "sent_back", decidedBy: approver.userId, decidedAt: sql`now()`, sendBackReason: reason })
      .where(
        and(
          eq(awards.id, approver.award.id),
          eq(awards.status, "recommended"),
          sql`${awards.recommendedBy} <> ${approver.userId}`,
        ),
      )
      .returning();
    if (!sent) return whyNotDecided(tx, approver.award.id, approver.userId);
    await auditEvaluation(
      tx,
      approver,
      "award.sent_back",
      sent.id,
      { tenderId: sent.tenderId, lotId: sent.tenderLotId, bidId: sent.bidId, reason },
      input.ip,
    );
    return sent;
  });
}
