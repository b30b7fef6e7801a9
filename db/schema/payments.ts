import { sql } from "drizzle-orm";
import { bigint, char, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations.ts";

/**
 * A fee a business pays an agency. Captured money can be refunded, in one or
 * several parts, never beyond what was captured: the database checks it too.
 */
export const payments = pgTable(
  "payments",
  {
    id: uuid().primaryKey().defaultRandom(),
    payerId: uuid()
      .notNull()
      .references(() => organisations.id),
    payeeId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** tender_document, bid_submission, permit, complaint, ... */
    feeType: text().notNull(),
    currency: char({ length: 3 }).notNull(),
    amount: bigint({ mode: "bigint" }).notNull(),
    /** bank_transfer, counter, stripe */
    method: text().notNull(),
    /** The reference a payer quotes on a bank transfer or at the counter. */
    reference: text().notNull(),
    status: text({ enum: ["pending", "captured", "failed"] })
      .notNull()
      .default("pending"),
    capturedAmount: bigint({ mode: "bigint" }).notNull().default(sql`0`),
    refundedAmount: bigint({ mode: "bigint" }).notNull().default(sql`0`),
    providerReference: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    capturedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("payments_reference_key").on(t.reference),
    index("payments_payer_idx").on(t.payerId),
    index("payments_payee_idx").on(t.payeeId),
    check("payments_amount_positive", sql`${t.amount} > 0`),
    check("payments_captured_range", sql`${t.capturedAmount} between 0 and ${t.amount}`),
    check("payments_refunds_within_capture", sql`${t.refundedAmount} between 0 and ${t.capturedAmount}`),
  ],
);

export const refunds = pgTable(
  "refunds",
  {
    id: uuid().primaryKey().defaultRandom(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    amount: bigint({ mode: "bigint" }).notNull(),
    reason: text({ enum: ["tender_cancelled", "complaint_upheld", "duplicate_payment", "other"] }).notNull(),
    note: text(),
    idempotencyKey: text().notNull().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("refunds_payment_idx").on(t.paymentId),
    check("refunds_amount_positive", sql`${t.amount} > 0`),
  ],
);

/** A bid security: held at submission, then released or forfeited exactly once. */
export const bidSecurityHolds = pgTable(
  "bid_security_holds",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    agencyId: uuid()
      .notNull()
      .references(() => organisations.id),
    currency: char({ length: 3 }).notNull(),
    amount: bigint({ mode: "bigint" }).notNull(),
    /** What it secures, e.g. a bid id. */
    subject: text().notNull(),
    status: text({ enum: ["held", "released", "forfeited"] })
      .notNull()
      .default("held"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("bid_security_holds_subject_key").on(t.subject),
    check("bid_security_holds_amount_positive", sql`${t.amount} > 0`),
    check("bid_security_holds_resolution", sql`(${t.status} = 'held') = (${t.resolvedAt} is null)`),
  ],
);

export type Payment = typeof payments.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type BidSecurityHold = typeof bidSecurityHolds.$inferSelect;
