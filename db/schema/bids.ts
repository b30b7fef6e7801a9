import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { organisations } from "./organisations.ts";
import { tenders } from "./tenders.ts";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * A business's bid on a tender: one per business and tender; each submission
 * is a new sealed version (the latest counts, the history stays). Content is
 * only ever stored sealed (AES-256-GCM with the tender's data key) until the
 * opening: officers, admins and the database see ciphertext.
 */
export const bids = pgTable(
  "bids",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id),
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    status: text({ enum: ["draft", "submitted", "withdrawn"] })
      .notNull()
      .default("draft"),
    /** The working copy before submission, sealed like a submission. */
    draftSealed: bytea(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("bids_tender_business_key").on(t.tenderId, t.businessId)],
);

export const bidVersions = pgTable(
  "bid_versions",
  {
    id: uuid().primaryKey().defaultRandom(),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    version: integer().notNull(),
    /** v1 | iv | tag | ciphertext of the bid's content (prices per lot, responses). */
    sealed: bytea().notNull(),
    /** SHA-256 of the sealed bytes: what the receipt signs (a hash of the plaintext would leak a guessable price). */
    sealedSha256: char({ length: 64 }).notNull(),
    /** The database clock when the bid was accepted, to the microsecond, as signed. */
    receivedAt: timestamp({ withTimezone: true, precision: 6 }).notNull(),
    receivedAtText: text().notNull(),
    /** The signed receipt statement and its Ed25519 signature. */
    receiptStatement: text().notNull(),
    receiptSignature: text().notNull(),
    receiptKeyId: text().notNull(),
    status: text({ enum: ["submitted", "superseded", "withdrawn"] })
      .notNull()
      .default("submitted"),
    /** An amendment after submission: the bidder must reconfirm before the bid counts. */
    reconfirmRequired: boolean().notNull().default(false),
    submittedBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    unique("bid_versions_version_key").on(t.bidId, t.version),
    // At most one version of a bid counts at a time.
    uniqueIndex("bid_versions_one_current_key").on(t.bidId).where(sql`${t.status} = 'submitted'`),
    index("bid_versions_received_idx").on(t.receivedAt),
  ],
);

/**
 * The opening of a tender's bids: one officer starts it, a different one
 * confirms it; only then are bids unsealed and the opening record written.
 */
export const tenderOpenings = pgTable(
  "tender_openings",
  {
    tenderId: uuid()
      .primaryKey()
      .references(() => tenders.id),
    startedBy: uuid()
      .notNull()
      .references(() => users.id),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    confirmedBy: uuid().references(() => users.id),
    confirmedAt: timestamp({ withTimezone: true }),
    /** Bidders, prices per lot and times of receipt, as read at the opening. */
    record: jsonb().$type<OpeningRecordEntry[]>(),
  },
  (t) => [
    check(
      "tender_openings_two_officers",
      sql`${t.confirmedBy} is null or ${t.confirmedBy} <> ${t.startedBy}`,
    ),
  ],
);

export interface OpeningRecordEntry {
  bidId: string;
  businessId: string;
  businessNameAr: string;
  businessNameEn: string;
  version: number;
  receivedAt: string;
  sealedSha256: string;
  lots: Array<{ lotId: string; number: number; price: string }>;
  /** The bid's documents as sealed with it (names, sizes, SHA-256 of the plaintext). */
  documents?: Array<{ docId: string; name: string; mediaType: string; size: number; sha256: string }>;
}

export type Bid = typeof bids.$inferSelect;
export type BidVersion = typeof bidVersions.$inferSelect;
export type TenderOpening = typeof tenderOpenings.$inferSelect;
