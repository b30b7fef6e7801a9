import { and, eq } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable, Tx } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { type Complaint, complaints, tenderLots, tenders } from "#db/schema/index.ts";

/**
 * Who may see and do what with complaints:
 * - the COMPLAINANT is a business that bid on the tender (its owners and bidders,
 *   permission bid:submit); it sees its own complaints only;
 * - a REVIEWER holds complaint:review in the tender's agency and decides — never about an
 *   award they recommended or approved;
 * - the agency's PROCUREMENT OFFICERS (bids:open) follow them;
 * - the public learns only that an award is suspended by a complaint.
 */

export type UserActor = Extract<Actor, { type: "user" }>;

export function businessOf(actor: Actor): { businessId: string; userId: string } {
  assertCan(actor, "bid:submit");
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  return { businessId: actor.membership.organisationId, userId: actor.userId };
}

export function reviewerOf(actor: Actor): { agencyId: string; userId: string } {
  assertCan(actor, "complaint:review");
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { agencyId: actor.membership.organisationId, userId: actor.userId };
}

/** A reviewer of the agency, or one of its procurement officers (who may read but not decide). */
export function agencyReaderOf(actor: Actor): { agencyId: string; userId: string; reviewer: boolean } {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  const roles: readonly string[] = actor.membership.roles;
  const reviewer = roles.includes("approver") || roles.includes("agency_admin");
  if (!reviewer && !roles.includes("procurement_officer")) throw new AppError("FORBIDDEN");
  return { agencyId: actor.membership.organisationId, userId: actor.userId, reviewer };
}

/** A complaint with its tender and lot, scoped to the agency (or the business) asking. */
export async function complaintIn(
  db: Queryable,
  complaintId: string,
  scope: { agencyId: string } | { businessId: string },
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({ complaint: complaints, tender: tenders, lot: tenderLots })
    .from(complaints)
    .innerJoin(tenders, eq(tenders.id, complaints.tenderId))
    .innerJoin(tenderLots, eq(tenderLots.id, complaints.tenderLotId))
    .where(
      and(
        eq(complaints.id, complaintId),
        "agencyId" in scope
          ? eq(tenders.agencyId, scope.agencyId)
          : eq(complaints.businessId, scope.businessId),
      ),
    );
  const [row] = options.lock ? await query.for("update", { of: complaints }) : await query;
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

export async function auditComplaint(
  tx: Tx,
  who: { userId: string | null; organisationId: string },
  action: string,
  complaint: Pick<Complaint, "id" | "tenderId" | "tenderLotId" | "awardId">,
  details: Record<string, unknown>,
  ip?: string | null,
) {
  await recordAudit(tx, {
    actorUserId: who.userId,
    organisationId: who.organisationId,
    action,
    objectType: "complaint",
    objectId: complaint.id,
    ip: ip ?? null,
    details: {
      tenderId: complaint.tenderId,
      lotId: complaint.tenderLotId,
      awardId: complaint.awardId,
      ...details,
    },
  });
}

/** The database's standstill rules, as the errors people are shown. */
export function complaintErrorOf(e: unknown): never {
  const pg = postgresErrorOf(e);
  if (
    pg?.code === "23514" &&
    (pg.constraint === "complaints_lodged_in_standstill" || pg.constraint === "awards_suspend_in_standstill")
  )
    throw new AppError("COMPLAINT_OUTSIDE_STANDSTILL", {}, { cause: e });
  if (pg?.code === "23505" && pg.constraint === "complaints_one_open_per_bidder")
    throw new AppError("COMPLAINT_ALREADY_OPEN", {}, { cause: e });
  throw e;
}

/** An award's change caused by a complaint or a cancellation, on the award's own audit trail. */
export async function auditAward(
  tx: Tx,
  who: { userId: string | null; agencyId: string },
  action: string,
  awardId: string,
  details: Record<string, unknown>,
  ip?: string | null,
) {
  await recordAudit(tx, {
    actorUserId: who.userId,
    organisationId: who.agencyId,
    action,
    objectType: "award",
    objectId: awardId,
    ip: ip ?? null,
    details,
  });
}
