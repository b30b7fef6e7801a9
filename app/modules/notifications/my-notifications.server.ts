import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { notifications } from "#db/schema/index.ts";

/** The signed-in user's latest notifications, newest first. */
export async function myNotifications(actor: Actor, db: Queryable) {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, actor.userId))
    .orderBy(desc(notifications.createdAt))
    .limit(100);
}

/** How many are unread (for the header). */
export async function unreadCount(userId: string, db: Queryable): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function markAllRead(actor: Actor, db: Queryable): Promise<void> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, actor.userId), isNull(notifications.readAt)));
}
