import { char, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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

/**
 * Requests per API token in its current one-minute window (a fixed window),
 * kept in the database so the limit holds across every app process. One row
 * per token, advanced and counted by a single UPSERT per request.
 */
export const apiRateLimits = pgTable("api_rate_limits", {
  tokenId: uuid()
    .primaryKey()
    .references(() => apiTokens.id, { onDelete: "cascade" }),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});
