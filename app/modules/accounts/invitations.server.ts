import { and, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { Language } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable, Tx } from "#db/client.server.ts";
import { invitations, memberships, type Organisation, organisations, users } from "#db/schema/index.ts";
import { type Actor, AGENCY_ROLES, BUSINESS_ROLES } from "./actor.ts";
import { assertCan } from "./permissions.ts";
import { generateSessionToken, sessionIdOf } from "./sessions.server.ts";

export const INVITATION_DAYS = 7;

type UserActor = Extract<Actor, { type: "user" }>;

/** Roles an organisation of this kind can hand out. */
export function rolesFor(kind: "agency" | "business" | "platform"): readonly string[] {
  return kind === "agency" ? AGENCY_ROLES : kind === "business" ? BUSINESS_ROLES : [];
}

function assertRoles(kind: "agency" | "business" | "platform", roles: string[]): void {
  const allowed = rolesFor(kind);
  if (roles.length === 0 || roles.some((r) => !allowed.includes(r)))
    throw new AppError("ROLES_INVALID", {}, { field: "roles" });
}

/** Invite someone by e-mail into the organisation the actor acts for. */
export async function inviteMember(
  input: {
    actor: Actor;
    email: string;
    roles: string[];
    language: Language;
    baseUrl: string;
    ip: string | null;
  },
  db: Db,
): Promise<{ invitationId: string }> {
  assertCan(input.actor, "members:invite");
  const actor = input.actor;
  const organisationId = actor.membership!.organisationId;
  const email = input.email.trim();
  assertRoles(actor.membership!.kind, input.roles);
  return db.transaction(async (tx) => {
    const org = (await tx.query.organisations.findFirst({ where: eq(organisations.id, organisationId) }))!;
    const [already] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(eq(memberships.organisationId, organisationId), sql`lower(${users.email}) = lower(${email})`),
      );
    if (already) throw new AppError("ALREADY_MEMBER", {}, { field: "email" });
    return createInvitation(tx, {
      organisation: org,
      email,
      roles: input.roles,
      inviter: { userId: actor.userId, name: actor.displayName },
      language: input.language,
      baseUrl: input.baseUrl,
      ip: input.ip,
    });
  });
}

/**
 * Write an invitation and its e-mail (inside the caller's transaction). Any
 * earlier open invitation of the same address to the same organisation stops working.
 */
export async function createInvitation(
  tx: Tx,
  input: {
    organisation: Organisation;
    email: string;
    roles: string[];
    inviter: { userId: string; name: string };
    language: Language;
    baseUrl: string;
    ip: string | null;
  },
): Promise<{ invitationId: string }> {
  const { organisation: org, email } = input;
  const organisationId = org.id;
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.organisationId, organisationId),
        sql`lower(${invitations.email}) = lower(${email})`,
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
  const token = generateSessionToken();
  const [invitation] = await tx
    .insert(invitations)
    .values({
      organisationId,
      email,
      roles: input.roles,
      tokenHash: sessionIdOf(token),
      invitedBy: input.inviter.userId,
      expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
    })
    .returning();
  await queueEmail(tx, {
    to: email,
    language: input.language,
    template: "invitation",
    params: {
      inviter: input.inviter.name,
      organisation: input.language === "ar" ? org.nameAr : org.nameEn,
      link: `${input.baseUrl}/invitations/${token}`,
      days: String(INVITATION_DAYS),
    },
  });
  await recordAudit(tx, {
    actorUserId: input.inviter.userId,
    organisationId,
    action: "members.invited",
    objectType: "invitation",
    objectId: invitation!.id,
    ip: input.ip,
    details: { email, roles: input.roles },
  });
  return { invitationId: invitation!.id };
}

/** The invitation behind a link, for the page that shows it. */
export async function findInvitation(token: string, db: Queryable) {
  if (!/^[a-z2-7]{32}$/.test(token)) throw new AppError("LINK_INVALID");
  const [row] = await db
    .select({
      invitation: invitations,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      live: sql<boolean>`${invitations.expiresAt} > now()`,
    })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
    .where(eq(invitations.tokenHash, sessionIdOf(token)));
  if (!row || row.invitation.revokedAt) throw new AppError("LINK_INVALID");
  if (row.invitation.acceptedAt) throw new AppError("LINK_USED");
  if (!row.live) throw new AppError("LINK_EXPIRED");
  return row;
}

/**
 * Accept an invitation as the signed-in user it was sent to (matched by
 * e-mail address). Roles are added to any membership the user already has.
 */
export async function acceptInvitation(
  input: { actor: UserActor; token: string; ip: string | null },
  db: Db,
): Promise<{ organisationId: string }> {
  return db.transaction(async (tx) => {
    const { invitation } = await findInvitation(input.token, tx);
    const locked = await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedBy: input.actor.userId })
      .where(
        and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
      )
      .returning();
    if (locked.length === 0) throw new AppError("LINK_USED");
    if (invitation.email.toLowerCase() !== input.actor.email.toLowerCase())
      throw new AppError("INVITATION_EMAIL_MISMATCH");
    await tx
      .insert(memberships)
      .values({
        userId: input.actor.userId,
        organisationId: invitation.organisationId,
        roles: invitation.roles,
      })
      .onConflictDoUpdate({
        target: [memberships.userId, memberships.organisationId],
        set: {
          roles: sql`(select array_agg(distinct r) from unnest(${memberships.roles} || excluded.roles) as r)`,
        },
      });
    // Following the link proves the address.
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, input.actor.userId));
    await recordAudit(tx, {
      actorUserId: input.actor.userId,
      organisationId: invitation.organisationId,
      action: "members.invitation_accepted",
      objectType: "invitation",
      objectId: invitation.id,
      ip: input.ip,
      details: { roles: invitation.roles },
    });
    return { organisationId: invitation.organisationId };
  });
}
