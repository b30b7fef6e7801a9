import { and, eq } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { memberships, organisations, type Session } from "#db/schema/index.ts";
import { type Actor, AGENCY_ROLES, ANONYMOUS, BUSINESS_ROLES, type Membership } from "./actor.ts";
import { type SessionPolicy, validateSessionToken } from "./sessions.server.ts";
import { secondFactorRequired } from "./totp.server.ts";

function toMembership(kind: string, organisationId: string, roles: string[]): Membership | null {
  if (kind === "agency")
    return {
      organisationId,
      kind,
      roles: roles.filter((r) => (AGENCY_ROLES as readonly string[]).includes(r)) as never,
    };
  if (kind === "business")
    return {
      organisationId,
      kind,
      roles: roles.filter((r) => (BUSINESS_ROLES as readonly string[]).includes(r)) as never,
    };
  if (kind === "platform" && roles.includes("platform_admin"))
    return { organisationId, kind, roles: ["platform_admin"] };
  return null;
}

/** The actor behind a session token (anonymous when the token is missing, unknown or expired). */
export async function resolveActor(
  db: Queryable,
  token: string | null,
  policy: SessionPolicy,
): Promise<{ actor: Actor; session: Session | null; mustEnrolSecondFactor?: boolean }> {
  if (!token) return { actor: ANONYMOUS, session: null };
  const found = await validateSessionToken(db, token, policy);
  if (!found) return { actor: ANONYMOUS, session: null };
  const { session, user } = found;
  // Waiting for the TOTP code: nobody is signed in yet, but the code page needs the session.
  if (session.secondFactorPending) return { actor: ANONYMOUS, session };
  let membership: Membership | null = null;
  if (session.organisationId) {
    const [row] = await db
      .select({ roles: memberships.roles, kind: organisations.kind })
      .from(memberships)
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(and(eq(memberships.userId, user.id), eq(memberships.organisationId, session.organisationId)));
    if (row) membership = toMembership(row.kind, session.organisationId, row.roles);
  }
  return {
    actor: { type: "user", userId: user.id, displayName: user.displayName, email: user.email, membership },
    session,
    mustEnrolSecondFactor: user.totpEnabledAt === null && (await secondFactorRequired(db, user.id)),
  };
}
