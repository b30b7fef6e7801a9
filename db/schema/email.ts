import { char, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

/**
 * Every e-mail Shafaf sends, written in the same transaction as the change
 * that caused it (a transactional outbox). With SMTP configured a job delivers
 * it and stamps `sentAt`; without, it stays here for a platform admin to read.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid().primaryKey().defaultRandom(),
    toAddress: text().notNull(),
    language: char({ length: 2 }).notNull(),
    template: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    lastError: text(),
  },
  (t) => [index("email_outbox_created_idx").on(t.createdAt)],
);

/** Single-use links sent by e-mail (verify address, reset password). Only the token's hash is kept. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    /** Hex SHA-256 of the token in the link. */
    id: char({ length: 64 }).primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text({ enum: ["verify_email", "reset_password"] }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("email_tokens_user_idx").on(t.userId, t.purpose)],
);

export type OutboxEmail = typeof emailOutbox.$inferSelect;
