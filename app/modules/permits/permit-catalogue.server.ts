import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { canonicalJson } from "#app/modules/audit/audit-hash.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { saveFeeSchedule } from "#app/modules/payments/fee-schedules.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable, Tx } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import {
  type FeeSchedule,
  feeSchedules,
  type Organisation,
  organisations,
  type PermitType,
  permitTypes,
} from "#db/schema/index.ts";
import {
  checkCreate,
  checkDetails,
  type PermitTypeCreate,
  type PermitTypeDetails,
  type PermitTypeDetailsValue,
} from "./permit-type-form.ts";

/**
 * The permit catalogue: what each agency issues. Anyone may read the active
 * types; the agency's administrator (or the platform administrator, for any
 * agency) creates and edits them. A type's fee is not stored here: it is the
 * line of the agency's fee schedule with fee type "permit" and the type's code
 * as subject, read alongside.
 */

export interface PermitTypeFee {
  currency: string;
  calculation: FeeSchedule["calculation"];
  /** Fixed fees. */
  amount: bigint | null;
  /** Percentage fees: hundredths of a percent, and their bounds. */
  rateBasisPoints: number | null;
  minimum: bigint | null;
  maximum: bigint | null;
}

export interface CatalogueEntry {
  type: PermitType;
  agency: Pick<Organisation, "id" | "slug" | "nameAr" | "nameEn" | "currency" | "timeZone">;
  /** The licence an applicant must already hold, when the type requires one. */
  parent: Pick<PermitType, "id" | "code" | "nameAr" | "nameEn" | "agencyId" | "active"> | null;
  /** From the agency's fee schedule; null when the agency charges nothing for it. */
  fee: PermitTypeFee | null;
}

const parents = alias(permitTypes, "parent_types");

/** Types with their agency and parent; `where` chooses which. */
async function entries(db: Queryable, where: ReturnType<typeof and>): Promise<CatalogueEntry[]> {
  const rows = await db
    .select({
      type: permitTypes,
      agency: {
        id: organisations.id,
        slug: organisations.slug,
        nameAr: organisations.nameAr,
        nameEn: organisations.nameEn,
        currency: organisations.currency,
        timeZone: organisations.timeZone,
      },
      parent: {
        id: parents.id,
        code: parents.code,
        nameAr: parents.nameAr,
        nameEn: parents.nameEn,
        agencyId: parents.agencyId,
        active: parents.active,
      },
    })
    .from(permitTypes)
    .innerJoin(organisations, eq(organisations.id, permitTypes.agencyId))
    .leftJoin(parents, eq(parents.id, permitTypes.parentTypeId))
    .where(where)
    .orderBy(asc(organisations.nameEn), asc(permitTypes.nameEn), asc(permitTypes.code));
  const fees = await feesOf(
    rows.map((r) => r.type),
    db,
  );
  return rows.map((r) => ({
    type: r.type,
    agency: r.agency,
    parent: r.parent?.id ? r.parent : null,
    fee: fees.get(feeKey(r.type.agencyId, r.type.code)) ?? null,
  }));
}

const feeKey = (agencyId: string, code: string) => `${agencyId} ${code}`;

/** The fee schedule lines of these types, in one query. */
async function feesOf(
  types: Array<Pick<PermitType, "agencyId" | "code">>,
  db: Queryable,
): Promise<Map<string, PermitTypeFee>> {
  const found = new Map<string, PermitTypeFee>();
  if (types.length === 0) return found;
  const rows = await db
    .select()
    .from(feeSchedules)
    .where(
      and(
        eq(feeSchedules.feeType, "permit"),
        inArray(feeSchedules.agencyId, [...new Set(types.map((t) => t.agencyId))]),
        inArray(feeSchedules.subject, [...new Set(types.map((t) => t.code))]),
      ),
    );
  for (const s of rows)
    found.set(feeKey(s.agencyId, s.subject), {
      currency: s.currency,
      calculation: s.calculation,
      amount: s.fixedAmount,
      rateBasisPoints: s.rateBasisPoints,
      minimum: s.minimumAmount,
      maximum: s.maximumAmount,
    });
  return found;
}

/** The public catalogue: every active type, by agency (optionally one agency's). */
export function listPublicPermitTypes(db: Queryable, query: { agencyId?: string } = {}) {
  return entries(
    db,
    and(eq(permitTypes.active, true), query.agencyId ? eq(permitTypes.agencyId, query.agencyId) : undefined),
  );
}

/** One type by id or code, with its agency, parent and fee; null when there is none (or, with `activeOnly`, it is withdrawn). */
export async function findPermitType(
  by: { id: string } | { code: string },
  db: Queryable,
  { activeOnly = false }: { activeOnly?: boolean } = {},
): Promise<CatalogueEntry | null> {
  if ("id" in by && !isUuid(by.id)) return null;
  const [entry] = await entries(
    db,
    and(
      "id" in by ? eq(permitTypes.id, by.id) : eq(permitTypes.code, by.code),
      activeOnly ? eq(permitTypes.active, true) : undefined,
    ),
  );
  return entry ?? null;
}

/** The public page of one type: active ones only. */
export async function publicPermitType(typeId: string, db: Queryable): Promise<CatalogueEntry> {
  const entry = await findPermitType({ id: typeId }, db, { activeOnly: true });
  if (!entry) throw new AppError("NOT_FOUND");
  return entry;
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

interface Keeper {
  userId: string;
  agency: Organisation;
  /** The platform administrator keeps every agency's catalogue. */
  platform: boolean;
}

/**
 * The agency whose catalogue the actor keeps: an agency administrator their
 * own (naming another is forbidden), the platform administrator the one named.
 */
export async function catalogueAgencyOf(
  actor: Actor,
  agencyId: string | undefined,
  db: Queryable,
): Promise<Keeper> {
  assertCan(actor, "permit:catalogue");
  const membership = actor.membership!;
  const platform = membership.kind === "platform" && membership.roles.includes("platform_admin");
  if (!platform && membership.kind !== "agency") throw new AppError("FORBIDDEN");
  if (!platform && agencyId && agencyId !== membership.organisationId) throw new AppError("FORBIDDEN");
  const id = platform ? agencyId : membership.organisationId;
  if (!id || !isUuid(id)) throw new AppError("VALIDATION", {}, { field: "agencyId" });
  const agency = await db.query.organisations.findFirst({ where: eq(organisations.id, id) });
  if (agency?.kind !== "agency")
    throw platform ? new AppError("VALIDATION", {}, { field: "agencyId" }) : new AppError("FORBIDDEN");
  return { userId: actor.userId, agency, platform };
}

/** The agencies whose catalogue the actor keeps: their own, or every agency for the platform administrator. */
export async function agenciesKeptBy(
  actor: Actor,
  db: Queryable,
): Promise<Array<Pick<Organisation, "id" | "nameAr" | "nameEn">>> {
  assertCan(actor, "permit:catalogue");
  const membership = actor.membership!;
  const platform = membership.kind === "platform" && membership.roles.includes("platform_admin");
  return db
    .select({ id: organisations.id, nameAr: organisations.nameAr, nameEn: organisations.nameEn })
    .from(organisations)
    .where(
      and(
        eq(organisations.kind, "agency"),
        platform ? undefined : eq(organisations.id, membership.organisationId),
      ),
    )
    .orderBy(asc(organisations.nameEn));
}

/** An agency's whole catalogue, withdrawn types too, for the people who keep it. */
export async function listAgencyPermitTypes(
  input: { actor: Actor; agencyId?: string },
  db: Queryable,
): Promise<{ agency: Organisation; types: CatalogueEntry[] }> {
  const { agency } = await catalogueAgencyOf(input.actor, input.agencyId, db);
  return { agency, types: await entries(db, and(eq(permitTypes.agencyId, agency.id))) };
}

/** One type for editing: only by who keeps its agency's catalogue. */
export async function permitTypeForEditing(
  input: { actor: Actor; typeId: string },
  db: Queryable,
): Promise<CatalogueEntry> {
  assertCan(input.actor, "permit:catalogue");
  const entry = await findPermitType({ id: input.typeId }, db);
  if (!entry) throw new AppError("NOT_FOUND");
  await catalogueAgencyOf(input.actor, entry.type.agencyId, db);
  return entry;
}

/** The active type a code names (the licence required by another), or a field error on `parentCode`. */
async function parentByCode(tx: Tx, code: string | null, current: string | null): Promise<string | null> {
  if (code === null) return null;
  const [parent] = await tx
    .select({ id: permitTypes.id, active: permitTypes.active })
    .from(permitTypes)
    .where(eq(permitTypes.code, code));
  // A withdrawn type may stay the parent it already was, but cannot become one.
  if (!parent || (!parent.active && parent.id !== current))
    throw new AppError("PERMIT_PARENT_NOT_FOUND", { code }, { field: "parentCode" });
  return parent.id;
}

/** One lock for every change of a parent, so two edits cannot close a loop between them. */
const PARENT_LOCK = 0x5af_9e41;

/** Whether `typeId` is `parentId` or one of the licences `parentId` itself requires (a loop if it became its parent). */
async function wouldLoop(tx: Tx, typeId: string, parentId: string): Promise<boolean> {
  const rows = await tx.execute<{ found: number }>(sql`
    with recursive chain(id, parent_type_id, depth) as (
      select id, parent_type_id, 1 from permit_types where id = ${parentId}
      union all
      select p.id, p.parent_type_id, c.depth + 1
      from permit_types p join chain c on p.id = c.parent_type_id
      where c.depth < 1000
    )
    select 1 as found from chain where id = ${typeId} limit 1`);
  return (rows as unknown as unknown[]).length > 0;
}

const columnsOf = (d: PermitTypeDetailsValue) => ({
  nameAr: d.nameAr,
  nameEn: d.nameEn,
  descriptionAr: d.descriptionAr,
  descriptionEn: d.descriptionEn,
  eligibleSectors: d.eligibleSectors,
  requireVerified: d.requireVerified,
  fields: d.fields,
  documents: d.documents,
  checklist: d.checklist,
  serviceLevelDays: d.serviceLevelDays,
  inspectionRequired: d.inspectionRequired,
  secondApprovalRequired: d.secondApprovalRequired,
  validityMonths: d.validityMonths,
  renewalWindowDays: d.renewalWindowDays,
  gracePeriodDays: d.gracePeriodDays,
  active: d.active,
});

/** The first problem of a refused input, as a field error (the pages show them all before calling here). */
function refused(issues: Array<{ path: string }>): never {
  throw new AppError("VALIDATION", {}, { field: issues[0]?.path ?? "form" });
}

/** Add a type to an agency's catalogue. The code must be free on the whole platform. */
export async function createPermitType(
  input: { actor: Actor; type: PermitTypeCreate; ip?: string | null },
  db: Db,
): Promise<PermitType> {
  const checked = checkCreate(input.type);
  if (!checked.ok) refused(checked.issues);
  const value = checked.value;
  const keeper = await catalogueAgencyOf(input.actor, value.agencyId, db);
  return db.transaction(async (tx) => {
    const parentTypeId = await parentByCode(tx, value.parentCode, null);
    let created: PermitType;
    try {
      [created] = (await tx
        .insert(permitTypes)
        .values({ agencyId: keeper.agency.id, code: value.code, parentTypeId, ...columnsOf(value) })
        .returning()) as [PermitType];
    } catch (e) {
      const pg = postgresErrorOf(e);
      if (pg?.code === "23505" && pg.constraint?.includes("code"))
        throw new AppError("PERMIT_CODE_TAKEN", { code: value.code }, { field: "code", cause: e });
      throw e;
    }
    await recordAudit(tx, {
      actorUserId: keeper.userId,
      organisationId: keeper.agency.id,
      action: "permit_type.created",
      objectType: "permit_type",
      objectId: created.id,
      ip: input.ip ?? null,
      details: { ...auditable(created), parentCode: value.parentCode },
    });
    return created;
  });
}

/** What the audit trail keeps of a type: everything but the timestamps and ids already on the event. */
function auditable(t: PermitType) {
  const { id: _id, agencyId: _agency, createdAt: _c, updatedAt: _u, ...rest } = t;
  return rest;
}

/**
 * Change a type (everything but its code and agency, which tenders, fees and
 * issued permits rely on). Only what changed is written and audited, with its
 * value before and after; saving an unchanged form writes nothing.
 */
export async function updatePermitType(
  input: { actor: Actor; typeId: string; type: PermitTypeDetails; ip?: string | null },
  db: Db,
): Promise<PermitType> {
  const checked = checkDetails(input.type);
  if (!checked.ok) refused(checked.issues);
  const value = checked.value;
  assertCan(input.actor, "permit:catalogue");
  if (!isUuid(input.typeId)) throw new AppError("NOT_FOUND");
  return db.transaction(async (tx) => {
    if (value.parentCode !== null)
      await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(PARENT_LOCK))})`);
    const [before] = await tx
      .select()
      .from(permitTypes)
      .where(eq(permitTypes.id, input.typeId))
      .for("update");
    if (!before) throw new AppError("NOT_FOUND");
    const keeper = await catalogueAgencyOf(input.actor, before.agencyId, tx);
    const parentTypeId = await parentByCode(tx, value.parentCode, before.parentTypeId);
    if (
      parentTypeId !== null &&
      parentTypeId !== before.parentTypeId &&
      (await wouldLoop(tx, before.id, parentTypeId))
    )
      throw new AppError("PERMIT_PARENT_CYCLE", { code: value.parentCode ?? "" }, { field: "parentCode" });
    const next = { ...columnsOf(value), parentTypeId };
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const [key, after] of Object.entries(next)) {
      const was = before[key as keyof PermitType];
      // Canonical: jsonb gives back object keys in its own order.
      if (canonicalJson(was) !== canonicalJson(after)) changes[key] = { before: was, after };
    }
    if (Object.keys(changes).length === 0) return before;
    const [updated] = await tx
      .update(permitTypes)
      .set({ ...next, updatedAt: sql`now()` })
      .where(eq(permitTypes.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: keeper.userId,
      organisationId: before.agencyId,
      action: "permit_type.updated",
      objectType: "permit_type",
      objectId: before.id,
      ip: input.ip ?? null,
      details: { code: before.code, changes },
    });
    return updated!;
  });
}

/**
 * Set a type's fee: a fixed amount on the agency's fee schedule, through the
 * fee schedule's own use case (so it needs payments:configure, and is audited
 * there). Only for the actor's own agency's types.
 */
export async function setPermitTypeFee(
  input: { actor: Actor; typeId: string; amount: string; ip?: string | null },
  db: Db,
): Promise<FeeSchedule> {
  assertCan(input.actor, "payments:configure");
  const entry = await findPermitType({ id: input.typeId }, db);
  if (!entry) throw new AppError("NOT_FOUND");
  if (entry.type.agencyId !== input.actor.membership?.organisationId) throw new AppError("FORBIDDEN");
  return saveFeeSchedule(
    {
      actor: input.actor,
      form: { feeType: "permit", subject: entry.type.code, calculation: "fixed", amount: input.amount },
      ip: input.ip,
    },
    db,
  );
}
