import { desc } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import type { Queryable } from "#db/client.server.ts";
import { emailOutbox } from "#db/schema/index.ts";

/** The newest messages in the outbox, for the platform admin (where mail goes when SMTP is off). */
export async function listOutbox(actor: Actor, db: Queryable, limit = 50) {
  assertCan(actor, "admin:outbox:read");
  return db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
}
