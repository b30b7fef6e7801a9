import { char, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { organisations } from "./organisations.ts";

/** Tokens for the /api/v1 HTTP API. Shown once at creation; only the hash is kept. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    organisationId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    scopes: text().array().notNull(),
    /** Hex SHA-256 of the whole token. */
    tokenHash: char({ length: 64 }).notNull().unique(),
    /** The first characters, so people can tell their tokens apart. */
    prefix: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("api_tokens_org_idx").on(t.organisationId)],
);

export type ApiToken = typeof apiTokens.$inferSelect;
