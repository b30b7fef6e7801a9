import { and, eq, or, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { evaluationMembers, evaluatorScores, users } from "#db/schema/index.ts";
import { missingScores } from "./evaluate-lot.ts";
import {
  assertInProgress,
  auditEvaluation,
  mayReadBids,
  memberContext,
  type UserActor,
} from "./evaluation-access.server.ts";
import { disqualificationOf, evaluationInputs } from "./evaluation-inputs.server.ts";
import { parsePoints } from "./points.ts";

/**
 * Scoring by the committee. Each member scores each TECHNICAL criterion of
 * each qualified bid from 0.00 to 100.00 (two decimals, parsePoints), may save
 * and change their scores, then submits them: from then on they are locked.
 * Nobody sees another member's scores before submitting their own, and then
 * only the scores others have submitted too (`visibleScores`, in the query).
 */

export interface ScoreEntry {
  bidId: string;
  criterionKey: string;
  /** As typed: "87.5", "٨٧٫٥"; blank = not scored yet. */
  points: string;
  note?: string | null;
}

export async function saveScores(
  input: { actor: Actor; tenderId: string; scores: ScoreEntry[]; ip?: string | null },
  db: Db,
): Promise<number> {
  return db.transaction(async (tx) => {
    const context = await memberContext(input.actor, input.tenderId, tx, { lock: "share", lockMember: true });
    assertInProgress(context.evaluation);
    if (!(await mayReadBids(tx, context.tender.id, context.userId)))
      throw new AppError("CONFLICT_DECLARATION_REQUIRED");
    if (context.member.scoresSubmittedAt) throw new AppError("SCORES_SUBMITTED");
    const technical = new Set(
      context.tender.criteria.filter((c) => c.kind === "technical").map((c) => c.key),
    );
    const bidIds = new Set(context.record.map((e) => e.bidId));
    const { qualifications } = await evaluationInputs(tx, context.tender, context.evaluation, context.record);
    let saved = 0;
    for (const entry of input.scores) {
      if (!entry.points.trim()) continue;
      const field = `score-${entry.bidId}-${entry.criterionKey}`;
      if (!bidIds.has(entry.bidId) || !technical.has(entry.criterionKey))
        throw new AppError("VALIDATION", {}, { field });
      const score = parsePoints(entry.points);
      if (score === null) throw new AppError("SCORE_INVALID", {}, { field });
      const q = qualifications.get(entry.bidId);
      const excluded =
        q && (disqualificationOf(q, context.tender) !== null || Object.values(q.checks).includes(false));
      if (excluded) throw new AppError("BID_NOT_QUALIFIED", {}, { field });
      const note = entry.note?.trim().slice(0, 2000) || null;
      await tx
        .insert(evaluatorScores)
        .values({
          tenderId: context.tender.id,
          bidId: entry.bidId,
          criterionKey: entry.criterionKey,
          evaluatorId: context.userId,
          score,
          note,
        })
        .onConflictDoUpdate({
          target: [evaluatorScores.bidId, evaluatorScores.criterionKey, evaluatorScores.evaluatorId],
          set: { score, note, updatedAt: sql`now()` },
        });
      saved++;
    }
    await auditEvaluation(
      tx,
      context,
      "evaluation.scores_saved",
      context.tender.id,
      { scores: saved },
      input.ip,
    );
    return saved;
  });
}

/** Submit (and lock) the member's scores: every technical criterion of every qualified bid. */
export async function submitScores(input: { actor: Actor; tenderId: string; ip?: string | null }, db: Db) {
  await db.transaction(async (tx) => {
    const context = await memberContext(input.actor, input.tenderId, tx, { lock: "share", lockMember: true });
    assertInProgress(context.evaluation);
    if (!(await mayReadBids(tx, context.tender.id, context.userId)))
      throw new AppError("CONFLICT_DECLARATION_REQUIRED");
    if (context.member.scoresSubmittedAt) throw new AppError("SCORES_SUBMITTED");
    const { setup, lots, qualifications } = await evaluationInputs(
      tx,
      context.tender,
      context.evaluation,
      context.record,
    );
    if (context.record.some((e) => !qualifications.has(e.bidId))) throw new AppError("QUALIFICATION_PENDING");
    const missing = lots.flatMap(({ input: lot }) => missingScores(setup, lot, context.userId));
    if (missing.length > 0) {
      const first = missing[0]!;
      throw new AppError(
        "SCORES_INCOMPLETE",
        { count: new Set(missing.map((m) => `${m.bidId}:${m.criterionKey}`)).size },
        { field: `score-${first.bidId}-${first.criterionKey}` },
      );
    }
    await tx
      .update(evaluationMembers)
      .set({ scoresSubmittedAt: sql`now()` })
      .where(eq(evaluationMembers.id, context.member.id));
    const [{ count }] = (await tx.execute(
      sql`select count(*)::int as count from evaluator_scores where tender_id = ${context.tender.id} and evaluator_id = ${context.userId}`,
    )) as unknown as [{ count: number }];
    await auditEvaluation(
      tx,
      context,
      "evaluation.scores_submitted",
      context.tender.id,
      { scores: count },
      input.ip,
    );
  });
}

/**
 * The scores a user may see on a tender, enforced in the query: their own, and — only once
 * they have submitted their own — those of other ACTIVE members who have submitted theirs.
 */
export async function visibleScores(actor: UserActor, tenderId: string, db: Queryable) {
  const me = actor.userId;
  return db
    .select({
      bidId: evaluatorScores.bidId,
      criterionKey: evaluatorScores.criterionKey,
      evaluatorId: evaluatorScores.evaluatorId,
      evaluatorName: users.displayName,
      score: evaluatorScores.score,
      note: evaluatorScores.note,
    })
    .from(evaluatorScores)
    .innerJoin(users, eq(users.id, evaluatorScores.evaluatorId))
    .where(
      and(
        eq(evaluatorScores.tenderId, tenderId),
        or(
          eq(evaluatorScores.evaluatorId, me),
          sql`(exists (select 1 from evaluation_members mine
                       where mine.tender_id = ${tenderId} and mine.user_id = ${me}
                         and mine.status = 'active' and mine.scores_submitted_at is not null)
               and exists (select 1 from evaluation_members theirs
                           where theirs.tender_id = ${tenderId} and theirs.user_id = ${evaluatorScores.evaluatorId}
                             and theirs.status = 'active' and theirs.scores_submitted_at is not null))`,
        ),
      ),
    );
}
