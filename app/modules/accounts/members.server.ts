import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { invitations, memberships, organisations, sessions, users } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { rolesFor } from "./invitations.server.ts";
import { assertCan } from "./permissions.ts";

/** The roles that administer an organisation: it must always keep at least one holder. */
const ADMIN_ROLES = new Set(["agency_admin", "owner"]);

/** Members and open invitations of the organisation the actor acts for (and only that one). */
export async function listMembers(actor: Actor, db: Queryable) {
  assertCan(actor, "members:invite");
  const organisationId = actor.membership!.organisationId;
  const members = await db
    .select({
      id: memberships.id,
      userId: users.id,
      name: users.displayName,
      email: users.email,
      roles: memberships.roles,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(users.displayName));
  const pending = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      roles: invitations.roles,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.organisationId, organisationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        sql`${invitations.expiresAt} > now()`,
      ),
    )
    .orderBy(asc(invitations.createdAt));
  const org = await db.query.organisations.findFirst({ where: eq(organisations.id, organisationId) });
  return {
    kind: actor.membership!.kind,
    requireSecondFactor: org?.requireSecondFactor ?? false,
    members,
    pending,
  };
}

async function assertAdminRemains(
  tx: Queryable,
  organisationId: string,
  exceptMembershipId: string,
  newRoles: string[],
) {
  if (newRoles.some((r) => ADMIN_ROLES.has(r))) return;
  const others = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        ne(memberships.id, exceptMembershipId),
        sql`${memberships.roles} && array['agency_admin','owner']::text[]`,
      ),
    );
  if (others.length === 0) throw new AppError("LAST_ADMIN");
}

/** Change a member's roles (empty: remove the member). Scoped to the actor's organisation. */
export async function setMemberRoles(
  input: { actor: Actor; membershipId: string; roles: string[]; ip: string | null },
  db: Db,
): Promise<void> {
  assertCan(input.actor, "members:manage");
  const actor = input.actor;
  const organisationId = actor.membership!.organisationId;
  const allowed = rolesFor(actor.membership!.kind);
  if (input.roles.some((r) => !allowed.includes(r)))
    throw new AppError("ROLES_INVALID", {}, { field: "roles" });
  await db.transaction(async (tx) => {
    const [member] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.id, input.membershipId), eq(memberships.organisationId, organisationId)))
      .for("update");
    if (!member) throw new AppError("NOT_FOUND");
    // Serialise admin changes in one organisation, so two admins cannot demote each other at once.
    await tx.execute(
      sql`select 1 from ${organisations} where ${organisations.id} = ${organisationId} for update`,
    );
    await assertAdminRemains(tx, organisationId, member.id, input.roles);
    if (input.roles.length === 0) {
      await tx.delete(memberships).where(eq(memberships.id, member.id));
      await tx
        .update(sessions)
        .set({ organisationId: null })
        .where(and(eq(sessions.userId, member.userId), eq(sessions.organisationId, organisationId)));
    } else {
      await tx.update(memberships).set({ roles: input.roles }).where(eq(memberships.id, member.id));
    }
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId,
      action: input.roles.length === 0 ? "members.removed" : "members.roles_changed",
      objectType: "membership",
      objectId: member.id,
      ip: input.ip,
      details: { userId: member.userId, before: member.roles, after: input.roles },
    });
  });
}

export async function revokeInvitation(
  input: { actor: Actor; invitationId: string; ip: string | null },
  db: Db,
): Promise<void> {
  assertCan(input.actor, "members:invite");
  const actor = input.actor;
  const organisationId = actor.membership!.organisationId;
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(invitations.id, input.invitationId),
          eq(invitations.organisationId, organisationId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning();
    if (!revoked) throw new AppError("NOT_FOUND");
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId,
      action: "members.invitation_revoked",
      objectType: "invitation",
      objectId: revoked.id,
      ip: input.ip,
      details: { email: revoked.email },
    });
  });
}

/** The organisations a user belongs to, for the switcher. */
export async function listMyOrganisations(userId: string, db: Queryable) {
  return db
    .select({
      id: organisations.id,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      kind: organisations.kind,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organisations.nameEn));
}

/** Act for another of one's organisations in this session. */
export async function switchOrganisation(
  input: { actor: Actor; sessionId: string; organisationId: string; ip: string | null },
  db: Db,
): Promise<void> {
  if (input.actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const actor = input.actor;
  await db.transaction(async (tx) => {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, actor.userId), eq(memberships.organisationId, input.organisationId)));
    if (!member) throw new AppError("NOT_FOUND");
    await tx
      .update(sessions)
      .set({ organisationId: input.organisationId })
      .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, actor.userId)));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: input.organisationId,
      action: "auth.organisation_switched",
      objectType: "organisation",
      objectId: input.organisationId,
      ip: input.ip,
    });
  });
}
