import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
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
import { bids } from "./bids.ts";
import {
  AWARD_STATUSES,
  DEFAULT_STANDSTILL_DAYS,
  EVALUATION_STATUSES,
  MAX_CORRECTION_HOURS,
  MAX_STANDSTILL_DAYS,
  MEMBER_STATUSES,
} from "./evaluation-kinds.ts";
import { storedFiles } from "./files.ts";
import { organisations } from "./organisations.ts";
import { permits } from "./permits.ts";
import { tenderLots, tenders } from "./tenders.ts";

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));
/** Null counts as blank (a bare `length(...) > 0` would let a null through a CHECK). */
const notBlank = (column: unknown) => sql`coalesce(length(btrim(${column})), 0) > 0`;

/**
 * The evaluation of an opened tender's bids, one per tender: its committee
 * (evaluation_members), the chair, the options of the scoring rules, and —
 * once the chair closes it — the result snapshot: every input and every
 * number evaluateLot produced, with its SHA-256, never changed afterwards.
 */
export const tenderEvaluations = pgTable(
  "tender_evaluations",
  {
    tenderId: uuid()
      .primaryKey()
      .references(() => tenders.id),
    status: text({ enum: EVALUATION_STATUSES }).notNull().default("in_progress"),
    /** A committee member named by the procurement officer; null until named (or after a conflict). */
    chairUserId: uuid().references(() => users.id),
    financialFormula: text().notNull().default("lowest_over_price"),
    abnormallyLowPercent: integer().notNull().default(80),
    /** Days between the approval of an award and the end of its standstill period. */
    standstillDays: integer().notNull().default(DEFAULT_STANDSTILL_DAYS),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedBy: uuid().references(() => users.id),
    closedAt: timestamp({ withTimezone: true }),
    result: jsonb().$type<Record<string, unknown>>(),
    resultSha256: char({ length: 64 }),
  },
  (t) => [
    check(
      "tender_evaluations_closed_with_result",
      sql`(${t.status} = 'closed') = (${t.closedAt} is not null and ${t.closedBy} is not null and ${t.result} is not null and ${t.resultSha256} is not null)`,
    ),
    check(
      "tender_evaluations_formula",
      sql`${t.financialFormula} in ('lowest_over_price', 'linear_from_lowest')`,
    ),
    check("tender_evaluations_low_percent", sql`${t.abnormallyLowPercent} between 1 and 100`),
    check(
      "tender_evaluations_standstill_days",
      sql`${t.standstillDays} between 0 and ${sql.raw(String(MAX_STANDSTILL_DAYS))}`,
    ),
  ],
);

/** A member of a tender's evaluation committee (an evaluator of the agency). */
export const evaluationMembers = pgTable(
  "evaluation_members",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    status: text({ enum: MEMBER_STATUSES }).notNull().default("active"),
    assignedBy: uuid()
      .notNull()
      .references(() => users.id),
    assignedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp({ withTimezone: true }),
    /** The member submitted their scores: they are locked from then on. */
    scoresSubmittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique("evaluation_members_tender_user_key").on(t.tenderId, t.userId),
    index("evaluation_members_user_idx").on(t.userId),
    check("evaluation_members_removed_at", sql`(${t.status} = 'active') = (${t.removedAt} is null)`),
  ],
);

/**
 * A committee member's declaration about one bidder, before seeing any bid:
 * no conflict of interest, or a conflict (with a note), which removes the
 * member from the committee. One per member and bid; never changed.
 */
export const conflictDeclarations = pgTable(
  "conflict_declarations",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    conflict: boolean().notNull(),
    note: text(),
    declaredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("conflict_declarations_member_bid_key").on(t.tenderId, t.userId, t.bidId),
    check("conflict_declarations_note", sql`not ${t.conflict} or ${notBlank(t.note)}`),
  ],
);

/**
 * The qualification of one bid: the committee's pass/fail decisions (by
 * criterion key), the automatic checks as found when recorded (business
 * verified; the required permit valid, by the database clock), and a
 * disqualification with its reason.
 */
export const bidQualifications = pgTable(
  "bid_qualifications",
  {
    bidId: uuid()
      .primaryKey()
      .references(() => bids.id),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    checks: jsonb().$type<Record<string, boolean>>().notNull().default(sql`'{}'::jsonb`),
    businessVerified: boolean().notNull(),
    /** The permit type the tender requires, when it does. */
    permitType: text(),
    permitId: uuid().references(() => permits.id),
    permitValid: boolean(),
    disqualificationReason: text(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("bid_qualifications_tender_idx").on(t.tenderId),
    check("bid_qualifications_permit", sql`(${t.permitType} is null) = (${t.permitValid} is null)`),
    check(
      "bid_qualifications_reason",
      sql`${t.disqualificationReason} is null or ${notBlank(t.disqualificationReason)}`,
    ),
  ],
);

/**
 * A request to a bidder to correct a formal defect in its documents within a
 * window (the database clock decides). The corrected document is sealed with
 * the tender's data key like the bid's own documents; it cannot change a price.
 */
export const documentCorrections = pgTable(
  "document_corrections",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** What is wrong and what to send. */
    defect: text().notNull(),
    windowHours: integer().notNull(),
    requestedBy: uuid()
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    // The answer: a sealed document (its description, as for a bid's documents).
    fileId: uuid().references(() => storedFiles.id),
    docId: uuid(),
    name: text(),
    mediaType: text(),
    size: integer(),
    sha256: char({ length: 64 }),
    submittedBy: uuid().references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("document_corrections_bid_idx").on(t.bidId),
    check("document_corrections_defect", notBlank(t.defect)),
    check(
      "document_corrections_window",
      sql`${t.windowHours} between 1 and ${sql.raw(String(MAX_CORRECTION_HOURS))}`,
    ),
    check(
      "document_corrections_answer",
      sql`(${t.submittedAt} is null) = (${t.fileId} is null) and (${t.fileId} is null) = (${t.docId} is null)`,
    ),
    // Late corrections are refused by the database clock, whatever the code does.
    check("document_corrections_in_time", sql`${t.submittedAt} is null or ${t.submittedAt} <= ${t.dueAt}`),
  ],
);

/** One evaluator's score for one technical criterion of one bid, in hundredths (0..10000). */
export const evaluatorScores = pgTable(
  "evaluator_scores",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    criterionKey: text().notNull(),
    evaluatorId: uuid()
      .notNull()
      .references(() => users.id),
    score: integer().notNull(),
    note: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("evaluator_scores_key").on(t.bidId, t.criterionKey, t.evaluatorId),
    index("evaluator_scores_tender_idx").on(t.tenderId, t.evaluatorId),
    check("evaluator_scores_range", sql`${t.score} between 0 and 10000`),
  ],
);

/** The chair's consensus score for one technical criterion of one bid, replacing the mean. */
export const consensusScores = pgTable(
  "consensus_scores",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    criterionKey: text().notNull(),
    score: integer().notNull(),
    note: text().notNull(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("consensus_scores_key").on(t.bidId, t.criterionKey),
    check("consensus_scores_range", sql`${t.score} between 0 and 10000`),
    check("consensus_scores_note", notBlank(t.note)),
  ],
);

/** The chair's written justification accepting an abnormally low price of a bid in a lot. */
export const priceJustifications = pgTable(
  "price_justifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    tenderLotId: uuid()
      .notNull()
      .references(() => tenderLots.id),
    justification: text().notNull(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("price_justifications_key").on(t.bidId, t.tenderLotId),
    check("price_justifications_text", notBlank(t.justification)),
  ],
);

/**
 * The award of one lot (see AWARD_STATUSES). Exactly one outcome per lot is
 * the database's rule: at most one award per lot in a state that is not
 * inactive, the approver is never the recommender, and an approval carries its
 * approver, time and standstill end.
 */
export const awards = pgTable(
  "awards",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenderEvaluations.tenderId),
    tenderLotId: uuid()
      .notNull()
      .references(() => tenderLots.id),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** The bid's price for the lot, minor units of `currency`, as in the evaluation result. */
    price: bigint({ mode: "bigint" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    /** The bid's rank in the lot's evaluation result. */
    rank: integer().notNull(),
    /** The total score in hundredths, as in the evaluation result. */
    total: integer().notNull(),
    status: text({ enum: AWARD_STATUSES }).notNull().default("recommended"),
    recommendedBy: uuid()
      .notNull()
      .references(() => users.id),
    recommendedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Why a bid other than the evaluation's recommended winner is recommended. */
    justification: text(),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    sendBackReason: text(),
    noticePublishedAt: timestamp({ withTimezone: true }),
    standstillEndsAt: timestamp({ withTimezone: true }),
    /** While suspended by a complaint: since when (the standstill end moves on by that long when it resumes). */
    suspendedAt: timestamp({ withTimezone: true }),
    /** Cancelled: the lot or tender was cancelled, or an upheld complaint sent the lot back. */
    cancelledAt: timestamp({ withTimezone: true }),
    cancelledBy: uuid().references(() => users.id),
    cancelReason: text(),
  },
  (t) => [
    uniqueIndex("awards_one_outcome_per_lot")
      .on(t.tenderLotId)
      .where(sql`${t.status} not in ('sent_back', 'cancelled')`),
    index("awards_tender_idx").on(t.tenderId),
    index("awards_status_idx").on(t.status),
    check("awards_status", sql`${t.status} in (${inList(AWARD_STATUSES)})`),
    check("awards_four_eyes", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.recommendedBy}`),
    check(
      "awards_approved_complete",
      sql`${t.status} <> 'approved' or (${t.decidedBy} is not null and ${t.decidedAt} is not null and ${t.noticePublishedAt} is not null and ${t.standstillEndsAt} is not null)`,
    ),
    check(
      "awards_sent_back_reason",
      sql`${t.status} <> 'sent_back' or (${t.decidedBy} is not null and ${notBlank(t.sendBackReason)})`,
    ),
    check("awards_price_positive", sql`${t.price} > 0`),
    check(
      "awards_suspended_complete",
      sql`(${t.status} = 'suspended') = (${t.suspendedAt} is not null) and (${t.status} <> 'suspended' or ${t.standstillEndsAt} is not null)`,
    ),
    check(
      "awards_cancelled_reason",
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} is not null) and (${t.cancelledAt} is null or ${notBlank(t.cancelReason)})`,
    ),
  ],
);

export type TenderEvaluation = typeof tenderEvaluations.$inferSelect;
export type EvaluationMember = typeof evaluationMembers.$inferSelect;
export type ConflictDeclaration = typeof conflictDeclarations.$inferSelect;
export type BidQualification = typeof bidQualifications.$inferSelect;
export type DocumentCorrection = typeof documentCorrections.$inferSelect;
export type EvaluatorScore = typeof evaluatorScores.$inferSelect;
export type ConsensusScoreRow = typeof consensusScores.$inferSelect;
export type PriceJustification = typeof priceJustifications.$inferSelect;
export type Award = typeof awards.$inferSelect;
