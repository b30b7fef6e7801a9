import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { notifyUser } from "#app/modules/notifications/notify.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import {
  bidPermitFlags,
  bids,
  memberships,
  type Permit,
  permitEvents,
  permits,
  permitTypes,
  tenders,
} from "#db/schema/index.ts";
import { NOTE_MAX } from "./applicant-steps.server.ts";
import { isUuid, userIdOf } from "./application-access.server.ts";

/**
 * Suspend, reinstate or revoke a permit, with a reason. Suspending or
 * revoking a licence reaches everything that stands on it: the holder's
 * permits that require it follow it (and theirs, in turn), and the holder's
 * bids on open tenders that require any of those permits are flagged for the
 * officers. Reinstating a licence reinstates what its suspension suspended.
 */

type Change = { actor: Actor; permitId: string; reason: string; ip?: string | null; baseUrl?: string };

export interface StatusChangeResult {
  permit: Permit;
  /** Permits that followed it (required it, directly or not). */
  cascaded: Permit[];
  /** Bids flagged because their bidder lost a permit the tender requires. */
  flaggedBids: number;
}

async function lockPermitOfAgency(tx: Tx, actor: Actor, permitId: string) {
  assertCan(actor, "permit:review");
  if (!isUuid(permitId)) throw new AppError("NOT_FOUND");
  const [row] = await tx
    .select({ permit: permits, type: permitTypes })
    .from(permits)
    .innerJoin(permitTypes, eq(permitTypes.id, permits.permitTypeId))
    .where(eq(permits.id, permitId))
    .for("update", { of: permits });
  if (!row || row.type.agencyId !== actor.membership!.organisationId) throw new AppError("NOT_FOUND");
  return row;
}

function reasonOf(text: string): string {
  const reason = (text ?? "").trim();
  if (reason.length < 2 || reason.length > NOTE_MAX)
    throw new AppError("REASON_REQUIRED", {}, { field: "reason" });
  return reason;
}

/** Permits of the same holder that stand on `permitId`, directly or through others, in the given statuses. */
async function dependants(tx: Tx, permitId: string, statuses: string[]): Promise<Permit[]> {
  const rows = await tx.execute<{ id: string }>(sql`
    with recursive tree as (
      select id from permits where parent_permit_id = ${permitId}
      union
      select p.id from permits p join tree on p.parent_permit_id = tree.id
    )
    select id from tree`);
  if (rows.length === 0) return [];
  return tx
    .select()
    .from(permits)
    .where(
      and(
        inArray(
          permits.id,
          rows.map((r) => r.id),
        ),
        inArray(permits.status, statuses as never),
      ),
    )
    .orderBy(permits.id)
    .for("update");
}

/** Flag the holder's submitted bids on tenders still open or under evaluation that require one of these permit types. */
async function flagBids(
  tx: Tx,
  changed: Permit[],
  status: "suspended" | "revoked",
  reason: string,
): Promise<number> {
  let flagged = 0;
  for (const permit of changed) {
    const [type] = await tx
      .select({ code: permitTypes.code })
      .from(permitTypes)
      .where(eq(permitTypes.id, permit.permitTypeId));
    const affected = await tx
      .select({ bidId: bids.id })
      .from(bids)
      .innerJoin(tenders, eq(tenders.id, bids.tenderId))
      .where(
        and(
          eq(bids.businessId, permit.holderId),
          eq(bids.status, "submitted"),
          eq(tenders.requiredPermitType, type!.code),
          inArray(tenders.status, ["published", "opened"]),
        ),
      );
    if (affected.length === 0) continue;
    const inserted = await tx
      .insert(bidPermitFlags)
      .values(affected.map((b) => ({ bidId: b.bidId, permitId: permit.id, permitStatus: status, reason })))
      .onConflictDoNothing()
      .returning({ id: bidPermitFlags.id });
    flagged += inserted.length;
  }
  return flagged;
}

async function tellHolder(
  tx: Tx,
  permit: Permit,
  kind: "permitSuspended" | "permitRevoked" | "permitReinstated",
  reason: string,
  baseUrl?: string,
) {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organisationId, permit.holderId), sql`'owner' = any(${memberships.roles})`));
  for (const { userId } of owners)
    await notifyUser(tx, {
      userId,
      kind,
      params: { number: permit.number, reason },
      link: "/permits/mine",
      baseUrl,
    });
}

async function withdraw(input: Change, status: "suspended" | "revoked", db: Db): Promise<StatusChangeResult> {
  return db.transaction(async (tx) => {
    const { permit, type } = await lockPermitOfAgency(tx, input.actor, input.permitId);
    const reason = reasonOf(input.reason);
    const allowed = status === "suspended" ? ["valid"] : ["valid", "suspended", "expired"];
    if (!allowed.includes(permit.status))
      throw new AppError("PERMIT_WRONG_STATUS", { status: permit.status });
    const me = userIdOf(input.actor);
    const [changed] = await tx
      .update(permits)
      .set({ status, statusReason: reason, updatedAt: sql`now()` })
      .where(eq(permits.id, permit.id))
      .returning();
    await tx.insert(permitEvents).values({ permitId: permit.id, kind: status, reason, actorId: me });

    const followers = await dependants(
      tx,
      permit.id,
      status === "suspended" ? ["valid"] : ["valid", "suspended"],
    );
    const cascaded: Permit[] = [];
    for (const follower of followers) {
      const followerReason = `${permit.number}: ${reason}`;
      const [row] = await tx
        .update(permits)
        .set({ status, statusReason: followerReason, updatedAt: sql`now()` })
        .where(eq(permits.id, follower.id))
        .returning();
      await tx.insert(permitEvents).values({
        permitId: follower.id,
        kind: status,
        reason: followerReason,
        causedByPermitId: permit.id,
        actorId: me,
      });
      cascaded.push(row!);
      await tellHolder(
        tx,
        row!,
        status === "suspended" ? "permitSuspended" : "permitRevoked",
        followerReason,
        input.baseUrl,
      );
    }
    const flaggedBids = await flagBids(tx, [changed!, ...cascaded], status, reason);
    await recordAudit(tx, {
      actorUserId: me,
      organisationId: type.agencyId,
      action: `permit.${status}`,
      objectType: "permit",
      objectId: permit.id,
      ip: input.ip ?? null,
      details: { number: permit.number, cascaded: cascaded.map((p) => p.number), flaggedBids },
    });
    await tellHolder(
      tx,
      changed!,
      status === "suspended" ? "permitSuspended" : "permitRevoked",
      reason,
      input.baseUrl,
    );
    return { permit: changed!, cascaded, flaggedBids };
  });
}

export function suspendPermit(input: Change, db: Db): Promise<StatusChangeResult> {
  return withdraw(input, "suspended", db);
}

export function revokePermit(input: Change, db: Db): Promise<StatusChangeResult> {
  return withdraw(input, "revoked", db);
}

/**
 * Lift a suspension. Permits that were suspended because of this one (and
 * not suspended again since for another reason) are lifted with it. A permit
 * whose validity ended meanwhile becomes expired, not valid.
 */
export async function reinstatePermit(input: Change, db: Db): Promise<StatusChangeResult> {
  return db.transaction(async (tx) => {
    const { permit, type } = await lockPermitOfAgency(tx, input.actor, input.permitId);
    const reason = reasonOf(input.reason);
    if (permit.status !== "suspended") throw new AppError("PERMIT_WRONG_STATUS", { status: permit.status });
    const me = userIdOf(input.actor);
    const lift = async (p: Permit, causedBy: string | null) => {
      const [row] = await tx
        .update(permits)
        .set({
          status: sql`case when ${permits.expiresAt} <= now() then 'expired' else 'valid' end`,
          statusReason: null,
          updatedAt: sql`now()`,
        })
        .where(eq(permits.id, p.id))
        .returning();
      await tx
        .insert(permitEvents)
        .values({ permitId: p.id, kind: "reinstated", reason, causedByPermitId: causedBy, actorId: me });
      await tellHolder(tx, row!, "permitReinstated", reason, input.baseUrl);
      return row!;
    };
    const reinstated = await lift(permit, null);
    const cascaded: Permit[] = [];
    for (const follower of await dependants(tx, permit.id, ["suspended"])) {
      const [last] = await tx
        .select()
        .from(permitEvents)
        .where(and(eq(permitEvents.permitId, follower.id), eq(permitEvents.kind, "suspended")))
        .orderBy(desc(permitEvents.at))
        .limit(1);
      if (last?.causedByPermitId !== permit.id) continue;
      cascaded.push(await lift(follower, permit.id));
    }
    await recordAudit(tx, {
      actorUserId: me,
      organisationId: type.agencyId,
      action: "permit.reinstated",
      objectType: "permit",
      objectId: permit.id,
      ip: input.ip ?? null,
      details: { number: permit.number, cascaded: cascaded.map((p) => p.number) },
    });
    return { permit: reinstated, cascaded, flaggedBids: 0 };
  });
}
