import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { storedFiles } from "./files.ts";
import { organisations } from "./organisations.ts";

import { TENDER_CATEGORIES, TENDER_METHODS, TENDER_STATUSES, type TenderCriterion } from "./tender-kinds.ts";

/** A PostgreSQL tsvector, read as its text form (nobody but the search reads it). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * A call for bids by an agency. Deadlines are instants (timestamptz) shown in
 * the agency's time zone. "Closed" is not a status: it is a published tender
 * whose submission deadline has passed, by the database clock.
 */
export const tenders = pgTable(
  "tenders",
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** e.g. MOPW-2026-0007: the agency's code, the year and a number. */
    reference: text().notNull(),
    titleAr: text().notNull(),
    titleEn: text().notNull(),
    descriptionAr: text().notNull().default(""),
    descriptionEn: text().notNull().default(""),
    method: text({ enum: TENDER_METHODS }).notNull().default("open"),
    category: text({ enum: TENDER_CATEGORIES }).notNull(),
    /** CPV 2008 codes such as 45233120-6. */
    cpvCodes: text().array().notNull().default(sql`'{}'::text[]`),
    currency: char({ length: 3 }).notNull(),
    estimatedValue: bigint({ mode: "bigint" }),
    /** Fees in the tender's currency, minor units; 0 when not charged. */
    documentFee: bigint({ mode: "bigint" }).notNull().default(sql`0`),
    submissionFee: bigint({ mode: "bigint" }).notNull().default(sql`0`),
    bidSecurity: bigint({ mode: "bigint" }).notNull().default(sql`0`),
    requireVerified: boolean().notNull().default(true),
    /** A permit type the bidder must hold (checked against the permits module when it exists). */
    requiredPermitType: text(),
    criteria: jsonb().$type<TenderCriterion[]>().notNull().default(sql`'[]'::jsonb`),
    timeZone: text().notNull(),
    enquiryDeadline: timestamp({ withTimezone: true }),
    submissionDeadline: timestamp({ withTimezone: true }),
    openingAt: timestamp({ withTimezone: true }),
    status: text({ enum: TENDER_STATUSES }).notNull().default("draft"),
    /** A second officer approves before publication. */
    requiresApproval: boolean().notNull().default(false),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    approvedBy: uuid().references(() => users.id),
    publishedAt: timestamp({ withTimezone: true }),
    /** The per-tender data key that seals its bids, wrapped by the master key (set at publication). */
    dataKeyWrapped: text(),
    dataKeyMasterId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Cancelled by a procurement officer, with the reason shown to everyone (decision 017). */
    cancelledAt: timestamp({ withTimezone: true }),
    cancelledBy: uuid().references(() => users.id),
    cancelReason: text(),
    /**
     * Full-text search document (titles, descriptions, lots and items, Arabic
     * and English), kept by triggers; null for drafts. See the migrations
     * tender_search_functions and tender_search_triggers, and decision 014.
     */
    searchDocument: tsvector(),
    /** Every 2- to 8-digit prefix of the CPV codes, for "45 finds all works". */
    cpvPrefixes: text().array().generatedAlwaysAs(sql`cpv_prefixes(cpv_codes)`),
  },
  (t) => [
    unique("tenders_agency_reference_key").on(t.agencyId, t.reference),
    index("tenders_status_deadline_idx").on(t.status, t.submissionDeadline),
    // A search's page closing soonest: each phase latest deadline first (see mergedPage).
    index("tenders_status_deadline_desc_idx").on(
      t.status,
      t.submissionDeadline.desc().nullsLast(),
      t.id.desc(),
    ),
    index("tenders_search_document_idx").using("gin", t.searchDocument),
    // Published tenders (open, or closed awaiting opening) are a few percent of all: their own
    // small index answers searches for open tenders without the whole history's posting lists.
    index("tenders_search_document_published_idx")
      .using("gin", t.searchDocument)
      .where(sql`${t.status} = 'published'`),
    index("tenders_cpv_prefixes_idx").using("gin", t.cpvPrefixes),
    index("tenders_published_at_idx").on(t.publishedAt.desc(), t.id.desc()),
    // Closed tenders newest first without stepping over the open ones, the newest of all
    // (see mergedPage in the search).
    index("tenders_opened_published_at_idx")
      .on(t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'opened'`),
    index("tenders_currency_value_idx").on(t.currency, t.estimatedValue.desc().nullsLast()),
    // Autocomplete (search_trigram_form(): migration tender_search_trigram_form).
    index("tenders_title_ar_trigram_idx").using("gin", sql`search_trigram_form(${t.titleAr}) gin_trgm_ops`),
    index("tenders_title_en_trigram_idx").using("gin", sql`search_trigram_form(${t.titleEn}) gin_trgm_ops`),
    check(
      "tenders_fees_non_negative",
      sql`${t.documentFee} >= 0 and ${t.submissionFee} >= 0 and ${t.bidSecurity} >= 0`,
    ),
    check(
      "tenders_deadline_order",
      sql`${t.status} in ('draft', 'cancelled') or (${t.enquiryDeadline} < ${t.submissionDeadline} and ${t.submissionDeadline} <= ${t.openingAt})`,
    ),
    // The check above passes when a deadline is missing (a null comparison is not false); a
    // published or opened tender always has one, and the search's phases rely on it.
    check(
      "tenders_public_deadline",
      sql`${t.status} not in ('published', 'opened') or ${t.submissionDeadline} is not null`,
    ),
    check("tenders_approver_not_author", sql`${t.approvedBy} is null or ${t.approvedBy} <> ${t.createdBy}`),
    check(
      "tenders_cancellation",
      sql`${t.cancelledAt} is null or (${t.status} = 'cancelled' and coalesce(length(btrim(${t.cancelReason})), 0) > 0)`,
    ),
  ],
);

export const tenderLots = pgTable(
  "tender_lots",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    titleAr: text().notNull(),
    titleEn: text().notNull(),
    estimatedValue: bigint({ mode: "bigint" }),
    /** A lot cancelled on its own (the rest of the tender goes on), with the reason (decision 017). */
    cancelledAt: timestamp({ withTimezone: true }),
    cancelledBy: uuid().references(() => users.id),
    cancelReason: text(),
  },
  (t) => [
    unique("tender_lots_number_key").on(t.tenderId, t.number),
    check(
      "tender_lots_cancellation",
      sql`(${t.cancelledAt} is null) = (${t.cancelReason} is null) and (${t.cancelReason} is null or length(btrim(${t.cancelReason})) > 0)`,
    ),
  ],
);

export const tenderItems = pgTable(
  "tender_items",
  {
    id: uuid().primaryKey().defaultRandom(),
    lotId: uuid()
      .notNull()
      .references(() => tenderLots.id, { onDelete: "cascade" }),
    descriptionAr: text().notNull(),
    descriptionEn: text().notNull(),
    quantity: numeric({ precision: 18, scale: 3 }).notNull(),
    /** UN/ECE Recommendation 20 unit code, e.g. MTK (square metre). */
    unit: text().notNull(),
  },
  (t) => [
    index("tender_items_lot_idx").on(t.lotId),
    check("tender_items_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** Tender documents, versioned: a new upload with the same title is the next version; old ones stay. */
export const tenderDocuments = pgTable(
  "tender_documents",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id, { onDelete: "cascade" }),
    fileId: uuid()
      .notNull()
      .references(() => storedFiles.id),
    title: text().notNull(),
    version: integer().notNull(),
    sha256: char({ length: 64 }).notNull(),
    uploadedBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("tender_documents_version_key").on(t.tenderId, t.title, t.version)],
);

export type Tender = typeof tenders.$inferSelect;
export type TenderLot = typeof tenderLots.$inferSelect;
export type TenderItem = typeof tenderItems.$inferSelect;
export type TenderDocument = typeof tenderDocuments.$inferSelect;

/** One field's change in an amendment, as shown to everyone: before and after, as text. */
export interface AmendmentChange {
  field: string;
  before: string;
  after: string;
}

/**
 * A published change to a tender: what changed (before/after), why, and
 * whether the submission deadline moved by rule. An extension is an amendment
 * of the dates only, for an incident; it does not ask bidders to reconfirm.
 */
export const tenderAmendments = pgTable(
  "tender_amendments",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id),
    number: integer().notNull(),
    kind: text({ enum: ["amendment", "extension"] }).notNull(),
    reason: text().notNull(),
    changes: jsonb().$type<AmendmentChange[]>().notNull(),
    /** The deadline was moved further by the amendment rule (too close to the deadline). */
    deadlineMovedByRule: boolean().notNull().default(false),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("tender_amendments_number_key").on(t.tenderId, t.number)],
);

export type TenderAmendment = typeof tenderAmendments.$inferSelect;
