import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { conflictDeclarations, evaluationMembers, tenderEvaluations } from "#db/schema/index.ts";
import { assertInProgress, auditEvaluation, memberContext } from "./evaluation-access.server.ts";

/**
 * A committee member's declarations, before they see any bid: for EACH bidder
 * of the opening record, "no conflict of interest" or "a conflict" with a
 * note. All bidders at once, once. A declared conflict removes the member from
 * the tender's committee (and from the chair), and is kept with the bidder and
 * the note; their access to the bids is never granted (see mayReadBids).
 */

export interface Declaration {
  bidId: string;
  conflict: boolean;
  note?: string | null;
}

export async function declareConflicts(
  input: { actor: Actor; tenderId: string; declarations: Declaration[]; ip?: string | null },
  db: Db,
): Promise<{ conflicted: boolean }> {
  const checked = input.declarations.map((d) => ({
    ...d,
    note: d.note?.trim().slice(0, 2000) || null,
  }));
  for (const d of checked)
    if (d.conflict && !d.note) throw new AppError("REASON_REQUIRED", {}, { field: `note-${d.bidId}` });
  return db.transaction(async (tx) => {
    const context = await memberContext(input.actor, input.tenderId, tx, { lock: "share", lockMember: true });
    assertInProgress(context.evaluation);
    const [{ declared }] = (await tx.execute(
      sql`select count(*)::int as declared from conflict_declarations where tender_id = ${context.tender.id} and user_id = ${context.userId}`,
    )) as unknown as [{ declared: number }];
    if (declared > 0) throw new AppError("CONFLICTS_ALREADY_DECLARED");
    const bidders = new Map(context.record.map((e) => [e.bidId, e]));
    const given = new Set(checked.map((d) => d.bidId));
    if (
      given.size !== checked.length ||
      given.size !== bidders.size ||
      [...given].some((id) => !bidders.has(id))
    )
      throw new AppError("DECLARATION_INCOMPLETE");
    if (checked.length > 0)
      await tx.insert(conflictDeclarations).values(
        checked.map((d) => ({
          tenderId: context.tender.id,
          userId: context.userId,
          bidId: d.bidId,
          businessId: bidders.get(d.bidId)!.businessId,
          conflict: d.conflict,
          note: d.note,
        })),
      );
    const conflicts = checked.filter((d) => d.conflict);
    if (conflicts.length > 0) {
      await tx
        .update(evaluationMembers)
        .set({ status: "conflicted", removedAt: sql`now()` })
        .where(eq(evaluationMembers.id, context.member.id));
      await tx
        .update(tenderEvaluations)
        .set({ chairUserId: null })
        .where(
          and(
            eq(tenderEvaluations.tenderId, context.tender.id),
            eq(tenderEvaluations.chairUserId, context.userId),
          ),
        );
    }
    await auditEvaluation(
      tx,
      context,
      conflicts.length > 0 ? "evaluation.conflict_declared" : "evaluation.no_conflict_declared",
      context.tender.id,
      {
        bidders: checked.length,
        conflicts: conflicts.map((d) => ({
          bidId: d.bidId,
          businessId: bidders.get(d.bidId)!.businessId,
          note: d.note,
        })),
      },
      input.ip,
    );
    return { conflicted: conflicts.length > 0 };
  });
}
