import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { bids } from "./bids.ts";
import { COMPLAINT_DECISIONS, COMPLAINT_STATUSES } from "./complaint-kinds.ts";
import { awards } from "./evaluations.ts";
import { storedFiles } from "./files.ts";
import { organisations } from "./organisations.ts";
import { refunds } from "./payments.ts";
import { tenderLots, tenders } from "./tenders.ts";

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));
const notBlank = (column: unknown) => sql`coalesce(length(btrim(${column})), 0) > 0`;

/**
 * A bidder's complaint about the approved award of one lot, during its
 * standstill (see COMPLAINT_STATUSES and decision 017). It counts — and
 * suspends the award — only once lodged: the agency's complaint fee paid, or
 * none charged. The trigger complaints_lodged_in_standstill refuses a lodging
 * after the award's standstill end by the database clock.
 */
export const complaints = pgTable(
  "complaints",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id),
    tenderLotId: uuid()
      .notNull()
      .references(() => tenderLots.id),
    awardId: uuid()
      .notNull()
      .references(() => awards.id),
    /** The complaining business and its bid on the tender. */
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    writtenBy: uuid()
      .notNull()
      .references(() => users.id),
    grounds: text().notNull(),
    status: text({ enum: COMPLAINT_STATUSES }).notNull().default("awaiting_fee"),
    /** The fee asked (from the agency's schedule when written); null when none is charged. */
    feeAmount: bigint({ mode: "bigint" }),
    feeCurrency: char({ length: 3 }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lodgedAt: timestamp({ withTimezone: true }),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    decision: text(),
    /** Upheld, and the lot sent back: its award was cancelled (the officer may recommend again). */
    sentBack: boolean().notNull().default(false),
    /** Upheld: the refund of the complaint fee (reason complaint_upheld). */
    feeRefundId: uuid().references(() => refunds.id),
  },
  (t) => [
    // One open complaint per bidder and award: a second click finds the first.
    uniqueIndex("complaints_one_open_per_bidder")
      .on(t.awardId, t.businessId)
      .where(sql`${t.status} in ('awaiting_fee', 'lodged')`),
    index("complaints_tender_idx").on(t.tenderId),
    index("complaints_status_idx").on(t.status, t.lodgedAt),
    check("complaints_status", sql`${t.status} in (${inList(COMPLAINT_STATUSES)})`),
    check("complaints_grounds", notBlank(t.grounds)),
    check(
      "complaints_fee",
      sql`(${t.feeAmount} is null) = (${t.feeCurrency} is null) and coalesce(${t.feeAmount}, 1) > 0`,
    ),
    check("complaints_lodged", sql`(${t.status} = 'awaiting_fee') = (${t.lodgedAt} is null)`),
    check(
      "complaints_decided",
      sql`(${t.status} in (${inList(COMPLAINT_DECISIONS)})) = (${t.decidedAt} is not null and ${t.decidedBy} is not null and ${notBlank(t.decision)})`,
    ),
    check("complaints_decided_after_lodging", sql`${t.decidedAt} is null or ${t.decidedAt} >= ${t.lodgedAt}`),
    check("complaints_sent_back_upheld", sql`not ${t.sentBack} or ${t.status} = 'upheld'`),
    check("complaints_refund_upheld", sql`${t.feeRefundId} is null or ${t.status} = 'upheld'`),
  ],
);

/** A document attached to a complaint (checked by its bytes; seen by the complainant and the agency). */
export const complaintDocuments = pgTable(
  "complaint_documents",
  {
    id: uuid().primaryKey().defaultRandom(),
    complaintId: uuid()
      .notNull()
      .references(() => complaints.id),
    fileId: uuid()
      .notNull()
      .references(() => storedFiles.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("complaint_documents_complaint_idx").on(t.complaintId)],
);

export type Complaint = typeof complaints.$inferSelect;
export type ComplaintDocument = typeof complaintDocuments.$inferSelect;
