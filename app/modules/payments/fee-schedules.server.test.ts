import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { type Actor, ANONYMOUS } from "#app/modules/accounts/actor.ts";
import { AppError, type ErrorCode } from "#app/utils/errors.ts";
import { agencyPaymentSettings, auditEvents, feeSchedules } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  type FeeScheduleForm,
  feeFor,
  isValidIban,
  listFeeSchedules,
  paymentSettingsOf,
  removeFeeSchedule,
  saveFeeSchedule,
  savePaymentSettings,
} from "./fee-schedules.server.ts";

const { db } = testDatabase();

let agencyA: string;
let agencyB: string;
let agencySar: string;
let officerA: Actor;
let adminA: Actor;
let officerB: Actor;
let officerSar: Actor;
let procurementA: Actor;
let businessOwner: Actor;

beforeAll(async () => {
  agencyA = (await createOrganisation(db, agencyData())).id;
  agencyB = (await createOrganisation(db, agencyData())).id;
  agencySar = (await createOrganisation(db, agencyData({ country: "SA", currency: "SAR" }))).id;
  const business = (await createOrganisation(db, businessData())).id;
  const agencyUser = async (
    organisationId: string,
    roles: Array<"finance_officer" | "agency_admin" | "procurement_officer">,
  ) =>
    actorOf(await createUser(db, { memberships: [{ organisationId, roles }] }), {
      organisationId,
      kind: "agency",
      roles,
    });
  officerA = await agencyUser(agencyA, ["finance_officer"]);
  adminA = await agencyUser(agencyA, ["agency_admin"]);
  officerB = await agencyUser(agencyB, ["finance_officer"]);
  officerSar = await agencyUser(agencySar, ["finance_officer"]);
  procurementA = await agencyUser(agencyA, ["procurement_officer"]);
  businessOwner = actorOf(
    await createUser(db, { memberships: [{ organisationId: business, roles: ["owner", "finance"] }] }),
    { organisationId: business, kind: "business", roles: ["owner", "finance"] },
  );
});

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
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

const scheduleRows = async () => (await db.select({ n: count() }).from(feeSchedules))[0]!.n;
const auditRows = async (action: string) =>
  (await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, action)))[0]!.n;

const save = (actor: Actor, form: FeeScheduleForm) => saveFeeSchedule({ actor, form }, db);

describe("saving the fee schedule", () => {
  test("fixed and percentage lines are kept in minor units of the agency's currency", async () => {
    const fixed = await save(officerA, {
      feeType: "tender_document",
      calculation: "fixed",
      amount: "12.500",
    });
    expect(fixed).toMatchObject({
      agencyId: agencyA,
      feeType: "tender_document",
      subject: "",
      calculation: "fixed",
      currency: "KWD",
      fixedAmount: 12_500n,
      rateBasisPoints: null,
      minimumAmount: null,
      maximumAmount: null,
    });
    const percentage = await save(adminA, {
      feeType: "bid_security",
      calculation: "percentage",
      rate: "1.5%",
      minimum: "5",
      maximum: "٢٠٫٠٠٠", // Arabic-Indic digits, as people type them
    });
    expect(percentage).toMatchObject({
      calculation: "percentage",
      currency: "KWD",
      fixedAmount: null,
      rateBasisPoints: 150,
      minimumAmount: 5_000n,
      maximumAmount: 20_000n,
    });
    const sar = await save(officerSar, { feeType: "complaint", calculation: "fixed", amount: "1,250.50" });
    expect(sar).toMatchObject({ agencyId: agencySar, currency: "SAR", fixedAmount: 125_050n });

    const listed = await listFeeSchedules(agencyA, db);
    expect(listed.map((s) => [s.feeType, s.subject])).toEqual([
      ["bid_security", ""],
      ["tender_document", ""],
    ]);
  });

  test("saving the same fee type and subject again replaces the line", async () => {
    const first = await save(officerB, { feeType: "bid_submission", calculation: "fixed", amount: "3" });
    const second = await save(officerB, {
      feeType: "bid_submission",
      calculation: "percentage",
      rate: "0.25",
      minimum: "1",
    });
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({
      calculation: "percentage",
      fixedAmount: null,
      rateBasisPoints: 25,
      minimumAmount: 1_000n,
      maximumAmount: null,
    });
    const rows = await db
      .select()
      .from(feeSchedules)
      .where(and(eq(feeSchedules.agencyId, agencyB), eq(feeSchedules.feeType, "bid_submission")));
    expect(rows).toHaveLength(1);
  });

  test("permit fees are per permit type: a subject code is required, and each code is its own line", async () => {
    const before = await scheduleRows();
    await expectAppError(
      save(officerA, { feeType: "permit", calculation: "fixed", amount: "10" }),
      "FEE_SUBJECT_REQUIRED",
      "subject",
    );
    await expectAppError(
      save(officerA, { feeType: "permit", subject: "Not A Code!", calculation: "fixed", amount: "10" }),
      "FEE_SUBJECT_REQUIRED",
      "subject",
    );
    expect(await scheduleRows()).toBe(before);
    const building = await save(officerA, {
      feeType: "permit",
      subject: " building-permit ",
      calculation: "fixed",
      amount: "10",
    });
    const trade = await save(officerA, {
      feeType: "permit",
      subject: "trade-licence",
      calculation: "fixed",
      amount: "7.250",
    });
    expect(building.subject).toBe("building-permit");
    expect(trade.id).not.toBe(building.id);
    expect(await scheduleRows()).toBe(before + 2);
  });

  test("a fee other than a permit ignores a stray subject (it would otherwise never be found)", async () => {
    const saved = await save(officerB, {
      feeType: "complaint",
      subject: "typed-by-mistake",
      calculation: "fixed",
      amount: "2",
    });
    expect(saved.subject).toBe("");
    expect(await feeFor({ agencyId: agencyB, feeType: "complaint" }, db)).toEqual({
      amount: 2_000n,
      currency: "KWD",
    });
  });

  test("bad input is refused with the right code and field, and nothing is stored", async () => {
    const cases: Array<[FeeScheduleForm, ErrorCode, string]> = [
      [{ feeType: "tender_document", calculation: "fixed", amount: "" }, "AMOUNT_INVALID", "amount"],
      [{ feeType: "tender_document", calculation: "fixed", amount: "0" }, "AMOUNT_INVALID", "amount"],
      [{ feeType: "tender_document", calculation: "fixed", amount: "-1" }, "AMOUNT_INVALID", "amount"],
      [{ feeType: "tender_document", calculation: "fixed", amount: "abc" }, "AMOUNT_INVALID", "amount"],
      // KWD has three decimals, not four
      [{ feeType: "tender_document", calculation: "fixed", amount: "1.2345" }, "AMOUNT_INVALID", "amount"],
      [{ feeType: "bid_security", calculation: "percentage", rate: "" }, "RATE_INVALID", "rate"],
      [{ feeType: "bid_security", calculation: "percentage", rate: "0" }, "RATE_INVALID", "rate"],
      [{ feeType: "bid_security", calculation: "percentage", rate: "100.01" }, "RATE_INVALID", "rate"],
      [{ feeType: "bid_security", calculation: "percentage", rate: "1.555" }, "RATE_INVALID", "rate"],
      [
        { feeType: "bid_security", calculation: "percentage", rate: "1", minimum: "x" },
        "AMOUNT_INVALID",
        "minimum",
      ],
      [
        { feeType: "bid_security", calculation: "percentage", rate: "1", maximum: "-5" },
        "AMOUNT_INVALID",
        "maximum",
      ],
      [
        { feeType: "bid_security", calculation: "percentage", rate: "1", minimum: "10", maximum: "9.999" },
        "FEE_BOUNDS_INVALID",
        "maximum",
      ],
      [{ feeType: "parking", calculation: "fixed", amount: "1" }, "VALIDATION", "feeType"],
      [{ feeType: "tender_document", calculation: "sliding", amount: "1" }, "VALIDATION", "calculation"],
    ];
    const rowsBefore = await scheduleRows();
    const auditBefore = await auditRows("fee_schedule.saved");
    for (const [form, code, field] of cases) {
      const error = await expectAppError(save(officerA, form), code, field);
      expect(error.status).toBe(400);
    }
    expect(await scheduleRows()).toBe(rowsBefore);
    expect(await auditRows("fee_schedule.saved")).toBe(auditBefore);
  });

  test("only the agency's finance officers and admins keep its schedule", async () => {
    const before = await scheduleRows();
    const form: FeeScheduleForm = { feeType: "complaint", calculation: "fixed", amount: "1" };
    await expectAppError(save(businessOwner, form), "FORBIDDEN");
    await expectAppError(save(procurementA, form), "FORBIDDEN");
    await expectAppError(save(ANONYMOUS, form), "UNAUTHENTICATED");
    await expectAppError(
      savePaymentSettings(
        {
          actor: procurementA,
          form: {
            bankName: "",
            accountName: "",
            iban: "",
            counterAr: "",
            counterEn: "",
            secondOfficerFrom: "",
          },
        },
        db,
      ),
      "FORBIDDEN",
    );
    const line = (await listFeeSchedules(agencyA, db))[0]!;
    await expectAppError(removeFeeSchedule({ actor: businessOwner, scheduleId: line.id }, db), "FORBIDDEN");
    await expectAppError(removeFeeSchedule({ actor: ANONYMOUS, scheduleId: line.id }, db), "UNAUTHENTICATED");
    expect(await scheduleRows()).toBe(before);
  });

  test("each save and removal is audited", async () => {
    const savedBefore = await auditRows("fee_schedule.saved");
    const saved = await saveFeeSchedule(
      {
        actor: officerA,
        form: { feeType: "complaint", calculation: "fixed", amount: "4.5" },
        ip: "203.0.113.7",
      },
      db,
    );
    await save(officerA, { feeType: "complaint", calculation: "fixed", amount: "5" });
    expect(await auditRows("fee_schedule.saved")).toBe(savedBefore + 2);
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "fee_schedule.saved"), eq(auditEvents.objectId, saved.id)))
      .orderBy(auditEvents.seq);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      actorUserId: (officerA as Extract<Actor, { type: "user" }>).userId,
      organisationId: agencyA,
      objectType: "fee_schedule",
      ip: "203.0.113.7",
      details: { feeType: "complaint", subject: "", calculation: "fixed", fixedAmount: "4500" },
    });
    expect(events[1]!.details).toMatchObject({ fixedAmount: "5000" });

    await removeFeeSchedule({ actor: officerA, scheduleId: saved.id }, db);
    const [removed] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "fee_schedule.removed"), eq(auditEvents.objectId, saved.id)));
    expect(removed).toMatchObject({
      organisationId: agencyA,
      details: { feeType: "complaint", subject: "" },
    });
  });
});

describe("removing a line", () => {
  test("removes it from the schedule: the fee is no longer charged", async () => {
    const line = await save(officerB, { feeType: "tender_document", calculation: "fixed", amount: "8" });
    expect(await feeFor({ agencyId: agencyB, feeType: "tender_document" }, db)).not.toBeNull();
    await removeFeeSchedule({ actor: officerB, scheduleId: line.id }, db);
    expect(await feeFor({ agencyId: agencyB, feeType: "tender_document" }, db)).toBeNull();
    await expectAppError(removeFeeSchedule({ actor: officerB, scheduleId: line.id }, db), "NOT_FOUND");
  });

  test("an officer of one agency cannot remove another agency's line", async () => {
    const line = await save(officerB, {
      feeType: "permit",
      subject: "food-licence",
      calculation: "fixed",
      amount: "3",
    });
    const before = await scheduleRows();
    await expectAppError(removeFeeSchedule({ actor: officerA, scheduleId: line.id }, db), "NOT_FOUND");
    await expectAppError(removeFeeSchedule({ actor: officerA, scheduleId: randomUUID() }, db), "NOT_FOUND");
    expect(await scheduleRows()).toBe(before);
    expect(await db.query.feeSchedules.findFirst({ where: eq(feeSchedules.id, line.id) })).toBeDefined();
  });
});

describe("feeFor", () => {
  test("computes the fee from the schedule, a percentage within its bounds", async () => {
    const agency = (await createOrganisation(db, agencyData())).id;
    const officer = actorOf(
      await createUser(db, { memberships: [{ organisationId: agency, roles: ["finance_officer"] }] }),
      { organisationId: agency, kind: "agency", roles: ["finance_officer"] },
    );
    await save(officer, { feeType: "tender_document", calculation: "fixed", amount: "12.500" });
    await save(officer, {
      feeType: "bid_security",
      calculation: "percentage",
      rate: "2",
      minimum: "10",
      maximum: "500",
    });
    await save(officer, {
      feeType: "permit",
      subject: "building-permit",
      calculation: "fixed",
      amount: "25",
    });

    expect(await feeFor({ agencyId: agency, feeType: "tender_document" }, db)).toEqual({
      amount: 12_500n,
      currency: "KWD",
    });
    const security = (base: bigint) => feeFor({ agencyId: agency, feeType: "bid_security", base }, db);
    expect(await security(10_000_000n)).toEqual({ amount: 200_000n, currency: "KWD" }); // 2% of 10,000
    expect(await security(100_000n)).toEqual({ amount: 10_000n, currency: "KWD" }); // 2 KWD, raised to the minimum
    expect(await security(100_000_000n)).toEqual({ amount: 500_000n, currency: "KWD" }); // capped at the maximum
    expect(await security(1_234_567n)).toEqual({ amount: 24_691n, currency: "KWD" }); // 24,691.34 rounded
    await expectAppError(feeFor({ agencyId: agency, feeType: "bid_security" }, db), "VALIDATION");

    expect(await feeFor({ agencyId: agency, feeType: "permit", subject: "building-permit" }, db)).toEqual({
      amount: 25_000n,
      currency: "KWD",
    });
    // Not charged: no line for the fee, the permit type, or at another agency.
    expect(await feeFor({ agencyId: agency, feeType: "complaint" }, db)).toBeNull();
    expect(await feeFor({ agencyId: agency, feeType: "permit", subject: "trade-licence" }, db)).toBeNull();
    expect(await feeFor({ agencyId: agency, feeType: "permit" }, db)).toBeNull();
    expect(await feeFor({ agencyId: agencyA, feeType: "permit", subject: "food-licence" }, db)).toBeNull();
  });
});

describe("payment settings", () => {
  const form = (overrides: Partial<Parameters<typeof savePaymentSettings>[0]["form"]> = {}) => ({
    bankName: " National Bank of Kuwait ",
    accountName: "Agency A",
    iban: "kw81 cbku 0000 0000 0000 1234 5601 01",
    counterAr: "الطابق الأرضي",
    counterEn: "Ground floor",
    secondOfficerFrom: "1,000",
    ...overrides,
  });

  test("IBAN check digits: valid Kuwaiti and Saudi IBANs pass, one changed digit fails", () => {
    expect(isValidIban("KW81CBKU0000000000001234560101")).toBe(true);
    expect(isValidIban("SA03 8000 0000 6080 1016 7519")).toBe(true);
    expect(isValidIban("sa0380000000608010167519")).toBe(true);
    expect(isValidIban("KW81CBKU0000000000001234560102")).toBe(false);
    expect(isValidIban("SA0380000000608010167518")).toBe(false);
    expect(isValidIban("KW82CBKU0000000000001234560101")).toBe(false);
    expect(isValidIban("")).toBe(false);
    expect(isValidIban("KW81")).toBe(false);
  });

  test("saved in the agency's currency, normalised; none saved yet reads as empty", async () => {
    expect(await paymentSettingsOf(agencyA, db)).toMatchObject({ iban: "", secondOfficerFrom: 0n });
    const saved = await savePaymentSettings({ actor: officerA, form: form() }, db);
    expect(saved).toMatchObject({
      agencyId: agencyA,
      bankName: "National Bank of Kuwait",
      iban: "KW81CBKU0000000000001234560101",
      secondOfficerFrom: 1_000_000n,
    });
    await savePaymentSettings({ actor: adminA, form: form({ iban: "", secondOfficerFrom: "" }) }, db);
    expect(await paymentSettingsOf(agencyA, db)).toMatchObject({ iban: "", secondOfficerFrom: 0n });
    const sar = await savePaymentSettings(
      { actor: officerSar, form: form({ iban: "SA0380000000608010167519", secondOfficerFrom: "5000.50" }) },
      db,
    );
    expect(sar.secondOfficerFrom).toBe(500_050n);
  });

  test("a mistyped IBAN or limit is refused and nothing changes", async () => {
    await savePaymentSettings({ actor: officerB, form: form({ secondOfficerFrom: "50" }) }, db);
    const before = await paymentSettingsOf(agencyB, db);
    await expectAppError(
      savePaymentSettings({ actor: officerB, form: form({ iban: "KW81CBKU0000000000001234560102" }) }, db),
      "IBAN_INVALID",
      "iban",
    );
    await expectAppError(
      savePaymentSettings({ actor: officerB, form: form({ secondOfficerFrom: "lots" }) }, db),
      "AMOUNT_INVALID",
      "secondOfficerFrom",
    );
    await expectAppError(
      savePaymentSettings({ actor: officerB, form: form({ secondOfficerFrom: "-1" }) }, db),
      "AMOUNT_INVALID",
      "secondOfficerFrom",
    );
    expect(await paymentSettingsOf(agencyB, db)).toEqual(before);
    const rows = await db
      .select()
      .from(agencyPaymentSettings)
      .where(eq(agencyPaymentSettings.agencyId, agencyB));
    expect(rows).toHaveLength(1);
  });
});
