import { randomBytes } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { type Actor, ANONYMOUS } from "#app/modules/accounts/actor.ts";
import { AppError, type ErrorCode } from "#app/utils/errors.ts";
import { auditEvents, permitTypes } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  createPermitType,
  findPermitType,
  listAgencyPermitTypes,
  listPublicPermitTypes,
  permitTypeForEditing,
  publicPermitType,
  setPermitTypeFee,
  updatePermitType,
} from "./permit-catalogue.server.ts";
import type { PermitTypeCreate, PermitTypeDetails } from "./permit-type-form.ts";

const { db } = testDatabase();

let agencyA: string;
let agencyB: string;
let adminA: Actor;
let adminB: Actor;
let platformAdmin: Actor;
let licensingA: Actor;
let businessOwner: Actor;

beforeAll(async () => {
  agencyA = (await createOrganisation(db, agencyData({ nameEn: "Agency A", nameAr: "الجهة أ" }))).id;
  agencyB = (await createOrganisation(db, agencyData({ country: "SA", currency: "SAR" }))).id;
  const platform = (
    await createOrganisation(db, {
      kind: "platform",
      slug: `platform-${randomBytes(3).toString("hex")}`,
      nameAr: "المنصة",
      nameEn: "Platform",
      country: "KW",
      currency: "KWD",
      timeZone: "Asia/Kuwait",
    })
  ).id;
  const business = (await createOrganisation(db, businessData())).id;
  const member = async (organisationId: string, kind: string, roles: string[]) =>
    actorOf(await createUser(db, { memberships: [{ organisationId, roles }] }), {
      organisationId,
      kind,
      roles,
    } as never);
  adminA = await member(agencyA, "agency", ["agency_admin"]);
  adminB = await member(agencyB, "agency", ["agency_admin"]);
  platformAdmin = await member(platform, "platform", ["platform_admin"]);
  licensingA = await member(agencyA, "agency", ["licensing_officer"]);
  businessOwner = await member(business, "business", ["owner"]);
});

const code = (stem: string) => `${stem}-${randomBytes(3).toString("hex")}`;

function typeInput(overrides: Partial<PermitTypeCreate> = {}): PermitTypeCreate {
  return {
    code: code("shop-licence"),
    nameAr: "رخصة محل",
    nameEn: "Shop licence",
    descriptionAr: "رخصة لمزاولة نشاط تجاري في محل.",
    descriptionEn: "A licence to trade from a shop.",
    serviceLevelDays: 5,
    validityMonths: 12,
    renewalWindowDays: 60,
    gracePeriodDays: 30,
    fields: [
      {
        key: "trade_name",
        type: "text",
        labelAr: "الاسم التجاري",
        labelEn: "Trade name",
        required: true,
        max: 120,
      },
      {
        key: "activity",
        type: "select",
        labelAr: "النشاط",
        labelEn: "Activity",
        required: true,
        options: [
          { value: "retail", labelAr: "تجزئة", labelEn: "Retail" },
          { value: "wholesale", labelAr: "جملة", labelEn: "Wholesale" },
        ],
      },
      {
        key: "plot",
        type: "text",
        labelAr: "رقم القطعة",
        labelEn: "Plot number",
        required: false,
        pattern: "^[0-9]{3}-[0-9]{4}$",
      },
    ],
    documents: [
      {
        key: "lease",
        labelAr: "عقد الإيجار",
        labelEn: "Lease contract",
        mediaTypes: ["image/jpeg", "application/pdf"],
      },
    ],
    checklist: [{ key: "lease_valid", labelAr: "عقد الإيجار ساري", labelEn: "The lease is current" }],
    ...overrides,
  };
}

/** The form's details of a stored type, changed by `overrides`. */
function detailsOf(
  type: Awaited<ReturnType<typeof createPermitType>>,
  overrides: Partial<PermitTypeDetails> = {},
) {
  const {
    code: _code,
    agencyId: _agency,
    id: _id,
    parentTypeId: _p,
    createdAt: _c,
    updatedAt: _u,
    ...rest
  } = type;
  return { ...rest, parentCode: null, ...overrides } satisfies PermitTypeDetails;
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, field?: string) {
  const error = await appErrorOf(promise);
  expect({ code: error.code, field: error.field }).toEqual({ code, field });
  return error;
}

const auditCount = async (objectId: string) =>
  (await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.objectId, objectId)))[0]!.n;
const typesWithCode = async (c: string) =>
  (await db.select({ n: count() }).from(permitTypes).where(eq(permitTypes.code, c)))[0]!.n;

describe("creating permit types", () => {
  test("the agency's administrator adds a type to its own catalogue, audited in the same transaction", async () => {
    const input = typeInput();
    const created = await createPermitType({ actor: adminA, type: input, ip: "203.0.113.9" }, db);
    expect(created).toMatchObject({
      agencyId: agencyA,
      code: input.code,
      nameEn: "Shop licence",
      serviceLevelDays: 5,
      requireVerified: true,
      active: true,
      parentTypeId: null,
    });
    // Stored as the platform defines it: formats in the platform's order, options only on selects.
    expect(created.documents[0]!.mediaTypes).toEqual(["application/pdf", "image/jpeg"]);
    expect(created.fields[0]).toEqual({
      key: "trade_name",
      type: "text",
      labelAr: "الاسم التجاري",
      labelEn: "Trade name",
      required: true,
      max: 120,
    });
    expect(created.fields[1]!.options).toHaveLength(2);
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.objectId, created.id));
    expect(event).toMatchObject({
      action: "permit_type.created",
      objectType: "permit_type",
      organisationId: agencyA,
      actorUserId: (adminA as Extract<Actor, { type: "user" }>).userId,
    });
    expect(event!.details).toMatchObject({ code: input.code, serviceLevelDays: 5 });
  });

  test("the platform administrator adds a type to any agency, and must say which", async () => {
    const created = await createPermitType(
      { actor: platformAdmin, type: typeInput({ agencyId: agencyB }) },
      db,
    );
    expect(created.agencyId).toBe(agencyB);
    await expectAppError(
      createPermitType({ actor: platformAdmin, type: typeInput() }, db),
      "VALIDATION",
      "agencyId",
    );
    await expectAppError(
      createPermitType({ actor: platformAdmin, type: typeInput({ agencyId: crypto.randomUUID() }) }, db),
      "VALIDATION",
      "agencyId",
    );
  });

  test("nobody else keeps the catalogue, and an agency admin cannot add to another agency's", async () => {
    await expectAppError(createPermitType({ actor: ANONYMOUS, type: typeInput() }, db), "UNAUTHENTICATED");
    await expectAppError(createPermitType({ actor: licensingA, type: typeInput() }, db), "FORBIDDEN");
    await expectAppError(createPermitType({ actor: businessOwner, type: typeInput() }, db), "FORBIDDEN");
    const input = typeInput({ agencyId: agencyB });
    await expectAppError(createPermitType({ actor: adminA, type: input }, db), "FORBIDDEN");
    expect(await typesWithCode(input.code)).toBe(0);
  });

  test("a code already used anywhere on the platform is refused with 409, and nothing is stored or audited", async () => {
    const first = await createPermitType({ actor: adminA, type: typeInput() }, db);
    const before = (await db.select({ n: count() }).from(auditEvents))[0]!.n;
    const error = await expectAppError(
      createPermitType({ actor: adminB, type: typeInput({ code: first.code, nameEn: "Other" }) }, db),
      "PERMIT_CODE_TAKEN",
      "code",
    );
    expect(error.status).toBe(409);
    expect(error.params).toEqual({ code: first.code });
    expect(await typesWithCode(first.code)).toBe(1);
    expect((await db.select({ n: count() }).from(auditEvents))[0]!.n).toBe(before);
  });

  test("a required parent licence must be an active type", async () => {
    const parent = await createPermitType({ actor: adminB, type: typeInput() }, db);
    const child = await createPermitType({ actor: adminA, type: typeInput({ parentCode: parent.code }) }, db);
    expect(child.parentTypeId).toBe(parent.id);
    const missing = typeInput({ parentCode: "no-such-licence" });
    await expectAppError(
      createPermitType({ actor: adminA, type: missing }, db),
      "PERMIT_PARENT_NOT_FOUND",
      "parentCode",
    );
    expect(await typesWithCode(missing.code)).toBe(0);
    await updatePermitType(
      { actor: adminB, typeId: parent.id, type: detailsOf(parent, { active: false }) },
      db,
    );
    await expectAppError(
      createPermitType({ actor: adminA, type: typeInput({ parentCode: parent.code }) }, db),
      "PERMIT_PARENT_NOT_FOUND",
      "parentCode",
    );
    // The child keeps its withdrawn parent when it is saved again.
    const kept = await updatePermitType(
      {
        actor: adminA,
        typeId: child.id,
        type: detailsOf(child, { parentCode: parent.code, nameEn: "Renamed" }),
      },
      db,
    );
    expect(kept).toMatchObject({ parentTypeId: parent.id, nameEn: "Renamed" });
  });

  test("a type cannot require itself", async () => {
    const c = code("self");
    await expectAppError(
      createPermitType({ actor: adminA, type: typeInput({ code: c, parentCode: c }) }, db),
      "VALIDATION",
      "parentCode",
    );
  });

  test.each([
    ["code", { code: "Shop Licence" }],
    ["code", { code: "x" }],
    ["nameAr", { nameAr: "  " }],
    ["nameEn", { nameEn: "" }],
    ["serviceLevelDays", { serviceLevelDays: 0 }],
    ["serviceLevelDays", { serviceLevelDays: 2.5 }],
    ["validityMonths", { validityMonths: 121 }],
    ["gracePeriodDays", { gracePeriodDays: -1 }],
    ["renewalWindowDays", { validityMonths: 1, renewalWindowDays: 60 }],
    ["eligibleSectors", { eligibleSectors: ["astrology" as never] }],
    ["fields.1.key", { fields: [typeInput().fields![0]!, { ...typeInput().fields![0]!, labelEn: "Again" }] }],
    ["fields.0.key", { fields: [{ key: "Trade Name", type: "text", labelAr: "أ", labelEn: "A" }] }],
    ["fields.0.labelAr", { fields: [{ key: "a", type: "text", labelAr: "", labelEn: "A" }] }],
    ["fields.0.type", { fields: [{ key: "a", type: "colour" as never, labelAr: "أ", labelEn: "A" }] }],
    ["fields.0.options", { fields: [{ key: "a", type: "select", labelAr: "أ", labelEn: "A" }] }],
    ["fields.0.max", { fields: [{ key: "a", type: "number", labelAr: "أ", labelEn: "A", min: 10, max: 1 }] }],
    ["fields.0.min", { fields: [{ key: "a", type: "date", labelAr: "أ", labelEn: "A", min: 1 }] }],
    [
      "fields.0.pattern",
      { fields: [{ key: "a", type: "text", labelAr: "أ", labelEn: "A", pattern: "([0-9" }] },
    ],
    [
      "fields.0.pattern",
      { fields: [{ key: "a", type: "number", labelAr: "أ", labelEn: "A", pattern: "^1$" }] },
    ],
    [
      "documents.0.mediaTypes",
      { documents: [{ key: "d", labelAr: "م", labelEn: "D", mediaTypes: ["text/html"] }] },
    ],
    [
      "documents.1.key",
      {
        documents: [
          { key: "d", labelAr: "م", labelEn: "D" },
          { key: "d", labelAr: "م٢", labelEn: "D2" },
        ],
      },
    ],
    ["checklist.0.labelEn", { checklist: [{ key: "c", labelAr: "ب", labelEn: " " }] }],
  ] as Array<[string, Partial<PermitTypeCreate>]>)(
    "refuses a bad %s, storing nothing",
    async (field, overrides) => {
      const input = typeInput(overrides);
      await expectAppError(createPermitType({ actor: adminA, type: input }, db), "VALIDATION", field);
      if (typeof input.code === "string") expect(await typesWithCode(input.code)).toBe(0);
    },
  );
});

describe("changing permit types", () => {
  test("only what changed is written and audited, with its value before and after; an unchanged save writes nothing", async () => {
    const type = await createPermitType({ actor: adminA, type: typeInput() }, db);
    const updated = await updatePermitType(
      {
        actor: adminA,
        typeId: type.id,
        type: detailsOf(type, {
          serviceLevelDays: 7,
          checklist: [
            ...type.checklist,
            { key: "fire", labelAr: "السلامة من الحريق", labelEn: "Fire safety" },
          ],
        }),
      },
      db,
    );
    expect(updated.serviceLevelDays).toBe(7);
    expect(updated.checklist).toHaveLength(2);
    expect(updated.code).toBe(type.code);
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, type.id), eq(auditEvents.action, "permit_type.updated")));
    expect(events).toHaveLength(1);
    const details = events[0]!.details as { code: string; changes: Record<string, unknown> };
    expect(details.code).toBe(type.code);
    expect(Object.keys(details.changes).sort()).toEqual(["checklist", "serviceLevelDays"]);
    expect(details.changes.serviceLevelDays).toEqual({ before: 5, after: 7 });
    // Saving the same again (jsonb gives its keys back in its own order) changes nothing.
    const again = await updatePermitType({ actor: adminA, typeId: type.id, type: detailsOf(updated) }, db);
    expect(again.updatedAt).toEqual(updated.updatedAt);
    expect(await auditCount(type.id)).toBe(2);
  });

  test("another agency's admin cannot change it; the platform admin can; a missing type is not found", async () => {
    const type = await createPermitType({ actor: adminA, type: typeInput() }, db);
    await expectAppError(
      updatePermitType({ actor: adminB, typeId: type.id, type: detailsOf(type, { nameEn: "Hijacked" }) }, db),
      "FORBIDDEN",
    );
    await expectAppError(
      updatePermitType({ actor: licensingA, typeId: type.id, type: detailsOf(type, { nameEn: "X" }) }, db),
      "FORBIDDEN",
    );
    const byPlatform = await updatePermitType(
      { actor: platformAdmin, typeId: type.id, type: detailsOf(type, { nameEn: "Shop licence (revised)" }) },
      db,
    );
    expect(byPlatform.nameEn).toBe("Shop licence (revised)");
    await expectAppError(
      updatePermitType({ actor: adminA, typeId: crypto.randomUUID(), type: detailsOf(type) }, db),
      "NOT_FOUND",
    );
    await expectAppError(permitTypeForEditing({ actor: adminB, typeId: type.id }, db), "FORBIDDEN");
    expect((await permitTypeForEditing({ actor: adminA, typeId: type.id }, db)).type.id).toBe(type.id);
  });

  test("a refused change leaves the type as it was", async () => {
    const type = await createPermitType({ actor: adminA, type: typeInput() }, db);
    await expectAppError(
      updatePermitType(
        { actor: adminA, typeId: type.id, type: detailsOf(type, { nameEn: "Changed", validityMonths: 0 }) },
        db,
      ),
      "VALIDATION",
      "validityMonths",
    );
    await expectAppError(
      updatePermitType(
        {
          actor: adminA,
          typeId: type.id,
          type: detailsOf(type, { nameEn: "Changed", parentCode: "nope-nope" }),
        },
        db,
      ),
      "PERMIT_PARENT_NOT_FOUND",
      "parentCode",
    );
    const [stored] = await db.select().from(permitTypes).where(eq(permitTypes.id, type.id));
    expect(stored!.nameEn).toBe("Shop licence");
    expect(await auditCount(type.id)).toBe(1);
  });

  test("requiring a licence that already requires this one, directly or further up, is a loop and refused", async () => {
    const a = await createPermitType({ actor: adminA, type: typeInput({ code: code("a") }) }, db);
    const b = await createPermitType(
      { actor: adminA, type: typeInput({ code: code("b"), parentCode: a.code }) },
      db,
    );
    const c = await createPermitType(
      { actor: adminA, type: typeInput({ code: code("c"), parentCode: b.code }) },
      db,
    );
    const error = await expectAppError(
      updatePermitType({ actor: adminA, typeId: a.id, type: detailsOf(a, { parentCode: b.code }) }, db),
      "PERMIT_PARENT_CYCLE",
      "parentCode",
    );
    expect(error.status).toBe(409);
    await expectAppError(
      updatePermitType({ actor: adminA, typeId: a.id, type: detailsOf(a, { parentCode: c.code }) }, db),
      "PERMIT_PARENT_CYCLE",
      "parentCode",
    );
    await expectAppError(
      updatePermitType({ actor: adminA, typeId: a.id, type: detailsOf(a, { parentCode: a.code }) }, db),
      "PERMIT_PARENT_CYCLE",
      "parentCode",
    );
    // Re-pointing down the chain without a loop is fine: c may require a directly.
    const moved = await updatePermitType(
      { actor: adminA, typeId: c.id, type: detailsOf(c, { parentCode: a.code }) },
      db,
    );
    expect(moved.parentTypeId).toBe(a.id);
  });

  test("two edits at once cannot close a loop between them", async () => {
    const z = await createPermitType({ actor: adminA, type: typeInput({ code: code("z") }) }, db);
    const y = await createPermitType(
      { actor: adminA, type: typeInput({ code: code("y"), parentCode: z.code }) },
      db,
    );
    const x = await createPermitType({ actor: adminA, type: typeInput({ code: code("x") }) }, db);
    let second: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      // x comes to require y (which requires z), not committed yet; meanwhile someone makes z require x.
      await updatePermitType(
        { actor: adminA, typeId: x.id, type: detailsOf(x, { parentCode: y.code }) },
        tx as never,
      );
      second = updatePermitType(
        { actor: adminA, typeId: z.id, type: detailsOf(z, { parentCode: x.code }) },
        db,
      );
      second.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await expectAppError(second!, "PERMIT_PARENT_CYCLE", "parentCode");
    const [stored] = await db.select().from(permitTypes).where(eq(permitTypes.id, z.id));
    expect(stored!.parentTypeId).toBeNull();
  });
});

describe("reading the catalogue", () => {
  test("the public sees active types with their agency, parent and fee; withdrawn ones only their keepers see", async () => {
    const agency = (await createOrganisation(db, agencyData({ nameAr: "بلدية", nameEn: "Municipality" }))).id;
    const admin = actorOf(
      await createUser(db, { memberships: [{ organisationId: agency, roles: ["agency_admin"] }] }),
      {
        organisationId: agency,
        kind: "agency",
        roles: ["agency_admin"],
      },
    );
    const parent = await createPermitType({ actor: admin, type: typeInput({ nameEn: "Alpha licence" }) }, db);
    const child = await createPermitType(
      { actor: admin, type: typeInput({ nameEn: "Beta permit", parentCode: parent.code }) },
      db,
    );
    const withdrawn = await createPermitType(
      { actor: admin, type: typeInput({ nameEn: "Gamma", active: false }) },
      db,
    );
    await setPermitTypeFee({ actor: admin, typeId: child.id, amount: "12.500" }, db);

    const listed = await listPublicPermitTypes(db, { agencyId: agency });
    expect(listed.map((e) => e.type.nameEn)).toEqual(["Alpha licence", "Beta permit"]);
    const beta = listed[1]!;
    expect(beta.agency).toMatchObject({ id: agency, nameEn: "Municipality", nameAr: "بلدية" });
    expect(beta.parent).toMatchObject({ id: parent.id, code: parent.code, nameEn: "Alpha licence" });
    expect(beta.fee).toMatchObject({ calculation: "fixed", amount: 12_500n, currency: "KWD" });
    expect(listed[0]!.fee).toBeNull();
    expect((await listPublicPermitTypes(db)).some((e) => e.type.id === withdrawn.id)).toBe(false);

    expect((await findPermitType({ code: child.code }, db))?.type.id).toBe(child.id);
    expect((await findPermitType({ id: withdrawn.id }, db))?.type.active).toBe(false);
    expect(await findPermitType({ id: withdrawn.id }, db, { activeOnly: true })).toBeNull();
    expect(await findPermitType({ id: "not-a-uuid" }, db)).toBeNull();
    await expectAppError(publicPermitType(withdrawn.id, db), "NOT_FOUND");
    expect((await publicPermitType(child.id, db)).type.code).toBe(child.code);

    const own = await listAgencyPermitTypes({ actor: admin }, db);
    expect(own.types.map((e) => e.type.nameEn)).toEqual(["Alpha licence", "Beta permit", "Gamma"]);
    await expectAppError(listAgencyPermitTypes({ actor: admin, agencyId: agencyA }, db), "FORBIDDEN");
    const byPlatform = await listAgencyPermitTypes({ actor: platformAdmin, agencyId: agency }, db);
    expect(byPlatform.types).toHaveLength(3);
  });

  test("the fee is set through the agency's fee schedule, only for the agency's own types", async () => {
    const type = await createPermitType({ actor: adminA, type: typeInput() }, db);
    const fee = await setPermitTypeFee({ actor: adminA, typeId: type.id, amount: "25" }, db);
    expect(fee).toMatchObject({
      feeType: "permit",
      subject: type.code,
      fixedAmount: 25_000n,
      agencyId: agencyA,
    });
    await expectAppError(setPermitTypeFee({ actor: adminB, typeId: type.id, amount: "1" }, db), "FORBIDDEN");
    await expectAppError(
      setPermitTypeFee({ actor: platformAdmin, typeId: type.id, amount: "1" }, db),
      "FORBIDDEN",
    );
    await expectAppError(
      setPermitTypeFee({ actor: adminA, typeId: type.id, amount: "abc" }, db),
      "AMOUNT_INVALID",
      "amount",
    );
  });
});
