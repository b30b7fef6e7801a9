import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { bids } from "./bids.ts";
import { storedFiles } from "./files.ts";
import { organisations } from "./organisations.ts";
import {
  APPLICATION_EVENT_KINDS,
  APPLICATION_KINDS,
  APPLICATION_STATUSES,
  PERMIT_EVENT_KINDS,
  PERMIT_STATUSES,
  type PermitChecklistItem,
  type PermitDocumentSpec,
  type PermitFieldSpec,
} from "./permit-kinds.ts";

/**
 * The permit catalogue: what an agency issues, who may apply, what the
 * application asks for, how long it takes and how long the permit lasts.
 * The fee is in the agency's fee schedule (fee type "permit", subject = code).
 */
export const permitTypes = pgTable(
  "permit_types",
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** Stable across the platform, e.g. "commercial-licence"; tenders name the permit they require by it. */
    code: text().notNull().unique(),
    nameAr: text().notNull(),
    nameEn: text().notNull(),
    descriptionAr: text().notNull().default(""),
    descriptionEn: text().notNull().default(""),
    /** Business sectors that may apply; empty: any. */
    eligibleSectors: text().array().notNull().default(sql`'{}'::text[]`),
    /** Only businesses the platform has verified may apply. */
    requireVerified: boolean().notNull().default(true),
    /** A licence the applicant must already hold (valid) to apply for this one. */
    parentTypeId: uuid().references((): AnyPgColumn => permitTypes.id),
    fields: jsonb().$type<PermitFieldSpec[]>().notNull().default(sql`'[]'::jsonb`),
    documents: jsonb().$type<PermitDocumentSpec[]>().notNull().default(sql`'[]'::jsonb`),
    checklist: jsonb().$type<PermitChecklistItem[]>().notNull().default(sql`'[]'::jsonb`),
    /** Working days (Sunday to Thursday) from submission to decision. */
    serviceLevelDays: integer().notNull(),
    inspectionRequired: boolean().notNull().default(false),
    /** Approval by a second licensing officer, different from the first. */
    secondApprovalRequired: boolean().notNull().default(false),
    validityMonths: integer().notNull(),
    /** Renewal opens this many days before the validity ends... */
    renewalWindowDays: integer().notNull().default(60),
    /** ...and stays open this many days after it. */
    gracePeriodDays: integer().notNull().default(30),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("permit_types_agency_idx").on(t.agencyId),
    check("permit_types_code_format", sql`${t.code} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
    check(
      "permit_types_periods_positive",
      sql`${t.serviceLevelDays} > 0 and ${t.validityMonths} > 0 and ${t.renewalWindowDays} >= 0 and ${t.gracePeriodDays} >= 0`,
    ),
    check("permit_types_not_own_parent", sql`${t.parentTypeId} is null or ${t.parentTypeId} <> ${t.id}`),
  ],
);

/** An application for a permit (new), its renewal or its amendment. */
export const permitApplications = pgTable(
  "permit_applications",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** e.g. APP-2026-000123, shown to the applicant and the officer. */
    reference: text().notNull().unique(),
    permitTypeId: uuid()
      .notNull()
      .references(() => permitTypes.id),
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    kind: text({ enum: APPLICATION_KINDS }).notNull().default("new"),
    /** For a renewal or amendment: the permit it is for. */
    permitId: uuid().references((): AnyPgColumn => permits.id),
    status: text({ enum: APPLICATION_STATUSES }).notNull().default("draft"),
    /** The answers to the type's fields. */
    fields: jsonb().$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    /** The reviewer's checklist: item key → checked. */
    checklist: jsonb().$type<Record<string, boolean>>().notNull().default(sql`'{}'::jsonb`),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp({ withTimezone: true }),
    /** The service-level deadline; moves later while the clock is stopped for an information request. */
    dueAt: timestamp({ withTimezone: true }),
    /** When the clock stopped (an information request is open). */
    clockStoppedAt: timestamp({ withTimezone: true }),
    assignedTo: uuid().references(() => users.id),
    firstApprovedBy: uuid().references(() => users.id),
    approvedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    decisionReason: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("permit_applications_business_idx").on(t.businessId, t.createdAt),
    index("permit_applications_queue_idx").on(t.status, t.dueAt),
    // One application in progress per business and type (a renewal or amendment: per permit).
    uniqueIndex("permit_applications_one_open_key")
      .on(t.businessId, t.permitTypeId, t.kind)
      .where(sql`${t.status} not in ('issued', 'rejected', 'withdrawn')`),
    check(
      "permit_applications_two_approvers",
      sql`${t.approvedBy} is null or ${t.firstApprovedBy} is null or ${t.approvedBy} <> ${t.firstApprovedBy}`,
    ),
    check("permit_applications_permit_for_change", sql`(${t.kind} = 'new') = (${t.permitId} is null)`),
  ],
);

/** The documents an application carries, one per requirement of its type (a replacement takes the place of the old). */
export const permitApplicationDocuments = pgTable(
  "permit_application_documents",
  {
    applicationId: uuid()
      .notNull()
      .references(() => permitApplications.id),
    requirementKey: text().notNull(),
    fileId: uuid()
      .notNull()
      .references(() => storedFiles.id),
    uploadedBy: uuid()
      .notNull()
      .references(() => users.id),
    uploadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.requirementKey] })],
);

/** The application's timeline; `note` is what the officer or applicant wrote (a reason, a request, an answer). */
export const permitApplicationEvents = pgTable(
  "permit_application_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    applicationId: uuid()
      .notNull()
      .references(() => permitApplications.id),
    kind: text({ enum: APPLICATION_EVENT_KINDS }).notNull(),
    note: text(),
    actorId: uuid().references(() => users.id),
    at: timestamp({ withTimezone: true, precision: 6 }).notNull().defaultNow(),
  },
  (t) => [index("permit_application_events_application_idx").on(t.applicationId, t.at)],
);

/** An inspection of the applicant's premises: scheduled, then its result recorded. */
export const permitInspections = pgTable(
  "permit_inspections",
  {
    id: uuid().primaryKey().defaultRandom(),
    applicationId: uuid()
      .notNull()
      .references(() => permitApplications.id),
    scheduledFor: timestamp({ withTimezone: true }).notNull(),
    location: text().notNull(),
    inspectorId: uuid()
      .notNull()
      .references(() => users.id),
    scheduledBy: uuid()
      .notNull()
      .references(() => users.id),
    result: text({ enum: ["passed", "failed"] }),
    findings: text(),
    recordedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("permit_inspections_application_idx").on(t.applicationId),
    check("permit_inspections_result_recorded", sql`(${t.result} is null) = (${t.recordedAt} is null)`),
  ],
);

/**
 * An issued permit. It keeps its number for life: a renewal moves its
 * validity on (the history is in permit_events), a suspension or revocation
 * changes its status with a reason.
 */
export const permits = pgTable(
  "permits",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** e.g. MOC-CL-2026-000042: printed on the certificate, checked at /verify/permit/<number>. */
    number: text().notNull().unique(),
    permitTypeId: uuid()
      .notNull()
      .references(() => permitTypes.id),
    holderId: uuid()
      .notNull()
      .references(() => organisations.id),
    applicationId: uuid()
      .notNull()
      .references(() => permitApplications.id),
    status: text({ enum: PERMIT_STATUSES }).notNull().default("valid"),
    statusReason: text(),
    /** The permit it depends on (the holder's parent licence) when the type requires one. */
    parentPermitId: uuid().references((): AnyPgColumn => permits.id),
    /** The answers on the application that issued or last amended it (shown on the certificate where public). */
    fields: jsonb().$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    /** Calendar dates in the agency's time zone; valid through validUntil inclusive. */
    validFrom: date({ mode: "string" }).notNull(),
    validUntil: date({ mode: "string" }).notNull(),
    /** The first instant it is no longer valid (midnight after validUntil, agency's time zone). */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    issuedBy: uuid()
      .notNull()
      .references(() => users.id),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("permits_holder_idx").on(t.holderId),
    index("permits_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'valid'`),
    index("permits_parent_idx").on(t.parentPermitId),
    // A business holds at most one live permit of a type.
    uniqueIndex("permits_one_live_key")
      .on(t.holderId, t.permitTypeId)
      .where(sql`${t.status} in ('valid', 'suspended')`),
    check("permits_validity_order", sql`${t.validFrom} <= ${t.validUntil}`),
    check(
      "permits_reason_when_withdrawn",
      sql`${t.status} not in ('suspended', 'revoked') or ${t.statusReason} is not null`,
    ),
  ],
);

/** What happened to a permit, with the validity before and after. */
export const permitEvents = pgTable(
  "permit_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    permitId: uuid()
      .notNull()
      .references(() => permits.id),
    kind: text({ enum: PERMIT_EVENT_KINDS }).notNull(),
    reason: text(),
    /** The permit whose suspension or revocation caused this one (a cascade). */
    causedByPermitId: uuid().references(() => permits.id),
    applicationId: uuid().references(() => permitApplications.id),
    validUntilBefore: date({ mode: "string" }),
    validUntilAfter: date({ mode: "string" }),
    actorId: uuid().references(() => users.id),
    at: timestamp({ withTimezone: true, precision: 6 }).notNull().defaultNow(),
  },
  (t) => [index("permit_events_permit_idx").on(t.permitId, t.at)],
);

/** Expiry reminders sent, so each (permit, validity, days before) goes out once however often the job runs. */
export const permitExpiryReminders = pgTable(
  "permit_expiry_reminders",
  {
    permitId: uuid()
      .notNull()
      .references(() => permits.id),
    validUntil: date({ mode: "string" }).notNull(),
    daysBefore: integer().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.permitId, t.validUntil, t.daysBefore] })],
);

/**
 * A bid whose bidder lost the permit the tender requires (suspended or
 * revoked) while the tender was open: shown to the officers and the bidder.
 */
export const bidPermitFlags = pgTable(
  "bid_permit_flags",
  {
    id: uuid().primaryKey().defaultRandom(),
    bidId: uuid()
      .notNull()
      .references(() => bids.id),
    permitId: uuid()
      .notNull()
      .references(() => permits.id),
    permitStatus: text({ enum: PERMIT_STATUSES }).notNull(),
    reason: text().notNull(),
    flaggedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("bid_permit_flags_bid_permit_status_key").on(t.bidId, t.permitId, t.permitStatus)],
);

export type PermitType = typeof permitTypes.$inferSelect;
export type PermitApplication = typeof permitApplications.$inferSelect;
export type PermitApplicationEvent = typeof permitApplicationEvents.$inferSelect;
export type PermitInspection = typeof permitInspections.$inferSelect;
export type Permit = typeof permits.$inferSelect;
export type PermitEvent = typeof permitEvents.$inferSelect;
