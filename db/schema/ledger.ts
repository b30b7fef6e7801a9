import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  char,
  check,
  foreignKey,
  index,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { organisations } from "./organisations.ts";

/**
 * The double-entry ledger. Invariants the database itself enforces (see the
 * ledger_invariants migration): a transaction's postings sum to zero per
 * currency; a posting's currency is its account's; transactions and postings
 * are never updated or deleted (corrections are reversing transactions); an
 * account's balance moves only with its postings.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Null for the platform's own accounts (e.g. provider clearing). */
    organisationId: uuid().references(() => organisations.id),
    /** business_payments, agency_revenue, provider_clearing, bid_security_escrow, refunds_payable, ... */
    purpose: text().notNull(),
    /** For revenue accounts: which fee (tender_document, bid_submission, permit, complaint, ...). */
    feeType: text(),
    currency: char({ length: 3 }).notNull(),
    /** Kept by a trigger from the postings; ledger:verify recomputes it. */
    balance: bigint({ mode: "bigint" }).notNull().default(sql`0`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ledger_accounts_identity_key")
      .on(t.organisationId, t.purpose, t.feeType, t.currency)
      .nullsNotDistinct(),
    unique("ledger_accounts_id_currency_key").on(t.id, t.currency),
    check("ledger_accounts_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Order of the ledger; checkpoints close ranges of it. */
    seq: bigserial({ mode: "bigint" }).notNull().unique(),
    /** The same key twice is the same transaction once. */
    idempotencyKey: text().notNull().unique(),
    kind: text().notNull(),
    /** The business object behind it, e.g. payment 7c1…, permit application 91e…. */
    referenceType: text(),
    referenceId: text(),
    description: text(),
    /** A correction names the transaction it reverses. */
    reverses: uuid(),
    /** SHA-256 of the transaction's canonical content (key, kind, reference, postings). */
    contentHash: char({ length: 64 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The top-level database transaction that wrote it: postings may only join in that one. */
    createdXid: bigint({ mode: "bigint" }).notNull().default(sql`txid_current()`),
  },
  (t) => [
    index("ledger_transactions_reference_idx").on(t.referenceType, t.referenceId),
    foreignKey({ columns: [t.reverses], foreignColumns: [t.id], name: "ledger_transactions_reverses_fk" }),
  ],
);

export const ledgerPostings = pgTable(
  "ledger_postings",
  {
    id: bigserial({ mode: "bigint" }).primaryKey(),
    /**
     * Its transaction and account (with the same currency) are checked by the
     * ledger's statement trigger rather than by foreign keys: one set-based
     * check per batch instead of two lookups per posting (decision 010).
     */
    transactionId: uuid().notNull(),
    accountId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    /** Signed minor units: debit positive, credit negative. */
    amount: bigint({ mode: "bigint" }).notNull(),
  },
  (t) => [
    index("ledger_postings_transaction_idx").on(t.transactionId),
    index("ledger_postings_account_idx").on(t.accountId),
    check("ledger_postings_nonzero", sql`${t.amount} <> 0`),
  ],
);

export type LedgerAccount = typeof ledgerAccounts.$inferSelect;
export type LedgerTransaction = typeof ledgerTransactions.$inferSelect;
export type LedgerPosting = typeof ledgerPostings.$inferSelect;

/**
 * A signed statement that closes a batch of ledger transactions: every
 * transaction whose writing database transaction had finished by the time of
 * the checkpoint and was not closed before (by top-level transaction id, so no
 * late commit can fall between two checkpoints). Each checkpoint chains to the
 * previous one and is signed with the platform's Ed25519 key.
 */
export const ledgerCheckpoints = pgTable("ledger_checkpoints", {
  id: bigserial({ mode: "bigint" }).primaryKey(),
  /** Closes transactions with xidFrom <= created_xid < xidTo. */
  xidFrom: bigint({ mode: "bigint" }).notNull(),
  xidTo: bigint({ mode: "bigint" }).notNull(),
  transactionCount: bigint({ mode: "bigint" }).notNull(),
  /** Hash chain over the closed transactions' content hashes, in seq order, from the previous checkpoint's hash. */
  root: char({ length: 64 }).notNull(),
  previousHash: char({ length: 64 }).notNull(),
  /** SHA-256 of this checkpoint's signed statement: what the next one chains from. */
  hash: char({ length: 64 }).notNull(),
  /** Base64 Ed25519 signature over the statement. */
  signature: text().notNull(),
  keyId: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type LedgerCheckpoint = typeof ledgerCheckpoints.$inferSelect;
