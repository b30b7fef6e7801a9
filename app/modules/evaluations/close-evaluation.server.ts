import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import {
  type OpeningRecordEntry,
  type Tender,
  type TenderEvaluation,
  tenderEvaluations,
} from "#db/schema/index.ts";
import { type EvaluationProblem, evaluateLot, type LotOutcome } from "./evaluate-lot.ts";
import { assertInProgress, auditEvaluation, chairOrOfficerContext } from "./evaluation-access.server.ts";
import { evaluationInputs } from "./evaluation-inputs.server.ts";
import { buildSnapshot, type EvaluationSnapshot, snapshotText } from "./evaluation-snapshot.ts";

/**
 * Closing an evaluation: the chair closes it once every bid is qualified and
 * every active member has submitted their scores; evaluateLot computes each
 * lot's result and the snapshot (inputs and results) is stored with its
 * SHA-256, in the same transaction as the status change and its audit event.
 * The evaluation row is locked FOR UPDATE, and every step that changes an
 * input locks it FOR SHARE, so nothing slips in after the numbers are taken.
 */

export interface EvaluationPreview {
  outcomes: Array<{ lotId: string; number: number; outcome: LotOutcome }>;
  unqualified: string[];
  pendingMembers: string[];
}

/** What evaluateLot says now, without storing anything (for the chair's and officer's pages). */
export async function previewEvaluation(
  db: Queryable,
  tender: Tender,
  evaluation: TenderEvaluation,
  record: OpeningRecordEntry[],
): Promise<EvaluationPreview & Awaited<ReturnType<typeof evaluationInputs>>> {
  const inputs = await evaluationInputs(db, tender, evaluation, record);
  return {
    ...inputs,
    outcomes: inputs.lots.map(({ lot, input }) => ({
      lotId: lot.id,
      number: lot.number,
      outcome: evaluateLot(inputs.setup, input),
    })),
    unqualified: record.filter((e) => !inputs.qualifications.has(e.bidId)).map((e) => e.bidId),
    pendingMembers: inputs.members.filter((m) => !m.scoresSubmittedAt).map((m) => m.userId),
  };
}

export async function closeEvaluation(
  input: { actor: Actor; tenderId: string; ip?: string | null },
  db: Db,
): Promise<{ snapshot: EvaluationSnapshot; sha256: string }> {
  return db.transaction(async (tx) => {
    const context = await chairOrOfficerContext(input.actor, input.tenderId, tx, {
      officerToo: false,
      lock: "update",
    });
    assertInProgress(context.evaluation);
    const preview = await previewEvaluation(tx, context.tender, context.evaluation, context.record);
    if (preview.members.length === 0)
      throw new AppError("EVALUATION_INCOMPLETE", { problem: "no_evaluators" });
    if (preview.unqualified.length > 0) throw new AppError("QUALIFICATION_PENDING");
    if (preview.pendingMembers.length > 0)
      throw new AppError("EVALUATION_INCOMPLETE", { problem: "scores_not_submitted" });
    const problems: EvaluationProblem[] = preview.outcomes.flatMap(({ outcome }) =>
      outcome.ok ? [] : outcome.problems,
    );
    if (problems.length > 0) throw new AppError("EVALUATION_INCOMPLETE", { problem: problems[0]!.code });
    const snapshot = buildSnapshot({
      tenderId: context.tender.id,
      setup: preview.setup,
      bidders: context.record.map((e) => ({
        bidId: e.bidId,
        businessId: e.businessId,
        nameAr: e.businessNameAr,
        nameEn: e.businessNameEn,
      })),
      lots: preview.outcomes.map(({ lotId, number, outcome }) => ({
        lotId,
        number,
        input: preview.lots.find((l) => l.lot.id === lotId)!.input,
        result: (outcome as Extract<LotOutcome, { ok: true }>).result,
      })),
    });
    const sha256 = createHash("sha256").update(snapshotText(snapshot)).digest("hex");
    await tx
      .update(tenderEvaluations)
      .set({
        status: "closed",
        closedBy: context.userId,
        closedAt: sql`now()`,
        result: snapshot as unknown as Record<string, unknown>,
        resultSha256: sha256,
      })
      .where(eq(tenderEvaluations.tenderId, context.tender.id));
    await auditEvaluation(
      tx,
      context,
      "evaluation.closed",
      context.tender.id,
      {
        sha256,
        evaluators: snapshot.evaluatorIds,
        lots: snapshot.lots.map((l) => ({
          lotId: l.lotId,
          recommendedWinner: l.result.recommendedWinner,
          ranked: l.result.ranked.map((b) => ({ bidId: b.bidId, rank: b.rank, total: b.total })),
        })),
      },
      input.ip,
    );
    return { snapshot, sha256 };
  });
}

/** The stored snapshot of a closed evaluation. */
export function snapshotOf(evaluation: TenderEvaluation | null): EvaluationSnapshot | null {
  return evaluation?.status === "closed" && evaluation.result
    ? (evaluation.result as unknown as EvaluationSnapshot)
    : null;
}
