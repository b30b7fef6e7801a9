import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { preparedPerHandle } from "#db/prepared.server.ts";
import { type Session, sessions, type User, users } from "#db/schema/index.ts";

/**
 * Sessions per Lucia's design (lucia-auth.com): the browser holds a random
 * token (160 bits); the database holds only SHA-256(token) as the session id.
 * A session ends after `idleMinutes` without a request (each request slides
 * the expiry forward) and in any case `absoluteHours` after sign-in.
 */
export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  db: Queryable,
  input: {
    userId: string;
    organisationId: string | null;
    ip: string | null;
    userAgent: string | null;
    secondFactorPending?: boolean;
  },
  policy: SessionPolicy,
): Promise<{ token: string; session: Session }> {
  const token = generateSessionToken();
  const [session] = await db
    .insert(sessions)
    .values({
      id: sessionIdOf(token),
      userId: input.userId,
      organisationId: input.organisationId,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 400) ?? null,
      secondFactorPending: input.secondFactorPending ?? false,
      // Times from the database clock, like every deadline in Shafaf.
      expiresAt: sql`now() + make_interval(mins => ${policy.idleMinutes})`,
      absoluteExpiresAt: sql`now() + make_interval(hours => ${policy.absoluteHours})`,
    })
    .returning();
  return { token, session: session! };
}

/** A membership read with the session (see sessionById below), for resolving the actor. */
export interface SessionMembershipRow {
  organisationId: string;
  roles: string[];
  kind: string;
  requiresSecondFactor: boolean;
}

/**
 * Every request of a signed-in user starts here, so this is one prepared
 * statement: the session, its user, and the memberships resolving the actor
 * needs — the one in the organisation the session acts for, and, while the
 * user has no second factor, any in an organisation that requires one.
 */
const sessionById = preparedPerHandle((db) =>
  db
    .select({
      session: sessions,
      user: users,
      live: sql<boolean>`${sessions.expiresAt} > now() and ${sessions.absoluteExpiresAt} > now()`,
      stale: sql<boolean>`${sessions.lastSeenAt} < now() - interval '1 minute'`,
      memberships: sql<SessionMembershipRow[]>`(
        select coalesce(json_agg(json_build_object('organisationId', m.organisation_id, 'roles', m.roles,
                                                   'kind', o.kind, 'requiresSecondFactor', o.require_second_factor)),
                        '[]'::json)
        from memberships m join organisations o on o.id = m.organisation_id
        where m.user_id = ${users.id}
          and (m.organisation_id = ${sessions.organisationId}
               or (${users.totpEnabledAt} is null and o.require_second_factor)))`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .prepare("session_by_id"),
);

/**
 * The session and user for a token (with the memberships above), or null when
 * there is none, it has expired (idle or absolute), or the user is disabled.
 * A valid session's expiry slides forward (written at most once a minute).
 */
export async function validateSessionToken(
  db: Queryable,
  token: string,
  policy: SessionPolicy,
): Promise<{ session: Session; user: User; memberships: SessionMembershipRow[] } | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdOf(token);
  const [row] = await sessionById(db).execute({ id });
  if (!row) return null;
  if (!row.live || row.user.disabledAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  // Sliding the expiry once a minute is enough; most requests read and go.
  if (!row.stale) return { session: row.session, user: row.user, memberships: row.memberships };
  const [slid] = await db
    .update(sessions)
    .set({
      lastSeenAt: sql`now()`,
      expiresAt: sql`least(now() + make_interval(mins => ${policy.idleMinutes}), ${sessions.absoluteExpiresAt})`,
    })
    .where(and(eq(sessions.id, id), sql`${sessions.lastSeenAt} < now() - interval '1 minute'`))
    .returning();
  return { session: slid ?? row.session, user: row.user, memberships: row.memberships };
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** End every session of a user, or every one but `except` (after a password change). */
export async function invalidateUserSessions(
  db: Queryable,
  userId: string,
  except?: string,
): Promise<number> {
  const ended = await db
    .delete(sessions)
    .where(except ? and(eq(sessions.userId, userId), ne(sessions.id, except)) : eq(sessions.userId, userId))
    .returning({ id: sessions.id });
  return ended.length;
}
