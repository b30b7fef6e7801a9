import { eq } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { awardsOfTender } from "#app/modules/awards/award-views.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { bidQualifications, tenderLots } from "#db/schema/index.ts";
import { previewEvaluation, snapshotOf } from "./close-evaluation.server.ts";
import { agencyEvaluators, committeeOf, conflictsOf } from "./committee-views.server.ts";
import { correctionsOf } from "./document-corrections.server.ts";
import {
  hasDeclaredConflict,
  isOfficer,
  mayReadBids,
  memberOf,
  openedTenderOf,
} from "./evaluation-access.server.ts";
import { visibleScores } from "./score-bids.server.ts";

/**
 * The evaluation page of a tender (/tenders/manage/:tenderId/evaluation), for
 * the agency's procurement officer (committee, qualification, corrections,
 * the closed result and the awards) and for the committee's chair
 * (qualification, corrections, scores and consensus once their own are
 * submitted, the result as it stands, justifications, closing). The officer
 * never sees scores before the evaluation is closed.
 */
export async function evaluationWorkspace(actor: Actor, tenderId: string, db: Queryable) {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const context = await openedTenderOf(actor, tenderId, db);
  const { tender, evaluation, record } = context;
  let role: "officer" | "chair";
  if (isOfficer(actor)) {
    if (await hasDeclaredConflict(db, tender.id, actor.userId)) throw new AppError("CONFLICT_DECLARED");
    role = "officer";
  } else if (
    can(actor, "bids:evaluate") &&
    evaluation?.chairUserId === actor.userId &&
    (await mayReadBids(db, tender.id, actor.userId))
  ) {
    role = "chair";
  } else throw new AppError(can(actor, "bids:evaluate") ? "CHAIR_REQUIRED" : "FORBIDDEN");

  const lots = await db.select().from(tenderLots).where(eq(tenderLots.tenderId, tender.id));
  const committee = evaluation ? await committeeOf(tender.id, db) : [];
  const qualifications = evaluation
    ? await db.select().from(bidQualifications).where(eq(bidQualifications.tenderId, tender.id))
    : [];
  const me = evaluation && role === "chair" ? await memberOf(tender.id, actor.userId, db) : null;
  const snapshot = snapshotOf(evaluation);
  const preview =
    evaluation && role === "chair" && !snapshot
      ? await previewEvaluation(db, tender, evaluation, record)
      : null;
  return {
    ...context,
    role,
    lots: lots.sort((a, b) => a.number - b.number),
    committee,
    candidates: role === "officer" ? await agencyEvaluators(context.agencyId, db) : [],
    conflicts: evaluation ? await conflictsOf(tender.id, db) : [],
    qualifications,
    corrections: evaluation ? await correctionsOf(tender.id, db) : [],
    chairSubmitted: Boolean(me?.scoresSubmittedAt),
    scores: me?.scoresSubmittedAt ? await visibleScores(actor, tender.id, db) : [],
    consensus: preview?.lots.flatMap((l) => l.input.consensus ?? []) ?? [],
    preview,
    snapshot,
    awards: evaluation ? await awardsOfTender(tender.id, db) : [],
  };
}
