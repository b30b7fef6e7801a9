import { beforeAll, describe, expect, test } from "vitest";
import type { Membership } from "#app/modules/accounts/actor.ts";
import { ANONYMOUS } from "#app/modules/accounts/actor.ts";
import type { Organisation, Permit, PermitType, User } from "#db/schema/index.ts";
import type { PermitFieldSpec } from "#db/schema/permit-kinds.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createPermit, createPermitType } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { certificateFields, permitCertificateFor } from "./permit-certificate-data.server.ts";

const { db } = testDatabase();
const baseUrl = "https://shafaf.example.gov/";

const FIELDS: PermitFieldSpec[] = [
  {
    key: "activity",
    type: "select",
    labelAr: "النشاط",
    labelEn: "Activity",
    required: true,
    options: [{ value: "contracting", labelAr: "مقاولات عامة", labelEn: "General contracting" }],
  },
  { key: "plot", type: "text", labelAr: "رقم القسيمة", labelEn: "Plot number", required: true },
  { key: "notes", type: "textarea", labelAr: "ملاحظات", labelEn: "Notes", required: false },
  { key: "area", type: "number", labelAr: "المساحة", labelEn: "Area", required: false },
];

let agency: Organisation;
let otherAgency: Organisation;
let holder: Organisation;
let otherBusiness: Organisation;
let officer: User;
let member: User;
let type: PermitType;
let permit: Permit;

const as = (user: User, membership: Membership) => actorOf(user, membership);

beforeAll(async () => {
  agency = await createOrganisation(db, agencyData());
  otherAgency = await createOrganisation(db, agencyData());
  holder = await createOrganisation(db, businessData());
  otherBusiness = await createOrganisation(db, businessData());
  officer = await createUser(db, {
    memberships: [{ organisationId: agency.id, roles: ["licensing_officer"] }],
  });
  member = await createUser(db, { memberships: [{ organisationId: holder.id, roles: ["bidder"] }] });
  type = await createPermitType(db, agency.id, { fields: FIELDS });
  const parentType = await createPermitType(db, agency.id);
  const parent = await createPermit(db, {
    permitTypeId: parentType.id,
    holderId: holder.id,
    issuedBy: officer.id,
  });
  permit = await createPermit(db, {
    permitTypeId: type.id,
    holderId: holder.id,
    issuedBy: officer.id,
    parentPermitId: parent.id,
    fields: { activity: "contracting", plot: "12/45", notes: "private note for the reviewer", stray: "x" },
    validFrom: "2026-03-01",
    validUntil: "2099-02-28",
  });
});

describe("permitCertificateFor", () => {
  test("gives the holder's members the certificate, with its verification link", async () => {
    const cert = await permitCertificateFor(
      as(member, { organisationId: holder.id, kind: "business", roles: ["bidder"] }),
      permit.number.toLowerCase(),
      db,
      { baseUrl },
    );
    expect(cert).toMatchObject({
      number: permit.number,
      status: "valid",
      permitType: { nameAr: type.nameAr, nameEn: type.nameEn },
      agency: { nameAr: agency.nameAr, nameEn: agency.nameEn },
      holder: { nameAr: holder.nameAr, nameEn: holder.nameEn, registrationNumber: holder.registrationNumber },
      validFrom: "2026-03-01",
      validUntil: "2099-02-28",
      issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      parentPermitNumber: expect.stringMatching(/^TST-/),
      printedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Asia\/Kuwait\)$/),
      verifyUrl: `https://shafaf.example.gov/verify/permit/${permit.number}`,
    });
    expect(cert.fields.map((f) => f.labelEn)).toEqual(["Activity", "Plot number"]);
    expect(JSON.stringify(cert)).not.toContain("private note");
  });

  test("gives the issuing agency's members the certificate", async () => {
    const cert = await permitCertificateFor(
      as(officer, { organisationId: agency.id, kind: "agency", roles: ["licensing_officer"] }),
      permit.number,
      db,
      { baseUrl },
    );
    expect(cert.number).toBe(permit.number);
  });

  test("anyone else gets NOT_FOUND, as for a number that does not exist", async () => {
    const outsiders = [
      as(member, { organisationId: otherBusiness.id, kind: "business", roles: ["owner"] }),
      as(officer, { organisationId: otherAgency.id, kind: "agency", roles: ["licensing_officer"] }),
      actorOf(member, null),
    ];
    for (const actor of outsiders) {
      await expect(permitCertificateFor(actor, permit.number, db, { baseUrl })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    const insider = as(member, { organisationId: holder.id, kind: "business", roles: ["bidder"] });
    for (const number of ["ZZZ-QQ-2026-999999", "<script>", ""]) {
      await expect(permitCertificateFor(insider, number, db, { baseUrl })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    await expect(permitCertificateFor(ANONYMOUS, permit.number, db, { baseUrl })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
    });
  });

  test("prints the status as of now: a validity that ended reads expired", async () => {
    const ended = await createPermit(db, {
      permitTypeId: (await createPermitType(db, agency.id)).id,
      holderId: holder.id,
      issuedBy: officer.id,
      validFrom: "2020-01-01",
      validUntil: "2020-12-31",
    });
    const cert = await permitCertificateFor(
      as(member, { organisationId: holder.id, kind: "business", roles: ["bidder"] }),
      ended.number,
      db,
      { baseUrl },
    );
    expect(cert.status).toBe("expired");
  });
});

describe("certificateFields", () => {
  test("prints the type's answered fields in its order, with option labels, and no free text", () => {
    expect(
      certificateFields(FIELDS, {
        area: " 350 ",
        plot: "12/45",
        activity: "contracting",
        notes: "x",
        other: "y",
      }),
    ).toEqual([
      {
        labelAr: "النشاط",
        labelEn: "Activity",
        value: { ar: "مقاولات عامة", en: "General contracting" },
      },
      { labelAr: "رقم القسيمة", labelEn: "Plot number", value: { ar: "12/45", en: "12/45" } },
      { labelAr: "المساحة", labelEn: "Area", value: { ar: "350", en: "350" } },
    ]);
  });

  test("cuts long answers and stops at ten", () => {
    const many: PermitFieldSpec[] = Array.from({ length: 12 }, (_, i) => ({
      key: `f${i}`,
      type: "text",
      labelAr: `حقل ${i}`,
      labelEn: `Field ${i}`,
      required: false,
    }));
    const values = Object.fromEntries(many.map((f) => [f.key, "a".repeat(300)]));
    const printed = certificateFields(many, values);
    expect(printed).toHaveLength(10);
    expect(Array.from(printed[0]!.value.en)).toHaveLength(120);
    expect(printed[0]!.value.en.endsWith("…")).toBe(true);
  });
});
