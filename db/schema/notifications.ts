import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

/**
 * In-app notifications: what a user is told inside the app (an information
 * request, an expiry reminder, a new tender matching a saved search). The text
 * is rendered in the reader's language from `kind` and `params` when shown, so
 * a user who switches language reads it in the new one.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** `notifications.<kind>` in the locale files. */
    kind: text().notNull(),
    params: jsonb().$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    /** A path inside the app, e.g. /permits/applications/<id>. */
    link: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("notifications_user_unread_idx").on(t.userId, t.createdAt).where(sql`${t.readAt} is null`)],
);

export type Notification = typeof notifications.$inferSelect;
