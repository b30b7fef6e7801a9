import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Facts about this installation, e.g. when the demo data was seeded. */
export const appMeta = pgTable("app_meta", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The platform's own pulse: a row a minute while it runs. A gap between two
 * beats is a time the platform was unavailable, which officers are told about
 * when it falls just before a deadline.
 */
export const platformHeartbeats = pgTable("platform_heartbeats", {
  at: timestamp({ withTimezone: true }).primaryKey().defaultNow(),
});
