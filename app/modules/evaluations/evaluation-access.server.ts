import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan, can } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable, Tx } from "#db/client.server.ts";
import {
  type EvaluationMember,
  evaluationMembers,
  type OpeningRecordEntry,
  type Tender,
  type TenderEvaluation,
  tenderEvaluations,
  tenderOpenings,
  tenders,
} from "#db/schema/index.ts";

/**
 * Who may do what in a tender's evaluation, checked by every use case:
 *
 * - the agency's PROCUREMENT OFFICERS (permission bids:open) manage the committee, may record
 *   qualifications and correction requests, and recommend awards;
 * - a COMMITTEE MEMBER is an evaluator of the agency assigned to the tender and still active;
 *   the CHAIR is the member the officer named;
 * - bid content (prices, responses, documents) reaches a member only once they have declared,
 *   for EVERY bidder of the opening record, that they have no conflict of interest
 *   (`mayReadBids`, one query); anyone with a declared conflict on the tender never gets it.
 */

export type UserActor = Extract<Actor, { type: "user" }>;

export interface EvaluationContext {
  tender: Tender;
  record: OpeningRecordEntry[];
  evaluation: TenderEvaluation | null;
  agencyId: string;
  userId: string;
}

/** The agency's opened tender (opening confirmed) with its opening record, and its evaluation if started. */
export async function openedTenderOf(
  actor: UserActor,
  tenderId: string,
  db: Queryable,
  options: { lock?: "update" | "share" } = {},
): Promise<EvaluationContext> {
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  const agencyId = actor.membership.organisationId;
  const tender = await db.query.tenders.findFirst({
    where: and(eq(tenders.id, tenderId), eq(tenders.agencyId, agencyId)),
  });
  if (!tender) throw new AppError("NOT_FOUND");
  const opening = await db.query.tenderOpenings.findFirst({ where: eq(tenderOpenings.tenderId, tender.id) });
  if (tender.status !== "opened" || !opening?.confirmedAt || !opening.record)
    throw new AppError("TENDER_NOT_OPENED");
  let evaluation: TenderEvaluation | undefined;
  if (options.lock) {
    [evaluation] = await db
      .select()
      .from(tenderEvaluations)
      .where(eq(tenderEvaluations.tenderId, tender.id))
      .for(options.lock);
  } else {
    evaluation = await db.query.tenderEvaluations.findFirst({
      where: eq(tenderEvaluations.tenderId, tender.id),
    });
  }
  return { tender, record: opening.record, evaluation: evaluation ?? null, agencyId, userId: actor.userId };
}

export const isOfficer = (actor: Actor): boolean => can(actor, "bids:open");

/** A procurement officer of the tender's agency. */
export async function officerContext(
  actor: Actor,
  tenderId: string,
  db: Queryable,
  options: { lock?: "update" | "share" } = {},
): Promise<EvaluationContext> {
  assertCan(actor, "bids:open");
  return openedTenderOf(actor, tenderId, db, options);
}

export async function memberOf(
  tenderId: string,
  userId: string,
  db: Queryable,
  options: { lock?: boolean } = {},
): Promise<EvaluationMember | null> {
  const query = db
    .select()
    .from(evaluationMembers)
    .where(and(eq(evaluationMembers.tenderId, tenderId), eq(evaluationMembers.userId, userId)));
  const [row] = options.lock ? await query.for("update") : await query;
  return row ?? null;
}

/** An active committee member (an evaluator of the agency) of a started evaluation. */
export async function memberContext(
  actor: Actor,
  tenderId: string,
  db: Queryable,
  options: { lock?: "update" | "share"; lockMember?: boolean } = {},
): Promise<EvaluationContext & { evaluation: TenderEvaluation; member: EvaluationMember }> {
  assertCan(actor, "bids:evaluate");
  const context = await openedTenderOf(actor, tenderId, db, options);
  const member = await memberOf(tenderId, actor.userId, db, { lock: options.lockMember });
  if (!context.evaluation || !member) throw new AppError("NOT_FOUND");
  if (member.status === "conflicted") throw new AppError("CONFLICT_DECLARED");
  if (member.status !== "active") throw new AppError("NOT_COMMITTEE_MEMBER");
  return { ...context, evaluation: context.evaluation, member };
}

/**
 * The chair (who must be cleared to read the bids), or — when `officerToo` — a procurement
 * officer of the agency. For the chair's decisions and for the steps either may take.
 */
export async function chairOrOfficerContext(
  actor: Actor,
  tenderId: string,
  db: Queryable,
  options: { officerToo: boolean; lock?: "update" | "share" },
): Promise<EvaluationContext & { evaluation: TenderEvaluation; role: "chair" | "officer" }> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const context = await openedTenderOf(actor, tenderId, db, options);
  if (!context.evaluation) throw new AppError("NOT_FOUND");
  if (context.evaluation.chairUserId === actor.userId && can(actor, "bids:evaluate")) {
    const member = await memberOf(tenderId, actor.userId, db);
    if (member?.status === "active") {
      if (!(await mayReadBids(db, tenderId, actor.userId)))
        throw new AppError("CONFLICT_DECLARATION_REQUIRED");
      return { ...context, evaluation: context.evaluation, role: "chair" };
    }
  }
  if (options.officerToo && isOfficer(actor)) {
    if (await hasDeclaredConflict(db, tenderId, actor.userId)) throw new AppError("CONFLICT_DECLARED");
    return { ...context, evaluation: context.evaluation, role: "officer" };
  }
  throw new AppError("CHAIR_REQUIRED");
}

export function assertInProgress(evaluation: TenderEvaluation): void {
  if (evaluation.status !== "in_progress") throw new AppError("EVALUATION_CLOSED");
}

/**
 * THE rule for bid content in an evaluation: the user is an active committee member of the
 * tender and has declared "no conflict" for every bid in the opening record. One query, so
 * the answer is never assembled from stale pieces.
 */
export async function mayReadBids(db: Queryable, tenderId: string, userId: string): Promise<boolean> {
  const [row] = (await db.execute(sql`
    select (
      exists (select 1 from evaluation_members m
              where m.tender_id = ${tenderId} and m.user_id = ${userId} and m.status = 'active')
      and not exists (
        select 1 from jsonb_array_elements(o.record) e
        where not exists (
          select 1 from conflict_declarations d
          where d.tender_id = ${tenderId} and d.user_id = ${userId}
            and d.bid_id = (e ->> 'bidId')::uuid and not d.conflict))
    ) as allowed
    from tender_openings o
    where o.tender_id = ${tenderId} and o.confirmed_at is not null and o.record is not null`)) as unknown as Array<{
    allowed: boolean;
  }>;
  return row?.allowed === true;
}

/**
 * Whether a user may read the content of an OPENED tender's bids (prices, responses, documents,
 * corrected documents): the agency's procurement officers, and committee members cleared by
 * `mayReadBids`; nobody who declared a conflict of interest on the tender.
 */
export async function maySeeBidContent(
  db: Queryable,
  actor: UserActor,
  tender: { id: string; agencyId: string; status: string },
): Promise<boolean> {
  const ofAgency = actor.membership?.kind === "agency" && actor.membership.organisationId === tender.agencyId;
  if (tender.status !== "opened" || !ofAgency) return false;
  if (can(actor, "bids:open") && !(await hasDeclaredConflict(db, tender.id, actor.userId))) return true;
  return can(actor, "bids:evaluate") && (await mayReadBids(db, tender.id, actor.userId));
}

/** The user declared a conflict of interest with a bidder of this tender. */
export async function hasDeclaredConflict(db: Queryable, tenderId: string, userId: string): Promise<boolean> {
  const [row] = (await db.execute(sql`
    select exists (select 1 from conflict_declarations
                   where tender_id = ${tenderId} and user_id = ${userId} and conflict) as found`)) as unknown as Array<{
    found: boolean;
  }>;
  return row?.found === true;
}

/** The audit event of an evaluation step, in the step's transaction. */
export function auditEvaluation(
  tx: Tx,
  context: { agencyId: string; userId: string },
  action: string,
  objectId: string,
  details: Record<string, unknown> = {},
  ip?: string | null,
) {
  return recordAudit(tx, {
    actorUserId: context.userId,
    organisationId: context.agencyId,
    action,
    objectType: action.startsWith("award.") ? "award" : "tender",
    objectId,
    ip: ip ?? null,
    details,
  });
}
