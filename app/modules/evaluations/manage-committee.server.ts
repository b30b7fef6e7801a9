import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import {
  evaluationMembers,
  MAX_STANDSTILL_DAYS,
  memberships,
  type TenderEvaluation,
  tenderEvaluations,
} from "#db/schema/index.ts";
import { assertInProgress, auditEvaluation, memberOf, officerContext } from "./evaluation-access.server.ts";

/**
 * The evaluation committee of an opened tender, managed by the agency's
 * procurement officer: assign evaluators of the agency, name one of them
 * chair, remove one, and set the standstill period of the awards. The first
 * assignment starts the evaluation. Every step is audited.
 */

type Input = { actor: Actor; tenderId: string; ip?: string | null };

/** The evaluation row, created on first use, locked for the change. */
async function lockedEvaluation(tx: Tx, tenderId: string, userId: string): Promise<TenderEvaluation> {
  await tx.insert(tenderEvaluations).values({ tenderId, createdBy: userId }).onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(tenderEvaluations)
    .where(eq(tenderEvaluations.tenderId, tenderId))
    .for("update");
  return row!;
}

/** The user is a member of the agency with the evaluator role. */
async function assertAgencyEvaluator(tx: Tx, agencyId: string, userId: string) {
  const [row] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.organisationId, agencyId),
        sql`'evaluator' = any(${memberships.roles})`,
      ),
    );
  if (!row) throw new AppError("EVALUATOR_NOT_ELIGIBLE", {}, { field: "userId" });
}

export async function assignEvaluator(input: Input & { userId: string }, db: Db) {
  const context = await officerContext(input.actor, input.tenderId, db);
  return db.transaction(async (tx) => {
    const evaluation = await lockedEvaluation(tx, context.tender.id, context.userId);
    assertInProgress(evaluation);
    await assertAgencyEvaluator(tx, context.agencyId, input.userId);
    const existing = await memberOf(context.tender.id, input.userId, tx, { lock: true });
    if (existing?.status === "conflicted") throw new AppError("CONFLICT_DECLARED", {}, { field: "userId" });
    if (existing?.status === "active") return existing;
    const [member] = existing
      ? await tx
          .update(evaluationMembers)
          .set({ status: "active", removedAt: null, assignedBy: context.userId, assignedAt: sql`now()` })
          .where(eq(evaluationMembers.id, existing.id))
          .returning()
      : await tx
          .insert(evaluationMembers)
          .values({ tenderId: context.tender.id, userId: input.userId, assignedBy: context.userId })
          .returning();
    await auditEvaluation(
      tx,
      context,
      "evaluation.member_assigned",
      context.tender.id,
      { member: input.userId },
      input.ip,
    );
    return member!;
  });
}

export async function nameChair(input: Input & { userId: string }, db: Db) {
  const context = await officerContext(input.actor, input.tenderId, db);
  await db.transaction(async (tx) => {
    const evaluation = await lockedEvaluation(tx, context.tender.id, context.userId);
    assertInProgress(evaluation);
    const member = await memberOf(context.tender.id, input.userId, tx);
    if (member?.status !== "active") throw new AppError("CHAIR_NOT_MEMBER", {}, { field: "chair" });
    await tx
      .update(tenderEvaluations)
      .set({ chairUserId: input.userId })
      .where(eq(tenderEvaluations.tenderId, context.tender.id));
    await auditEvaluation(
      tx,
      context,
      "evaluation.chair_named",
      context.tender.id,
      { chair: input.userId, previous: evaluation.chairUserId },
      input.ip,
    );
  });
}

export async function removeMember(input: Input & { userId: string }, db: Db) {
  const context = await officerContext(input.actor, input.tenderId, db);
  await db.transaction(async (tx) => {
    const evaluation = await lockedEvaluation(tx, context.tender.id, context.userId);
    assertInProgress(evaluation);
    const [removed] = await tx
      .update(evaluationMembers)
      .set({ status: "removed", removedAt: sql`now()` })
      .where(
        and(
          eq(evaluationMembers.tenderId, context.tender.id),
          eq(evaluationMembers.userId, input.userId),
          eq(evaluationMembers.status, "active"),
        ),
      )
      .returning();
    if (!removed) throw new AppError("NOT_FOUND");
    if (evaluation.chairUserId === input.userId)
      await tx
        .update(tenderEvaluations)
        .set({ chairUserId: null })
        .where(eq(tenderEvaluations.tenderId, context.tender.id));
    await auditEvaluation(
      tx,
      context,
      "evaluation.member_removed",
      context.tender.id,
      { member: input.userId },
      input.ip,
    );
  });
}

/** Days of standstill after an award's approval (0..60), for this tender. */
export async function setStandstillDays(input: Input & { days: string }, db: Db) {
  const days = Number(input.days.trim());
  if (!/^\d{1,2}$/.test(input.days.trim()) || days > MAX_STANDSTILL_DAYS)
    throw new AppError("STANDSTILL_INVALID", { max: MAX_STANDSTILL_DAYS }, { field: "standstillDays" });
  const context = await officerContext(input.actor, input.tenderId, db);
  await db.transaction(async (tx) => {
    const evaluation = await lockedEvaluation(tx, context.tender.id, context.userId);
    // Settled once an award exists: the standstill of an approved award never moves.
    const [{ awarded }] = (await tx.execute(
      sql`select exists (select 1 from awards where tender_id = ${context.tender.id}) as awarded`,
    )) as unknown as [{ awarded: boolean }];
    if (awarded) throw new AppError("AWARD_ALREADY_ACTIVE", {}, { field: "standstillDays" });
    await tx
      .update(tenderEvaluations)
      .set({ standstillDays: days })
      .where(eq(tenderEvaluations.tenderId, context.tender.id));
    await auditEvaluation(
      tx,
      context,
      "evaluation.standstill_set",
      context.tender.id,
      { days, previous: evaluation.standstillDays },
      input.ip,
    );
  });
}
