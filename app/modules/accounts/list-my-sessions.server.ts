import { and, desc, eq } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { sessions } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";

type UserActor = Extract<Actor, { type: "user" }>;

/** A user's own sessions, newest first. Only ever the asker's own. */
export async function listMySessions(actor: UserActor, db: Queryable) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.userId, actor.userId))
    .orderBy(desc(sessions.lastSeenAt));
}

/**
 * End one of the asker's sessions. Scoped by user id in the query itself, so a
 * guessed id of someone else's session is simply "not found".
 */
export async function revokeMySession(
  actor: UserActor,
  sessionId: string,
  ip: string | null,
  db: Db,
): Promise<void> {
  await db.transaction(async (tx) => {
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId)))
      .returning({ id: sessions.id });
    if (ended.length === 0) throw new AppError("NOT_FOUND");
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: actor.membership?.organisationId ?? null,
      action: "auth.session_revoked",
      objectType: "session",
      objectId: sessionId.slice(0, 12),
      ip,
    });
  });
}
