import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { organisations } from "./organisations.ts";
import { FEE_TYPES, REFUND_REASONS } from "./payment-kinds.ts";

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
    /** What it pays for, e.g. "tender:<id>" or "permit_application:<id>": one open payment per payer and subject. */
    subject: text(),
    /** The Stripe Checkout Session of a card payment. */
    stripeSessionId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    capturedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("payments_reference_key").on(t.reference),
    uniqueIndex("payments_stripe_session_key").on(t.stripeSessionId),
    uniqueIndex("payments_open_subject_key")
      .on(t.payerId, t.feeType, t.subject)
      .where(sql`${t.status} <> 'failed' and ${t.subject} is not null`),
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
    reason: text({ enum: REFUND_REASONS }).notNull(),
    note: text(),
    /** stripe (sent back to the card) or bank_transfer (paid out by the agency and recorded here). */
    method: text({ enum: ["stripe", "bank_transfer"] })
      .notNull()
      .default("bank_transfer"),
    /** Stripe's refund id, or the bank transfer's reference. */
    providerReference: text(),
    recordedBy: uuid().references(() => users.id),
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

/**
 * What an agency charges: a fixed amount, or a percentage of a base (a bid's
 * price, a tender's estimate) kept between a minimum and a maximum; always in
 * the agency's currency. Permit fees are per permit type (`subject`).
 */
export const feeSchedules = pgTable(
  "fee_schedules",
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => organisations.id),
    feeType: text({ enum: FEE_TYPES }).notNull(),
    /** For permit fees: the permit type's code; otherwise empty. */
    subject: text().notNull().default(""),
    calculation: text({ enum: ["fixed", "percentage"] }).notNull(),
    currency: char({ length: 3 }).notNull(),
    /** Fixed fees: the amount in minor units. */
    fixedAmount: bigint({ mode: "bigint" }),
    /** Percentage fees: hundredths of a percent (150 = 1.5%). */
    rateBasisPoints: integer(),
    minimumAmount: bigint({ mode: "bigint" }),
    maximumAmount: bigint({ mode: "bigint" }),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("fee_schedules_agency_fee_key").on(t.agencyId, t.feeType, t.subject),
    check(
      "fee_schedules_shape",
      sql`(${t.calculation} = 'fixed' and ${t.fixedAmount} > 0 and ${t.rateBasisPoints} is null)
       or (${t.calculation} = 'percentage' and ${t.fixedAmount} is null and ${t.rateBasisPoints} between 1 and 10000)`,
    ),
    check(
      "fee_schedules_bounds",
      sql`coalesce(${t.minimumAmount}, 0) >= 0 and (${t.maximumAmount} is null or ${t.maximumAmount} >= coalesce(${t.minimumAmount}, 0))`,
    ),
  ],
);

/** How to pay an agency other than by card, and its dual-control limit. */
export const agencyPaymentSettings = pgTable("agency_payment_settings", {
  agencyId: uuid()
    .primaryKey()
    .references(() => organisations.id),
  bankName: text().notNull().default(""),
  accountName: text().notNull().default(""),
  iban: text().notNull().default(""),
  /** Where and when to pay at the counter, in each language. */
  counterAr: text().notNull().default(""),
  counterEn: text().notNull().default(""),
  /** A receipt at or above this amount (minor units) needs a second finance officer. */
  secondOfficerFrom: bigint({ mode: "bigint" }).notNull().default(sql`0`),
  /** When a tender is cancelled, its captured document fees are refunded (decision 017). */
  refundDocumentFeesOnCancellation: boolean().notNull().default(true),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A bank statement file imported by a finance officer. */
export const bankStatementImports = pgTable("bank_statement_imports", {
  id: uuid().primaryKey().defaultRandom(),
  agencyId: uuid()
    .notNull()
    .references(() => organisations.id),
  fileName: text().notNull(),
  sha256: char({ length: 64 }).notNull(),
  importedBy: uuid()
    .notNull()
    .references(() => users.id),
  lineCount: integer().notNull(),
  matchedCount: integer().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** One credit line of a statement and what became of it. */
export const bankStatementLines = pgTable(
  "bank_statement_lines",
  {
    id: uuid().primaryKey().defaultRandom(),
    importId: uuid()
      .notNull()
      .references(() => bankStatementImports.id),
    agencyId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** The bank's own id of the line: the same line imported twice is recognised. */
    bankTransactionId: text().notNull(),
    bookedOn: date().notNull(),
    amount: bigint({ mode: "bigint" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    description: text().notNull(),
    /** The payment reference found in the description, if any. */
    reference: text(),
    outcome: text({
      enum: [
        "matched",
        "no_reference",
        "unknown_reference",
        "amount_mismatch",
        "currency_mismatch",
        "already_paid",
      ],
    }).notNull(),
    paymentId: uuid().references(() => payments.id),
  },
  (t) => [
    unique("bank_statement_lines_bank_id_key").on(t.agencyId, t.bankTransactionId),
    index("bank_statement_lines_import_idx").on(t.importId),
  ],
);

/**
 * Money received for a payment outside Stripe (bank transfer or counter),
 * recorded by a finance officer or matched from a statement. At or above the
 * agency's limit it waits for a second, different finance officer.
 */
export const paymentReceipts = pgTable(
  "payment_receipts",
  {
    id: uuid().primaryKey().defaultRandom(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    amount: bigint({ mode: "bigint" }).notNull(),
    bankReference: text().notNull(),
    receivedOn: date().notNull(),
    source: text({ enum: ["manual", "statement"] }).notNull(),
    statementLineId: uuid().references(() => bankStatementLines.id),
    status: text({ enum: ["awaiting_confirmation", "confirmed", "rejected"] }).notNull(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One live receipt per payment: two officers cannot record the same money twice.
    uniqueIndex("payment_receipts_live_key").on(t.paymentId).where(sql`${t.status} <> 'rejected'`),
    check("payment_receipts_four_eyes", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.recordedBy}`),
  ],
);

/** Each Stripe event handled once: a redelivery finds its id here and changes nothing. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text().primaryKey(),
    type: text().notNull(),
    objectId: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set once the object's current state was read from Stripe and applied; a job retries until then. */
    processedAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastError: text(),
  },
  (t) => [index("stripe_events_unprocessed_idx").on(t.receivedAt).where(sql`${t.processedAt} is null`)],
);

export type Payment = typeof payments.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type BidSecurityHold = typeof bidSecurityHolds.$inferSelect;
export type FeeSchedule = typeof feeSchedules.$inferSelect;
export type AgencyPaymentSettings = typeof agencyPaymentSettings.$inferSelect;
export type PaymentReceipt = typeof paymentReceipts.$inferSelect;
export type BankStatementLine = typeof bankStatementLines.$inferSelect;
