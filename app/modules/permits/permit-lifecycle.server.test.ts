import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { saveUpload } from "#app/modules/files/save-upload.server.ts";
import { recordReceipt } from "#app/modules/payments/record-receipt.server.ts";
import type { Db } from "#db/client.server.ts";
import {
  auditEvents,
  emailOutbox,
  feeSchedules,
  notifications,
  type Organisation,
  type PermitType,
  payments,
  permitApplicationDocuments,
  permitApplicationEvents,
  permitApplications,
  permitEvents,
  permits,
} from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { chunked, pdfBytes, pngBytes } from "#tests/factories/files.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { addDays, createPermit, createPermitType, isoDate } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { answerInformationRequest, withdrawApplication } from "./applicant-steps.server.ts";
import { requestApplicationFee } from "./application-fee.server.ts";
import { approveApplication, rejectApplication } from "./decide-application.server.ts";
import { issuePermit } from "./issue-permit.server.ts";
import {
  assignApplication,
  recordInspection,
  requestInformation,
  scheduleInspection,
  updateChecklist,
} from "./review-application.server.ts";
import { FieldErrors, saveApplication } from "./save-application.server.ts";
import { startApplication } from "./start-application.server.ts";
import { submitApplication } from "./submit-application.server.ts";

let db: Db;
let files: LocalDiskStore;
let agency: Organisation;
let _business: Organisation;
let owner: Actor;
let officer: Actor;
let officer2: Actor;
let finance: Actor;
let shopType: PermitType;

const upload = (bytes: Buffer, name: string) =>
  saveUpload(
    { body: chunked(bytes), originalName: name, maxBytes: 1_000_000, accept: DOCUMENT_TYPES },
    { db, files },
  );

async function agencyMember(roles: string[], org = agency): Promise<Actor> {
  const user = await createUser(db, { memberships: [{ organisationId: org.id, roles }] } as never);
  return actorOf(user, { organisationId: org.id, kind: "agency", roles } as never);
}

async function newBusiness(overrides = {}) {
  const org = await createOrganisation(db, businessData(overrides));
  const user = await createUser(db, { memberships: [{ organisationId: org.id, roles: ["owner"] }] } as never);
  return {
    org,
    actor: actorOf(user, { organisationId: org.id, kind: "business", roles: ["owner"] }) as Actor,
  };
}

const futureLocal = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${isoDate(d)}T10:00`;
};

beforeAll(async () => {
  db = testDatabase().db;
  files = new LocalDiskStore(await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-permits-")));
  agency = await createOrganisation(db, agencyData({ slug: `municipality-${Date.now()}` }));
  officer = await agencyMember(["licensing_officer"]);
  officer2 = await agencyMember(["licensing_officer"]);
  finance = await agencyMember(["finance_officer"]);
  ({ org: _business, actor: owner } = await newBusiness());
  shopType = await createPermitType(db, agency.id, {
    fields: [
      {
        key: "tradeName",
        type: "text",
        labelAr: "الاسم التجاري",
        labelEn: "Trade name",
        required: true,
        max: 80,
      },
      {
        key: "area",
        type: "number",
        labelAr: "المساحة",
        labelEn: "Floor area",
        required: true,
        min: 10,
        max: 5000,
      },
      {
        key: "plot",
        type: "text",
        labelAr: "القسيمة",
        labelEn: "Plot",
        required: false,
        pattern: "^[0-9]{1,4}/[0-9]{1,4}$",
      },
    ],
    documents: [{ key: "lease", labelAr: "عقد الإيجار", labelEn: "Lease", mediaTypes: ["application/pdf"] }],
    checklist: [{ key: "zoning", labelAr: "التنظيم", labelEn: "Zoning checked" }],
    inspectionRequired: true,
    secondApprovalRequired: true,
    serviceLevelDays: 5,
  });
  await db.insert(feeSchedules).values({
    agencyId: agency.id,
    feeType: "permit",
    subject: shopType.code,
    calculation: "fixed",
    currency: "KWD",
    fixedAmount: 25_000n,
  });
});

describe("the whole lifecycle", () => {
  test("apply, pay, answer an information request, inspect, two approvals, issue, renew", async () => {
    const draft = await startApplication({ actor: owner, permitTypeId: shopType.id }, db);
    expect(draft.status).toBe("draft");
    // Asking again returns the same application.
    expect((await startApplication({ actor: owner, permitTypeId: shopType.id }, db)).id).toBe(draft.id);

    await saveApplication(
      {
        actor: owner,
        applicationId: draft.id,
        fields: { tradeName: "Corner Bakery", area: "120" },
        documents: { lease: await upload(pdfBytes(), "lease.pdf") },
      },
      db,
    );
    // Unpaid: refused, and the application stays a draft.
    await expect(submitApplication({ actor: owner, applicationId: draft.id }, db)).rejects.toMatchObject({
      code: "PERMIT_FEE_UNPAID",
      status: 409,
    });
    const [app0] = await db.select().from(permitApplications).where(eq(permitApplications.id, draft.id));
    const payment = await requestApplicationFee({ actor: owner, application: app0!, type: shopType }, db);
    expect(payment.amount).toBe(25_000n);
    await recordReceipt(
      {
        actor: finance,
        paymentId: payment.id,
        amount: "25.000",
        bankReference: "TRX-1",
        receivedOn: isoDate(new Date()),
      },
      db,
    );
    expect((await db.select().from(payments).where(eq(payments.id, payment.id)))[0]!.status).toBe("captured");

    const submitted = await submitApplication({ actor: owner, applicationId: draft.id }, db);
    expect(submitted.status).toBe("submitted");
    expect(submitted.dueAt!.getTime()).toBeGreaterThan(submitted.submittedAt!.getTime() + 5 * 86_400_000);

    await assignApplication({ actor: officer, applicationId: draft.id }, db);
    await requestInformation(
      { actor: officer, applicationId: draft.id, message: "Please give the plot number." },
      db,
    );
    const stopped = (
      await db.select().from(permitApplications).where(eq(permitApplications.id, draft.id))
    )[0]!;
    expect(stopped.status).toBe("information_requested");
    expect(stopped.clockStoppedAt).not.toBeNull();
    const notes = await db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, "permitInformationRequested"));
    expect(notes.some((n) => n.userId === (owner as { userId: string }).userId)).toBe(true);

    await saveApplication({ actor: owner, applicationId: draft.id, fields: { plot: "12/345" } }, db);
    const answered = await answerInformationRequest(
      { actor: owner, applicationId: draft.id, answer: "Plot 12/345, block 3." },
      db,
    );
    expect(answered.status).toBe("in_review");
    expect(answered.clockStoppedAt).toBeNull();

    await updateChecklist({ actor: officer, applicationId: draft.id, checked: ["zoning"] }, db);
    await expect(approveApplication({ actor: officer, applicationId: draft.id }, db)).rejects.toMatchObject({
      code: "INSPECTION_NOT_PASSED",
    });
    await scheduleInspection(
      { actor: officer, applicationId: draft.id, when: futureLocal(2), location: "Shop 4, Salmiya" },
      db,
    );
    await recordInspection(
      { actor: officer, applicationId: draft.id, result: "passed", findings: "Ventilation and exits fine." },
      db,
    );

    const first = await approveApplication({ actor: officer, applicationId: draft.id }, db);
    expect(first.status).toBe("inspected");
    expect(first.firstApprovedBy).toBe((officer as { userId: string }).userId);
    // The same officer cannot give the second approval.
    await expect(approveApplication({ actor: officer, applicationId: draft.id }, db)).rejects.toMatchObject({
      code: "SECOND_OFFICER_REQUIRED",
    });
    const approved = await approveApplication({ actor: officer2, applicationId: draft.id }, db);
    expect(approved.status).toBe("approved");

    const permit = await issuePermit({ actor: officer2, applicationId: draft.id }, db);
    expect(permit.status).toBe("valid");
    expect(permit.number).toMatch(/^[A-Z0-9]+-[A-Z0-9]+-\d{4}-\d{6}$/);
    expect(permit.fields).toEqual({ tradeName: "Corner Bakery", area: "120", plot: "12/345" });

    const timeline = await db
      .select({ kind: permitApplicationEvents.kind })
      .from(permitApplicationEvents)
      .where(eq(permitApplicationEvents.applicationId, draft.id))
      .orderBy(permitApplicationEvents.at);
    expect(timeline.map((e) => e.kind)).toEqual([
      "created",
      "submitted",
      "assigned",
      "review_started",
      "information_requested",
      "information_provided",
      "inspection_scheduled",
      "inspected",
      "first_approval",
      "approved",
      "issued",
    ]);
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "permit_application.submitted",
        "permit_application.approved",
        "permit.issued",
      ]),
    );

    // Renewal is refused outside its window (a year ahead) and nothing is stored.
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(permitApplications);
    await expect(
      startApplication({ actor: owner, kind: "renewal", permitId: permit.id }, db),
    ).rejects.toMatchObject({
      code: "RENEWAL_WINDOW_CLOSED",
      status: 409,
    });
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(permitApplications)).toEqual(before);

    // Inside the window (validity ending in 20 days), the renewal moves the validity on without a gap.
    const ending = addDays(isoDate(new Date()), 20);
    await db
      .update(permits)
      .set({
        validUntil: ending,
        expiresAt: sql`(${ending}::date + 1)::timestamp at time zone 'Asia/Kuwait'`,
      })
      .where(eq(permits.id, permit.id));
    const renewal = await startApplication({ actor: owner, kind: "renewal", permitId: permit.id }, db);
    expect(renewal.kind).toBe("renewal");
    await saveApplication(
      {
        actor: owner,
        applicationId: renewal.id,
        fields: {},
        documents: { lease: await upload(pdfBytes(3), "lease-2.pdf") },
      },
      db,
    );
    const [renewalRow] = await db
      .select()
      .from(permitApplications)
      .where(eq(permitApplications.id, renewal.id));
    const renewalFee = await requestApplicationFee(
      { actor: owner, application: renewalRow!, type: shopType },
      db,
    );
    await recordReceipt(
      {
        actor: finance,
        paymentId: renewalFee.id,
        amount: "25.000",
        bankReference: "TRX-2",
        receivedOn: isoDate(new Date()),
      },
      db,
    );
    await submitApplication({ actor: owner, applicationId: renewal.id }, db);
    await assignApplication({ actor: officer, applicationId: renewal.id }, db);
    await updateChecklist({ actor: officer, applicationId: renewal.id, checked: ["zoning"] }, db);
    await scheduleInspection(
      { actor: officer, applicationId: renewal.id, when: futureLocal(1), location: "Shop 4" },
      db,
    );
    await recordInspection(
      { actor: officer, applicationId: renewal.id, result: "passed", findings: "Unchanged." },
      db,
    );
    await approveApplication({ actor: officer2, applicationId: renewal.id }, db);
    await approveApplication({ actor: officer, applicationId: renewal.id }, db);
    const renewed = await issuePermit({ actor: officer, applicationId: renewal.id }, db);
    expect(renewed.id).toBe(permit.id);
    expect(renewed.number).toBe(permit.number);
    expect(renewed.validFrom).toBe(addDays(ending, 1));
    const history = await db
      .select()
      .from(permitEvents)
      .where(eq(permitEvents.permitId, permit.id))
      .orderBy(permitEvents.at);
    expect(history.map((h) => [h.kind, h.validUntilBefore])).toEqual([
      ["issued", null],
      ["renewed", ending],
    ]);
  });
});

describe("bad input gets a translated 4xx and stores nothing", () => {
  test("a field that fails its rule", async () => {
    const { actor } = await newBusiness();
    const draft = await startApplication({ actor, permitTypeId: shopType.id }, db);
    const error = await saveApplication(
      { actor, applicationId: draft.id, fields: { tradeName: "Ok", area: "nine", plot: "12-345" } },
      db,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(FieldErrors);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({ area: "permits.errors.number", plot: "permits.errors.pattern" });
    const [row] = await db.select().from(permitApplications).where(eq(permitApplications.id, draft.id));
    expect(row!.fields).toEqual({});
  });

  test("a missing required document, then a file of the wrong type", async () => {
    const { actor } = await newBusiness();
    const draft = await startApplication({ actor, permitTypeId: shopType.id }, db);
    await saveApplication(
      { actor, applicationId: draft.id, fields: { tradeName: "Tea House", area: "40" } },
      db,
    );
    await expect(submitApplication({ actor, applicationId: draft.id }, db)).rejects.toMatchObject({
      code: "DOCUMENTS_REQUIRED",
      status: 400,
      field: "lease",
    });
    const png = await upload(pngBytes(), "lease.png");
    await expect(
      saveApplication(
        { actor, applicationId: draft.id, fields: { tradeName: "Changed" }, documents: { lease: png } },
        db,
      ),
    ).rejects.toMatchObject({ code: "FILE_TYPE_NOT_ALLOWED", status: 415 });
    const [row] = await db.select().from(permitApplications).where(eq(permitApplications.id, draft.id));
    expect(row!.status).toBe("draft");
    expect(row!.fields.tradeName).toBe("Tea House");
    expect(
      await db
        .select()
        .from(permitApplicationDocuments)
        .where(eq(permitApplicationDocuments.applicationId, draft.id)),
    ).toEqual([]);
  });

  test("applying without the parent licence", async () => {
    const parentType = await createPermitType(db, agency.id);
    const childType = await createPermitType(db, agency.id, { parentTypeId: parentType.id });
    const { org, actor } = await newBusiness();
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(permitApplications);
    await expect(startApplication({ actor, permitTypeId: childType.id }, db)).rejects.toMatchObject({
      code: "PARENT_LICENCE_REQUIRED",
      status: 409,
      params: { nameEn: parentType.nameEn, nameAr: parentType.nameAr },
    });
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(permitApplications)).toEqual(before);
    // With the parent licence held, the same request starts a draft.
    await createPermit(db, {
      permitTypeId: parentType.id,
      holderId: org.id,
      issuedBy: (officer as { userId: string }).userId,
    });
    expect((await startApplication({ actor, permitTypeId: childType.id }, db)).status).toBe("draft");
  });

  test("an unverified business, a business of another sector, and someone else's application", async () => {
    const { actor: unverified } = await newBusiness({ verification: "pending" });
    await expect(
      startApplication({ actor: unverified, permitTypeId: shopType.id }, db),
    ).rejects.toMatchObject({ code: "BUSINESS_NOT_VERIFIED", status: 403 });
    const foodOnly = await createPermitType(db, agency.id, { eligibleSectors: ["food"] });
    await expect(startApplication({ actor: owner, permitTypeId: foodOnly.id }, db)).rejects.toMatchObject({
      code: "PERMIT_SECTOR_NOT_ELIGIBLE",
      status: 403,
    });
    const { actor: other } = await newBusiness();
    const theirs = await startApplication({ actor: other, permitTypeId: shopType.id }, db);
    await expect(
      saveApplication({ actor: owner, applicationId: theirs.id, fields: {} }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      withdrawApplication({ actor: owner, applicationId: "not-a-uuid" }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // An officer of another agency does not see it either.
    const otherAgency = await createOrganisation(db, agencyData());
    const stranger = await agencyMember(["licensing_officer"], otherAgency);
    await expect(
      rejectApplication({ actor: stranger, applicationId: theirs.id, reason: "No." }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("a rejection needs a reason and reaches the applicant", async () => {
    const { actor } = await newBusiness();
    const type = await createPermitType(db, agency.id);
    const draft = await startApplication({ actor, permitTypeId: type.id }, db);
    await submitApplication({ actor, applicationId: draft.id }, db);
    await expect(
      rejectApplication({ actor: officer, applicationId: draft.id, reason: " " }, db),
    ).rejects.toMatchObject({ code: "REASON_REQUIRED", status: 400 });
    const rejected = await rejectApplication(
      { actor: officer, applicationId: draft.id, reason: "Activity not allowed in this zone." },
      db,
    );
    expect(rejected.status).toBe("rejected");
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "permitRejected"));
    expect(mails.some((m) => m.body.includes("Activity not allowed in this zone."))).toBe(true);
  });
});

test("two officers approving at once with two-officer approval: exactly one first approval, then the other decides", async () => {
  const { actor } = await newBusiness();
  const type = await createPermitType(db, agency.id, { secondApprovalRequired: true });
  const draft = await startApplication({ actor, permitTypeId: type.id }, db);
  await submitApplication({ actor, applicationId: draft.id }, db);
  await assignApplication({ actor: officer, applicationId: draft.id }, db);
  const results = await Promise.allSettled([
    approveApplication({ actor: officer, applicationId: draft.id }, db),
    approveApplication({ actor: officer2, applicationId: draft.id }, db),
  ]);
  expect(results.every((r) => r.status === "fulfilled")).toBe(true);
  const [row] = await db.select().from(permitApplications).where(eq(permitApplications.id, draft.id));
  expect(row!.status).toBe("approved");
  expect(row!.firstApprovedBy).not.toBe(row!.approvedBy);
  // Issuing twice at once gives one permit.
  const issued = await Promise.allSettled([
    issuePermit({ actor: officer, applicationId: draft.id }, db),
    issuePermit({ actor: officer2, applicationId: draft.id }, db),
  ]);
  // What each call ended with, so a failure says why (seen once: neither issued).
  const outcomes = issued.map((r) => (r.status === "fulfilled" ? "issued" : String(r.reason)));
  expect(
    issued.filter((r) => r.status === "fulfilled"),
    outcomes.join(" | "),
  ).toHaveLength(1);
  expect(await db.select().from(permits).where(eq(permits.applicationId, draft.id))).toHaveLength(1);
});

test("permit numbers count up per agency, type and year", async () => {
  const type = await createPermitType(db, agency.id);
  const numbers: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { actor } = await newBusiness();
    const draft = await startApplication({ actor, permitTypeId: type.id }, db);
    await submitApplication({ actor, applicationId: draft.id }, db);
    await assignApplication({ actor: officer, applicationId: draft.id }, db);
    await approveApplication({ actor: officer, applicationId: draft.id }, db);
    numbers.push((await issuePermit({ actor: officer, applicationId: draft.id }, db)).number);
  }
  // Each one the next of its prefix (another type of this agency may share the prefix and go first).
  const prefix = numbers[0]!.slice(0, -6);
  expect(numbers.every((n) => n.startsWith(prefix))).toBe(true);
  const first = Number(numbers[0]!.slice(-6));
  expect(numbers.map((n) => Number(n.slice(-6)))).toEqual([first, first + 1, first + 2]);
});
