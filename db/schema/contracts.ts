import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { CONTRACT_STATUSES, INVOICE_STATUSES } from "./contract-kinds.ts";
import { awards } from "./evaluations.ts";
import { storedFiles } from "./files.ts";
import { organisations } from "./organisations.ts";
import { tenderLots, tenders } from "./tenders.ts";

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));
/** Null counts as blank (a bare `length(...) > 0` would let a null through a CHECK). */
const notBlank = (column: unknown) => sql`coalesce(length(btrim(${column})), 0) > 0`;

/**
 * The contract made from one approved award once its standstill has ended
 * (see CONTRACT_STATUSES). The database's own rules (see the
 * contracts_invariants migration too): one contract per award; created only
 * from an award that is `approved` with its standstill over by the database
 * clock; the supplier accepts before the agency signs, and the signatory is
 * never the creator; at every commit the milestones add up to the value.
 */
export const contracts = pgTable(
  "contracts",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The tender's reference and the lot, e.g. MOPW-2026-0007-C1. */
    reference: text().notNull(),
    awardId: uuid()
      .notNull()
      .references(() => awards.id),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id),
    tenderLotId: uuid()
      .notNull()
      .references(() => tenderLots.id),
    agencyId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** The supplier: the business the award went to. */
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    currency: char({ length: 3 }).notNull(),
    /** Minor units of `currency`: the awarded price at creation, changed only by amendments. */
    value: bigint({ mode: "bigint" }).notNull(),
    startsOn: date({ mode: "string" }).notNull(),
    endsOn: date({ mode: "string" }).notNull(),
    status: text({ enum: CONTRACT_STATUSES }).notNull().default("awaiting_acceptance"),
    /** 1 at creation, one more with each amendment. */
    version: integer().notNull().default(1),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    acceptedBy: uuid().references(() => users.id),
    acceptedAt: timestamp({ withTimezone: true }),
    signedBy: uuid().references(() => users.id),
    signedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique("contracts_one_per_award").on(t.awardId),
    unique("contracts_agency_reference_key").on(t.agencyId, t.reference),
    index("contracts_tender_idx").on(t.tenderId),
    index("contracts_business_idx").on(t.businessId),
    check("contracts_status", sql`${t.status} in (${inList(CONTRACT_STATUSES)})`),
    check("contracts_value_positive", sql`${t.value} > 0`),
    check("contracts_period", sql`${t.endsOn} >= ${t.startsOn}`),
    check(
      "contracts_accepted_complete",
      sql`(${t.status} in ('accepted', 'signed')) = (${t.acceptedBy} is not null and ${t.acceptedAt} is not null)`,
    ),
    check(
      "contracts_signed_complete",
      sql`(${t.status} = 'signed') = (${t.signedBy} is not null and ${t.signedAt} is not null)`,
    ),
    check(
      "contracts_signed_after_acceptance",
      sql`${t.signedAt} is null or ${t.signedAt} >= ${t.acceptedAt}`,
    ),
    check("contracts_four_eyes", sql`${t.signedBy} is null or ${t.signedBy} <> ${t.createdBy}`),
  ],
);

/**
 * What the supplier delivers and is paid for, in parts. `invoicedAmount` is
 * kept by a trigger from the invoices that are not rejected, and a CHECK holds
 * it within the milestone's amount: an invoice can never pass what is left.
 */
export const contractMilestones = pgTable(
  "contract_milestones",
  {
    id: uuid().primaryKey().defaultRandom(),
    contractId: uuid()
      .notNull()
      .references(() => contracts.id),
    position: integer().notNull(),
    titleAr: text().notNull(),
    titleEn: text().notNull(),
    dueOn: date({ mode: "string" }).notNull(),
    amount: bigint({ mode: "bigint" }).notNull(),
    invoicedAmount: bigint({ mode: "bigint" }).notNull().default(sql`0`),
    deliveredAt: timestamp({ withTimezone: true }),
    deliveredBy: uuid().references(() => users.id),
    deliveryNote: text(),
  },
  (t) => [
    unique("contract_milestones_position_key").on(t.contractId, t.position),
    check("contract_milestones_amount_positive", sql`${t.amount} > 0`),
    check(
      "contract_milestones_invoiced_within",
      sql`${t.invoicedAmount} >= 0 and ${t.invoicedAmount} <= ${t.amount}`,
    ),
    check("contract_milestones_titles", sql`${notBlank(t.titleAr)} and ${notBlank(t.titleEn)}`),
    check(
      "contract_milestones_delivery_complete",
      sql`(${t.deliveredAt} is null) = (${t.deliveredBy} is null) and (${t.deliveredAt} is null or ${notBlank(t.deliveryNote)})`,
    ),
  ],
);

/**
 * A supplier's invoice against one milestone: its number is unique for the
 * supplier; approved by the agency's contract manager, then paid by a finance
 * officer who is not the approver (segregation of duties, a CHECK).
 */
export const contractInvoices = pgTable(
  "contract_invoices",
  {
    id: uuid().primaryKey().defaultRandom(),
    contractId: uuid()
      .notNull()
      .references(() => contracts.id),
    milestoneId: uuid()
      .notNull()
      .references(() => contractMilestones.id),
    businessId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** The supplier's own invoice number. */
    number: text().notNull(),
    amount: bigint({ mode: "bigint" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    documentFileId: uuid().references(() => storedFiles.id),
    status: text({ enum: INVOICE_STATUSES }).notNull().default("submitted"),
    submittedBy: uuid()
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    rejectReason: text(),
    paidBy: uuid().references(() => users.id),
    paidAt: timestamp({ withTimezone: true }),
    /** The bank transfer's reference (or the treasury's payment order number). */
    paymentReference: text(),
  },
  (t) => [
    unique("contract_invoices_number_per_supplier").on(t.businessId, t.number),
    index("contract_invoices_contract_idx").on(t.contractId),
    check("contract_invoices_status", sql`${t.status} in (${inList(INVOICE_STATUSES)})`),
    check("contract_invoices_amount_positive", sql`${t.amount} > 0`),
    check("contract_invoices_number", notBlank(t.number)),
    check(
      "contract_invoices_decided_complete",
      sql`(${t.status} = 'submitted') = (${t.decidedBy} is null and ${t.decidedAt} is null)`,
    ),
    check("contract_invoices_rejected_reason", sql`${t.status} <> 'rejected' or ${notBlank(t.rejectReason)}`),
    check(
      "contract_invoices_paid_complete",
      sql`(${t.status} = 'paid') = (${t.paidBy} is not null and ${t.paidAt} is not null and ${notBlank(t.paymentReference)})`,
    ),
    check("contract_invoices_segregation", sql`${t.paidBy} is null or ${t.paidBy} <> ${t.decidedBy}`),
  ],
);

/** One snapshot of a contract's terms (value, period, milestones). */
export interface ContractTerms {
  value: string;
  currency: string;
  startsOn: string;
  endsOn: string;
  milestones: Array<{
    id: string | null;
    position: number;
    titleAr: string;
    titleEn: string;
    dueOn: string;
    amount: string;
  }>;
}

/** A change of a contract's terms, with its reason and the terms before and after. */
export const contractAmendments = pgTable(
  "contract_amendments",
  {
    id: uuid().primaryKey().defaultRandom(),
    contractId: uuid()
      .notNull()
      .references(() => contracts.id),
    /** The contract's version this amendment made (2 for the first). */
    version: integer().notNull(),
    reason: text().notNull(),
    before: jsonb().$type<ContractTerms>().notNull(),
    after: jsonb().$type<ContractTerms>().notNull(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("contract_amendments_version_key").on(t.contractId, t.version),
    check("contract_amendments_reason", notBlank(t.reason)),
  ],
);

export type Contract = typeof contracts.$inferSelect;
export type ContractMilestone = typeof contractMilestones.$inferSelect;
export type ContractInvoice = typeof contractInvoices.$inferSelect;
export type ContractAmendment = typeof contractAmendments.$inferSelect;
