import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  char,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { organisations } from "./organisations.ts";

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Kept as typed; uniqueness and sign-in compare lower(email). */
    email: text().notNull(),
    emailVerifiedAt: timestamp({ withTimezone: true }),
    displayName: text().notNull(),
    /** argon2id PHC string. */
    passwordHash: text().notNull(),
    /** "ar" or "en": the language of e-mails we send. */
    language: char({ length: 2 }).notNull().default("ar"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp({ withTimezone: true }),
    /** TOTP key (base64), once the user confirmed it with a code. */
    totpKey: text(),
    totpEnabledAt: timestamp({ withTimezone: true }),
    /** A key being set up, not yet confirmed. */
    totpPendingKey: text(),
    /** The last accepted TOTP time step: a code is never accepted twice. */
    totpLastStep: bigint({ mode: "bigint" }),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

/**
 * Sessions per Lucia's design: the cookie holds a random token; only its
 * SHA-256 is stored (as the id), so a copy of this table signs nobody in.
 */
export const sessions = pgTable(
  "sessions",
  {
    /** Hex SHA-256 of the session token. */
    id: char({ length: 64 }).primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The organisation the user acts for in this session. */
    organisationId: uuid().references(() => organisations.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Sliding: moves forward with activity, never past absoluteExpiresAt. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp({ withTimezone: true }).notNull(),
    ip: inet(),
    userAgent: text(),
    /** Password accepted, TOTP code still to come: the session signs nobody in yet. */
    secondFactorPending: boolean().notNull().default(false),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    roles: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("memberships_user_org_key").on(t.userId, t.organisationId),
    index("memberships_org_idx").on(t.organisationId),
  ],
);

/** Sign-in attempts, for throttling per account and per address. */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigserial({ mode: "bigint" }).primaryKey(),
    email: text().notNull(),
    ip: inet(),
    succeeded: boolean().notNull(),
    attemptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sign_in_attempts_email_idx").on(sql`lower(${t.email})`, t.attemptedAt),
    index("sign_in_attempts_ip_idx").on(t.ip, t.attemptedAt),
  ],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    /** Gap-free order of the chain (assigned under a lock). */
    seq: bigserial({ mode: "bigint" }).primaryKey(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid(),
    organisationId: uuid(),
    action: text().notNull(),
    objectType: text(),
    objectId: text(),
    ip: inet(),
    /** Details of the change (never secrets). */
    details: jsonb().notNull().default({}),
    /** SHA-256 of the previous event's hash; 64 zeros for the first. */
    prevHash: char({ length: 64 }).notNull(),
    /** SHA-256 over prevHash and this event's canonical content. */
    hash: char({ length: 64 }).notNull(),
    version: integer().notNull().default(1),
  },
  (t) => [
    index("audit_events_org_idx").on(t.organisationId, t.seq),
    index("audit_events_actor_idx").on(t.actorUserId, t.seq),
  ],
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
