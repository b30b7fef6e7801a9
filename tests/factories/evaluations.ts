import { declareConflicts } from "#app/modules/evaluations/declare-conflicts.server.ts";
import { assignEvaluator, nameChair } from "#app/modules/evaluations/manage-committee.server.ts";
import { recordQualification } from "#app/modules/evaluations/qualify-bid.server.ts";
import { saveScores, submitScores } from "#app/modules/evaluations/score-bids.server.ts";
import type { Db } from "#db/client.server.ts";
import type { OpenedTender, UserActor } from "./tenders.ts";

/**
 * An evaluation at a chosen step, built through the use cases (so every row
 * and audit event is one people would produce): a committee cleared of
 * conflicts, qualified bids, submitted scores.
 */

/** Assign the first `members` evaluators, name the first one chair, and let each declare no conflict. */
export async function clearedCommittee(
  db: Db,
  t: OpenedTender,
  options: { members?: number } = {},
): Promise<{ chair: UserActor; members: UserActor[] }> {
  const members = t.evaluators.slice(0, options.members ?? 2);
  for (const m of members)
    await assignEvaluator({ actor: t.officer, tenderId: t.tender.id, userId: m.userId }, db);
  await nameChair({ actor: t.officer, tenderId: t.tender.id, userId: members[0]!.userId }, db);
  for (const m of members)
    await declareConflicts(
      {
        actor: m,
        tenderId: t.tender.id,
        declarations: t.bidders.map((b) => ({ bidId: b.bidId, conflict: false })),
      },
      db,
    );
  return { chair: members[0]!, members };
}

/** Every bid passes every pass/fail criterion (recorded by `who`, the chair or an officer). */
export async function qualifyAll(db: Db, t: OpenedTender, who: UserActor) {
  const checks = Object.fromEntries(
    t.tender.criteria.filter((c) => c.kind === "pass_fail").map((c) => [c.key, true]),
  );
  for (const b of t.bidders)
    await recordQualification({ actor: who, tenderId: t.tender.id, bidId: b.bidId, checks }, db);
}

/** A member scores every technical criterion of the given bids with `points(bidIndex, key)`, then submits. */
export async function scoreAndSubmit(
  db: Db,
  t: OpenedTender,
  member: UserActor,
  points: (bidIndex: number, criterionKey: string) => string,
  options: { bidIndexes?: number[]; submit?: boolean } = {},
) {
  const technical = t.tender.criteria.filter((c) => c.kind === "technical").map((c) => c.key);
  const indexes = options.bidIndexes ?? t.bidders.map((_, i) => i);
  await saveScores(
    {
      actor: member,
      tenderId: t.tender.id,
      scores: indexes.flatMap((i) =>
        technical.map((key) => ({ bidId: t.bidders[i]!.bidId, criterionKey: key, points: points(i, key) })),
      ),
    },
    db,
  );
  if (options.submit !== false) await submitScores({ actor: member, tenderId: t.tender.id }, db);
}
