import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan, type Permission } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { newDataKey } from "#app/modules/bids/envelope.server.ts";
import type { BidMasterKey } from "#app/modules/bids/master-key.server.ts";
import { parseAmount } from "#app/modules/ledger/money.ts";
import { assertPermitTypeExists } from "#app/modules/permits/permit-eligibility.server.ts";
import { AppError } from "#app/utils/errors.ts";
import { zonedToInstant } from "#app/utils/time-zones.ts";
import type { Db, Queryable, Tx } from "#db/client.server.ts";
import {
  CRITERION_KINDS,
  organisations,
  TENDER_CATEGORIES,
  TENDER_METHODS,
  type Tender,
  type TenderCriterion,
  tenderItems,
  tenderLots,
  tenders,
} from "#db/schema/index.ts";
import { isCpvCode } from "./classifications.server.ts";
import { agencyCode, criteriaProblem, scheduleProblem, tenderReference } from "./tender-rules.ts";

/**
 * Tender authoring by procurement officers: a draft is created, completed
 * (lots, items, criteria, documents), optionally approved by a second officer,
 * then published. Only drafts change here; a published tender changes by
 * amendment. Every step is audited.
 */

type Officer = { agencyId: string; userId: string; ip: string | null };

async function officerOf(
  actor: Actor,
  permission: Permission,
  db: Queryable,
  ip?: string | null,
): Promise<Officer> {
  assertCan(actor, permission);
  const agency = await db.query.organisations.findFirst({
    where: eq(organisations.id, actor.membership!.organisationId),
  });
  if (agency?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { agencyId: agency.id, userId: actor.userId, ip: ip ?? null };
}

/** The agency's own tender, locked for the change (someone else's is simply not found). */
async function ownTender(tx: Tx, officer: Officer, tenderId: string): Promise<Tender> {
  const [tender] = await tx
    .select()
    .from(tenders)
    .where(and(eq(tenders.id, tenderId), eq(tenders.agencyId, officer.agencyId)))
    .for("update");
  if (!tender) throw new AppError("NOT_FOUND");
  return tender;
}

function assertDraft(tender: Tender) {
  if (tender.status !== "draft") throw new AppError("TENDER_NOT_DRAFT");
}

const audit = (
  tx: Tx,
  officer: Officer,
  action: string,
  tenderId: string,
  details: Record<string, unknown> = {},
) =>
  recordAudit(tx, {
    actorUserId: officer.userId,
    organisationId: officer.agencyId,
    action,
    objectType: "tender",
    objectId: tenderId,
    ip: officer.ip,
    details,
  });

export interface TenderBasicsForm {
  titleAr: string;
  titleEn: string;
  descriptionAr?: string;
  descriptionEn?: string;
  method: string;
  category: string;
  cpvCodes?: string;
  estimatedValue?: string;
  documentFee?: string;
  submissionFee?: string;
  bidSecurity?: string;
  requireVerified?: string;
  requiredPermitType?: string;
  requiresApproval?: string;
  enquiryDeadline?: string;
  submissionDeadline?: string;
  openingAt?: string;
}

/** Check and convert the basics form; throws VALIDATION (or a specific code) naming the field. */
function basicsFrom(form: TenderBasicsForm, agency: { currency: string; timeZone: string }) {
  const text = (value: string | undefined, field: string, max: number, required: boolean) => {
    const v = (value ?? "").trim();
    if ((required && v.length < 3) || v.length > max) throw new AppError("VALIDATION", {}, { field });
    return v;
  };
  const money = (value: string | undefined, field: string) => {
    if (!value?.trim()) return 0n;
    const amount = parseAmount(value, agency.currency);
    if (amount === null || amount < 0n) throw new AppError("AMOUNT_INVALID", {}, { field });
    return amount;
  };
  const when = (value: string | undefined, field: string) => {
    if (!value?.trim()) return null;
    const instant = zonedToInstant(value.trim(), agency.timeZone);
    if (!instant) throw new AppError("VALIDATION", {}, { field });
    return instant;
  };
  if (!TENDER_METHODS.includes(form.method as never))
    throw new AppError("VALIDATION", {}, { field: "method" });
  if (!TENDER_CATEGORIES.includes(form.category as never))
    throw new AppError("VALIDATION", {}, { field: "category" });
  const cpvCodes = [...new Set((form.cpvCodes ?? "").split(/[\s,،;]+/).filter(Boolean))];
  if (cpvCodes.length > 20 || cpvCodes.some((c) => !isCpvCode(c)))
    throw new AppError("CPV_INVALID", {}, { field: "cpvCodes" });
  const permit = (form.requiredPermitType ?? "").trim();
  if (permit && !/^[a-z0-9][a-z0-9-]{1,59}$/.test(permit))
    throw new AppError("VALIDATION", {}, { field: "requiredPermitType" });
  const estimated = money(form.estimatedValue, "estimatedValue");
  return {
    titleAr: text(form.titleAr, "titleAr", 300, true),
    titleEn: text(form.titleEn, "titleEn", 300, true),
    descriptionAr: text(form.descriptionAr, "descriptionAr", 20_000, false),
    descriptionEn: text(form.descriptionEn, "descriptionEn", 20_000, false),
    method: form.method as Tender["method"],
    category: form.category as Tender["category"],
    cpvCodes,
    estimatedValue: estimated > 0n ? estimated : null,
    documentFee: money(form.documentFee, "documentFee"),
    submissionFee: money(form.submissionFee, "submissionFee"),
    bidSecurity: money(form.bidSecurity, "bidSecurity"),
    requireVerified:
      form.requireVerified !== undefined && form.requireVerified !== "" && form.requireVerified !== "false",
    requiredPermitType: permit || null,
    requiresApproval:
      form.requiresApproval !== undefined &&
      form.requiresApproval !== "" &&
      form.requiresApproval !== "false",
    enquiryDeadline: when(form.enquiryDeadline, "enquiryDeadline"),
    submissionDeadline: when(form.submissionDeadline, "submissionDeadline"),
    openingAt: when(form.openingAt, "openingAt"),
  };
}

/** Lock per agency and year so two drafts never take the same number. */
const REFERENCE_LOCK = 0x7e4d_e000;

export async function createTenderDraft(
  input: { actor: Actor; form: TenderBasicsForm; ip?: string | null },
  db: Db,
): Promise<Tender> {
  const officer = await officerOf(input.actor, "tender:draft", db, input.ip);
  const agency = (await db.query.organisations.findFirst({ where: eq(organisations.id, officer.agencyId) }))!;
  const values = basicsFrom(input.form, agency);
  if (values.requiredPermitType) await assertPermitTypeExists(values.requiredPermitType, db);
  return db.transaction(async (tx) => {
    const year = new Date().getUTCFullYear();
    await tx.execute(
      sql`select pg_advisory_xact_lock(${REFERENCE_LOCK}, hashtext(${`${agency.id}:${year}`}))`,
    );
    const code = agencyCode(agency.slug);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(tenders)
      .where(and(eq(tenders.agencyId, agency.id), sql`${tenders.reference} like ${`${code}-${year}-%`}`));
    const [tender] = await tx
      .insert(tenders)
      .values({
        ...values,
        agencyId: agency.id,
        reference: tenderReference(code, year, Number(n) + 1),
        currency: agency.currency,
        timeZone: agency.timeZone,
        createdBy: officer.userId,
      })
      .returning();
    await audit(tx, officer, "tender.drafted", tender!.id, { reference: tender!.reference });
    return tender!;
  });
}

export async function updateTenderDraft(
  input: { actor: Actor; tenderId: string; form: TenderBasicsForm; ip?: string | null },
  db: Db,
): Promise<Tender> {
  const officer = await officerOf(input.actor, "tender:draft", db, input.ip);
  const agency = (await db.query.organisations.findFirst({ where: eq(organisations.id, officer.agencyId) }))!;
  const values = basicsFrom(input.form, agency);
  if (values.requiredPermitType) await assertPermitTypeExists(values.requiredPermitType, db);
  return db.transaction(async (tx) => {
    assertDraft(await ownTender(tx, officer, input.tenderId));
    const [tender] = await tx
      .update(tenders)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(tenders.id, input.tenderId))
      .returning();
    await audit(tx, officer, "tender.draft_updated", tender!.id);
    return tender!;
  });
}

export async function addLot(
  input: {
    actor: Actor;
    tenderId: string;
    titleAr: string;
    titleEn: string;
    estimatedValue?: string;
    ip?: string | null;
  },
  db: Db,
) {
  const officer = await officerOf(input.actor, "tender:draft", db, input.ip);
  const titleAr = input.titleAr.trim();
  const titleEn = input.titleEn.trim();
  if (titleAr.length < 2 || titleAr.length > 300)
    throw new AppError("VALIDATION", {}, { field: "lotTitleAr" });
  if (titleEn.length < 2 || titleEn.length > 300)
    throw new AppError("VALIDATION", {}, { field: "lotTitleEn" });
  return db.transaction(async (tx) => {
    const tender = await ownTender(tx, officer, input.tenderId);
    assertDraft(tender);
    let estimatedValue: bigint | null = null;
    if (input.estimatedValue?.trim()) {
      estimatedValue = parseAmount(input.estimatedValue, tender.currency);
      if (estimatedValue === null || estimatedValue < 0n)
        throw new AppError("AMOUNT_INVALID", {}, { field: "lotEstimatedValue" });
    }
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${tenderLots.number}), 0) + 1` })
      .from(tenderLots)
      .where(eq(tenderLots.tenderId, tender.id));
    const [lot] = await tx
      .insert(tenderLots)
      .values({ tenderId: tender.id, number: Number(next), titleAr, titleEn, estimatedValue })
      .returning();
    await audit(tx, officer, "tender.lot_added", tender.id, { lot: lot!.number });
    return lot!;
  });
}

export async function addItem(
  input: {
    actor: Actor;
    tenderId: string;
    lotId: string;
    descriptionAr: string;
    descriptionEn: string;
    quantity: string;
    unit: string;
    ip?: string | null;
  },
  db: Db,
) {
  const officer = await officerOf(input.actor, "tender:draft", db, input.ip);
  const descriptionAr = input.descriptionAr.trim();
  const descriptionEn = input.descriptionEn.trim();
  if (descriptionAr.length < 2 || descriptionAr.length > 1000)
    throw new AppError("VALIDATION", {}, { field: "itemDescriptionAr" });
  if (descriptionEn.length < 2 || descriptionEn.length > 1000)
    throw new AppError("VALIDATION", {}, { field: "itemDescriptionEn" });
  const quantity = input.quantity
    .trim()
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/٫/g, ".");
  if (!/^\d{1,12}(\.\d{1,3})?$/.test(quantity) || Number(quantity) <= 0)
    throw new AppError("VALIDATION", {}, { field: "quantity" });
  if (!/^[A-Z0-9]{2,3}$/.test(input.unit)) throw new AppError("VALIDATION", {}, { field: "unit" });
  return db.transaction(async (tx) => {
    const tender = await ownTender(tx, officer, input.tenderId);
    assertDraft(tender);
    const lot = await tx.query.tenderLots.findFirst({
      where: and(eq(tenderLots.id, input.lotId), eq(tenderLots.tenderId, tender.id)),
    });
    if (!lot) throw new AppError("NOT_FOUND");
    const [item] = await tx
      .insert(tenderItems)
      .values({ lotId: lot.id, descriptionAr, descriptionEn, quantity, unit: input.unit })
      .returning();
    await audit(tx, officer, "tender.item_added", tender.id, { lot: lot.number });
    return item!;
  });
}

/** Remove a lot (with its items) or one item from a draft. */
export async function removeFromDraft(
  input: { actor: Actor; tenderId: string; lotId?: string; itemId?: string; ip?: string | null },
  db: Db,
) {
  const officer = await officerOf(input.actor, "tender:draft", db, input.ip);
  await db.transaction(async (tx) => {
    const tender = await ownTender(tx, officer, input.tenderId);
    assertDraft(tender);
    if (input.lotId) {
      const removed = await tx
        .delete(tenderLots)
        .where(and(eq(tenderLots.id, input.lotId), eq(tenderLots.tenderId, tender.id)))
        .returning();
      if (!removed.length) throw new AppError("NOT_FOUND");
    } else if (input.itemId) {
      const removed = await tx
        .delete(tenderItems)
        .where(
          and(
            eq(tenderItems.id, input.itemId),
            sql`${tenderItems.lotId} in (select id from tender_lots where tender_id = ${tender.id})`,
          ),
        )
        .returning();
      if (!removed.length) throw new AppError("NOT_FOUND");
    } else throw new AppError("VALIDATION");
    await audit(tx, officer, "tender.draft_updated", tender.id, { removed: input.lotId ? "lot" : "item" });
  });
}

/** Replace the criteria of a draft (checked when published, so a draft may be incomplete). */
export async function addCriterion(
  input: {
    actor: Actor;
    tenderId: string;
    nameAr: string;
    nameEn: string;
    kind: string;
    weight: string;
    ip?: string | null;
  },
  db: Db,
) {
  const officer = await officerOf(input.actor, "tender:draft", db, input.ip);
  const nameAr = input.nameAr.trim();
  const nameEn = input.nameEn.trim();
  if (nameAr.length < 2 || nameAr.length > 200)
    throw new AppError("VALIDATION", {}, { field: "criterionNameAr" });
  if (nameEn.length < 2 || nameEn.length > 200)
    throw new AppError("VALIDATION", {}, { field: "criterionNameEn" });
  if (!CRITERION_KINDS.includes(input.kind as never)) throw new AppError("VALIDATION", {}, { field: "kind" });
  const weight = input.kind === "pass_fail" ? 0 : Number(input.weight);
  if (input.kind !== "pass_fail" && (!Number.isInteger(weight) || weight < 1 || weight > 100))
    throw new AppError("VALIDATION", {}, { field: "weight" });
  return db.transaction(async (tx) => {
    const tender = await ownTender(tx, officer, input.tenderId);
    assertDraft(tender);
    const key = `c${tender.criteria.reduce((max, c) => Math.max(max, Number(c.key.slice(1)) || 0), 0) + 1}`;
    const criteria: TenderCriterion[] = [
      ...tender.criteria,
      { key, nameAr, nameEn, kind: input.kind as TenderCriterion["kind"], weight },
    ];
    await tx.update(tenders).set({ criteria, updatedAt: new Date() }).where(eq(tenders.id, tender.id));
    await audit(tx, officer, "tender.draft_updated", tender.id, { criterion: key });
    return criteria;
  });
}

export async function removeCriterion(
  input: { actor: Actor; tenderId: string; key: string; ip?: string | null },
  db: Db,
) {
  const officer = await officerOf(input.actor, "tender:draft", db, input.ip);
  await db.transaction(async (tx) => {
    const tender = await ownTender(tx, officer, input.tenderId);
    assertDraft(tender);
    const criteria = tender.criteria.filter((c) => c.key !== input.key);
    if (criteria.length === tender.criteria.length) throw new AppError("NOT_FOUND");
    await tx.update(tenders).set({ criteria, updatedAt: new Date() }).where(eq(tenders.id, tender.id));
    await audit(tx, officer, "tender.draft_updated", tender.id, { criterionRemoved: input.key });
  });
}

/** What stops a draft from being published, checked at the database's "now". */
async function publicationProblem(tx: Tx, tender: Tender): Promise<AppError | null> {
  const [{ now }] = (await tx.execute(sql`select now() as now`)) as unknown as [{ now: Date }];
  const schedule = scheduleProblem(tender, new Date(now));
  if (schedule)
    return new AppError("SCHEDULE_INVALID", { problem: schedule }, { field: "submissionDeadline" });
  const criteria = criteriaProblem(tender.criteria);
  if (criteria) return new AppError("CRITERIA_INVALID", { problem: criteria }, { field: "criteria" });
  const lots = await tx
    .select({
      id: tenderLots.id,
      items: sql<number>`(select count(*) from tender_items i where i.lot_id = tender_lots.id)::int`,
    })
    .from(tenderLots)
    .where(eq(tenderLots.tenderId, tender.id));
  if (lots.length === 0 || lots.some((l) => l.items === 0))
    return new AppError("TENDER_INCOMPLETE", {}, { field: "lots" });
  return null;
}

/**
 * Publish a draft (or, when it needs approval, send it to a second officer
 * who is not its author). Publication gives the tender its data key, wrapped
 * by the bid master key, so bids can be sealed from then on.
 */
export async function publishTender(
  input: { actor: Actor; tenderId: string; ip?: string | null },
  deps: { db: Db; master: BidMasterKey },
): Promise<Tender> {
  const officer = await officerOf(input.actor, "tender:publish", deps.db, input.ip);
  return deps.db.transaction(async (tx) => {
    const tender = await ownTender(tx, officer, input.tenderId);
    const approving = tender.status === "awaiting_approval";
    if (tender.status !== "draft" && !approving) throw new AppError("TENDER_NOT_DRAFT");
    const problem = await publicationProblem(tx, tender);
    if (problem) throw problem;
    if (tender.requiresApproval && !approving) {
      const [sent] = await tx
        .update(tenders)
        .set({ status: "awaiting_approval", updatedAt: new Date() })
        .where(eq(tenders.id, tender.id))
        .returning();
      await audit(tx, officer, "tender.sent_for_approval", tender.id);
      return sent!;
    }
    if (approving && tender.createdBy === officer.userId) throw new AppError("SECOND_OFFICER_REQUIRED");
    const key = newDataKey(deps.master, tender.id);
    const [published] = await tx
      .update(tenders)
      .set({
        status: "published",
        publishedAt: sql`now()`,
        approvedBy: approving ? officer.userId : null,
        dataKeyWrapped: key.wrapped,
        dataKeyMasterId: key.masterKeyId,
        updatedAt: new Date(),
      })
      .where(eq(tenders.id, tender.id))
      .returning();
    await audit(tx, officer, "tender.published", tender.id, {
      reference: tender.reference,
      submissionDeadline: tender.submissionDeadline?.toISOString(),
      approvedBy: approving ? officer.userId : null,
    });
    return published!;
  });
}

/** The acting agency's tenders, newest first. */
export async function listAgencyTenders(actor: Actor, db: Queryable) {
  const officer = await officerOf(actor, "tender:draft", db);
  return db
    .select()
    .from(tenders)
    .where(eq(tenders.agencyId, officer.agencyId))
    .orderBy(desc(tenders.createdAt))
    .limit(200);
}

/** One of the agency's tenders with its lots and items, for its officers. */
export async function tenderForOfficer(actor: Actor, tenderId: string, db: Queryable) {
  const officer = await officerOf(actor, "tender:draft", db);
  const tender = await db.query.tenders.findFirst({
    where: and(eq(tenders.id, tenderId), eq(tenders.agencyId, officer.agencyId)),
  });
  if (!tender) throw new AppError("NOT_FOUND");
  return { tender, lots: await lotsOf(tender.id, db), userId: officer.userId };
}

export async function lotsOf(tenderId: string, db: Queryable) {
  const lots = await db
    .select()
    .from(tenderLots)
    .where(eq(tenderLots.tenderId, tenderId))
    .orderBy(asc(tenderLots.number));
  const items = lots.length
    ? await db
        .select()
        .from(tenderItems)
        .where(sql`${tenderItems.lotId} in (select id from tender_lots where tender_id = ${tenderId})`)
        .orderBy(asc(tenderItems.descriptionEn))
    : [];
  return lots.map((lot) => ({ ...lot, items: items.filter((i) => i.lotId === lot.id) }));
}
