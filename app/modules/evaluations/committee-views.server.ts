import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan, can } from "#app/modules/accounts/permissions.ts";
import type { BidMasterKey } from "#app/modules/bids/master-key.server.ts";
import { readBidContent } from "#app/modules/bids/open-bids.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import {
  conflictDeclarations,
  evaluationMembers,
  memberships,
  tenderEvaluations,
  tenders,
  users,
} from "#db/schema/index.ts";
import { correctionsOf } from "./document-corrections.server.ts";
import {
  maySeeBidContent,
  memberContext,
  openedTenderOf,
  type UserActor,
} from "./evaluation-access.server.ts";

/** What the committee's pages read. Bid content only through `committeeBids` (the access rule). */

/** The tenders an evaluator is (or was) on the committee of, newest first. */
export async function myEvaluations(actor: Actor, db: Queryable) {
  assertCan(actor, "bids:evaluate");
  return db
    .select({
      tenderId: tenders.id,
      reference: tenders.reference,
      titleAr: tenders.titleAr,
      titleEn: tenders.titleEn,
      memberStatus: evaluationMembers.status,
      scoresSubmittedAt: evaluationMembers.scoresSubmittedAt,
      evaluationStatus: tenderEvaluations.status,
      chair: sql<boolean>`${tenderEvaluations.chairUserId} = ${actor.userId}`,
      declared: sql<boolean>`exists (select 1 from conflict_declarations d where d.tender_id = ${tenders.id} and d.user_id = ${actor.userId})`,
    })
    .from(evaluationMembers)
    .innerJoin(tenderEvaluations, eq(tenderEvaluations.tenderId, evaluationMembers.tenderId))
    .innerJoin(tenders, eq(tenders.id, evaluationMembers.tenderId))
    .where(
      and(eq(evaluationMembers.userId, actor.userId), eq(tenders.agencyId, actor.membership!.organisationId)),
    )
    .orderBy(desc(evaluationMembers.assignedAt))
    .limit(200);
}

/** The committee of a tender with names, for the officer's and the chair's pages. */
export async function committeeOf(tenderId: string, db: Queryable) {
  return db
    .select({
      userId: evaluationMembers.userId,
      name: users.displayName,
      email: users.email,
      status: evaluationMembers.status,
      scoresSubmittedAt: evaluationMembers.scoresSubmittedAt,
      declared: sql<boolean>`exists (select 1 from conflict_declarations d where d.tender_id = ${tenderId} and d.user_id = ${evaluationMembers.userId})`,
    })
    .from(evaluationMembers)
    .innerJoin(users, eq(users.id, evaluationMembers.userId))
    .where(eq(evaluationMembers.tenderId, tenderId))
    .orderBy(asc(evaluationMembers.assignedAt));
}

/** The declared conflicts of a tender: who, which bidder, the note. */
export async function conflictsOf(tenderId: string, db: Queryable) {
  return db
    .select({
      userId: conflictDeclarations.userId,
      name: users.displayName,
      bidId: conflictDeclarations.bidId,
      businessId: conflictDeclarations.businessId,
      note: conflictDeclarations.note,
      declaredAt: conflictDeclarations.declaredAt,
    })
    .from(conflictDeclarations)
    .innerJoin(users, eq(users.id, conflictDeclarations.userId))
    .where(and(eq(conflictDeclarations.tenderId, tenderId), eq(conflictDeclarations.conflict, true)));
}

/** Evaluators of the agency who could join the committee. */
export async function agencyEvaluators(agencyId: string, db: Queryable) {
  return db
    .select({ userId: users.id, name: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.organisationId, agencyId),
        sql`'evaluator' = any(${memberships.roles})`,
        sql`${users.disabledAt} is null`,
      ),
    )
    .orderBy(asc(users.displayName));
}

/** An evaluator's own view of a tender's evaluation: the bidders (names only) and where they stand. */
export async function evaluationForMember(actor: Actor, tenderId: string, db: Queryable) {
  assertCan(actor, "bids:evaluate");
  const context = await openedTenderOf(actor, tenderId, db);
  const member = context.evaluation
    ? await db.query.evaluationMembers.findFirst({
        where: and(eq(evaluationMembers.tenderId, tenderId), eq(evaluationMembers.userId, actor.userId)),
      })
    : undefined;
  if (!context.evaluation || !member) throw new AppError("NOT_FOUND");
  const declarations = await db
    .select()
    .from(conflictDeclarations)
    .where(and(eq(conflictDeclarations.tenderId, tenderId), eq(conflictDeclarations.userId, actor.userId)));
  const cleared = await maySeeBidContent(db, actor as UserActor, context.tender);
  return {
    ...context,
    evaluation: context.evaluation,
    member,
    declarations,
    cleared,
    isChair: context.evaluation.chairUserId === actor.userId && member.status === "active",
  };
}

/**
 * The opened bids' content for a committee member cleared of conflicts (or an officer): prices,
 * responses, documents as sealed with the bid, and corrected documents. Refused otherwise.
 */
export async function committeeBids(
  input: { actor: Actor; tenderId: string; ip?: string | null },
  deps: { db: Db; master: BidMasterKey },
) {
  const { actor } = input;
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const context = await openedTenderOf(actor, input.tenderId, deps.db);
  if (!(await maySeeBidContent(deps.db, actor, context.tender))) {
    // A member is told what is missing (or that they declared a conflict); anyone else is refused.
    if (!can(actor, "bids:evaluate")) throw new AppError("FORBIDDEN");
    await memberContext(actor, input.tenderId, deps.db);
    throw new AppError("CONFLICT_DECLARATION_REQUIRED");
  }
  const corrections = await correctionsOf(context.tender.id, deps.db);
  const result = [];
  for (const entry of context.record) {
    const content = await readBidContent({ actor, bidId: entry.bidId, ip: input.ip }, deps);
    result.push({
      entry,
      content,
      corrections: corrections.filter((c) => c.correction.bidId === entry.bidId),
    });
  }
  return { ...context, bids: result };
}
