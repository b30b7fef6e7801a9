import { sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { consensusScores, priceJustifications } from "#db/schema/index.ts";
import {
  assertInProgress,
  auditEvaluation,
  chairOrOfficerContext,
  memberOf,
} from "./evaluation-access.server.ts";
import { parsePoints } from "./points.ts";

/**
 * The chair's decisions on the scores, each with its written reason:
 *
 * - a CONSENSUS score for one technical criterion of one bid, replacing the
 *   mean of the members' scores (scoring.ts), with a note — only once the
 *   chair has submitted their own scores (and so sees the others');
 * - a JUSTIFICATION accepting an abnormally low price of a bid in a lot:
 *   without one, such a bid keeps its rank but may not win (evaluate-lot.ts).
 */

async function chairContext(actor: Actor, tenderId: string, db: Queryable) {
  const context = await chairOrOfficerContext(actor, tenderId, db, { officerToo: false, lock: "share" });
  assertInProgress(context.evaluation);
  return context;
}

export async function recordConsensus(
  input: {
    actor: Actor;
    tenderId: string;
    bidId: string;
    criterionKey: string;
    points: string;
    note: string;
    ip?: string | null;
  },
  db: Db,
) {
  const field = `consensus-${input.bidId}-${input.criterionKey}`;
  const score = parsePoints(input.points);
  if (score === null) throw new AppError("SCORE_INVALID", {}, { field });
  const note = input.note.trim().slice(0, 2000);
  if (!note) throw new AppError("REASON_REQUIRED", {}, { field: `${field}-note` });
  await db.transaction(async (tx) => {
    const context = await chairContext(input.actor, input.tenderId, tx);
    const criterion = context.tender.criteria.find((c) => c.key === input.criterionKey);
    if (!context.record.some((e) => e.bidId === input.bidId) || criterion?.kind !== "technical")
      throw new AppError("VALIDATION", {}, { field });
    const me = await memberOf(context.tender.id, context.userId, tx);
    if (!me?.scoresSubmittedAt) throw new AppError("SCORES_NOT_SUBMITTED");
    await tx
      .insert(consensusScores)
      .values({
        tenderId: context.tender.id,
        bidId: input.bidId,
        criterionKey: input.criterionKey,
        score,
        note,
        recordedBy: context.userId,
      })
      .onConflictDoUpdate({
        target: [consensusScores.bidId, consensusScores.criterionKey],
        set: { score, note, recordedBy: context.userId, recordedAt: sql`now()` },
      });
    await auditEvaluation(
      tx,
      context,
      "evaluation.consensus_recorded",
      context.tender.id,
      { bidId: input.bidId, criterionKey: input.criterionKey, score, note },
      input.ip,
    );
  });
}

export async function recordPriceJustification(
  input: {
    actor: Actor;
    tenderId: string;
    bidId: string;
    lotId: string;
    justification: string;
    ip?: string | null;
  },
  db: Db,
) {
  const justification = input.justification.trim().slice(0, 4000);
  if (justification.length < 3)
    throw new AppError("REASON_REQUIRED", {}, { field: `justification-${input.bidId}-${input.lotId}` });
  await db.transaction(async (tx) => {
    const context = await chairContext(input.actor, input.tenderId, tx);
    const entry = context.record.find((e) => e.bidId === input.bidId);
    if (!entry?.lots.some((l) => l.lotId === input.lotId)) throw new AppError("NOT_FOUND");
    const lot = await tx.query.tenderLots.findFirst({ where: (l, { eq }) => eq(l.id, input.lotId) });
    if (lot?.tenderId !== context.tender.id) throw new AppError("NOT_FOUND");
    await tx
      .insert(priceJustifications)
      .values({
        tenderId: context.tender.id,
        bidId: input.bidId,
        tenderLotId: input.lotId,
        justification,
        recordedBy: context.userId,
      })
      .onConflictDoUpdate({
        target: [priceJustifications.bidId, priceJustifications.tenderLotId],
        set: { justification, recordedBy: context.userId, recordedAt: sql`now()` },
      });
    await auditEvaluation(
      tx,
      context,
      "evaluation.low_price_justified",
      context.tender.id,
      { bidId: input.bidId, lotId: input.lotId, justification },
      input.ip,
    );
  });
}
