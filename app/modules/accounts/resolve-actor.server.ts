import type { Queryable } from "#db/client.server.ts";
import type { Session } from "#db/schema/index.ts";
import { type Actor, AGENCY_ROLES, ANONYMOUS, BUSINESS_ROLES, type Membership } from "./actor.ts";
import { type SessionPolicy, validateSessionToken } from "./sessions.server.ts";

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
  // Read with the session: the roles in the organisation acted for, and whether any of the
  // user's organisations requires a second factor (only asked while the user has none).
  const rows = found.memberships;
  const own = rows.find((r) => r.organisationId === session.organisationId);
  const membership: Membership | null = own ? toMembership(own.kind, own.organisationId, own.roles) : null;
  return {
    actor: { type: "user", userId: user.id, displayName: user.displayName, email: user.email, membership },
    session,
    mustEnrolSecondFactor: user.totpEnabledAt === null && rows.some((r) => r.requiresSecondFactor),
  };
}
