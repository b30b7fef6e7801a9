import { beforeAll, describe, expect, test } from "vitest";
import type { Organisation, User } from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createPermitApplication, createPermitType } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { permitServiceLevels } from "./service-levels.server.ts";

const { db } = testDatabase();
let agency: Organisation;
let otherAgency: Organisation;
let businesses: Organisation[];
let applicant: User;

const DAY = 86_400_000;
const submitted = new Date("2026-03-01T06:00:00Z");
const daysIn = (days: number) => new Date(submitted.getTime() + days * DAY);

beforeAll(async () => {
  agency = await createOrganisation(db, agencyData({ nameEn: "AAA service levels agency" }));
  otherAgency = await createOrganisation(db, agencyData());
  businesses = [];
  for (let i = 0; i < 4; i++) businesses.push(await createOrganisation(db, businessData()));
  applicant = await createUser(db);
});

async function apply(
  permitTypeId: string,
  business: Organisation,
  fields: Parameters<typeof createPermitApplication>[1] extends infer T ? Partial<T> : never,
) {
  return createPermitApplication(db, {
    permitTypeId,
    businessId: business.id,
    createdBy: applicant.id,
    ...fields,
  });
}

describe("permitServiceLevels", () => {
  test("counts decisions, their median time, the share on time and the open applications", async () => {
    const type = await createPermitType(db, agency.id, { nameEn: "A licence", serviceLevelDays: 5 });
    const [b0, b1, b2, b3] = businesses as [Organisation, Organisation, Organisation, Organisation];
    const dueAt = daysIn(7);
    // Decided in 2, 4, 5 and 10.5 days; the last one late.
    await apply(type.id, b0, { status: "issued", submittedAt: submitted, dueAt, decidedAt: daysIn(2) });
    await apply(type.id, b0, { status: "rejected", submittedAt: submitted, dueAt, decidedAt: daysIn(4) });
    await apply(type.id, b1, { status: "approved", submittedAt: submitted, dueAt, decidedAt: daysIn(5) });
    await apply(type.id, b2, { status: "issued", submittedAt: submitted, dueAt, decidedAt: daysIn(10.5) });
    // Decided but never given a due date: counted as decided, left out of the on-time share.
    await apply(type.id, b3, { status: "rejected", submittedAt: submitted, decidedAt: daysIn(3) });
    // Open ones, and ones that are neither.
    await apply(type.id, b2, { status: "in_review", submittedAt: submitted, dueAt });
    await apply(type.id, b3, { status: "information_requested", submittedAt: submitted, dueAt });
    await apply(type.id, b1, { status: "withdrawn", submittedAt: submitted });
    await apply(type.id, b0, { status: "draft" });

    const rows = await permitServiceLevels(db, { agencyId: agency.id });
    const row = rows.find((r) => r.permitType.id === type.id);
    expect(row).toEqual({
      agency: { id: agency.id, slug: agency.slug, nameAr: agency.nameAr, nameEn: agency.nameEn },
      permitType: {
        id: type.id,
        code: type.code,
        nameAr: type.nameAr,
        nameEn: type.nameEn,
        serviceLevelDays: 5,
      },
      decided: 5,
      // 2, 3, 4, 5, 10.5
      medianDaysToDecision: 4,
      withDueDate: 4,
      decidedByDueDate: 3,
      onTimePercent: 75,
      open: 2,
    });
  });

  test("rounds the median and the share to one decimal", async () => {
    const type = await createPermitType(db, agency.id);
    const [b0, b1, b2] = businesses as [Organisation, Organisation, Organisation];
    const dueAt = daysIn(1.2);
    // Decided in 1, 1.1, 1.25 and 1.3 days: median 1.175, shown as 1.2; one of three on time: 33.3%.
    await apply(type.id, b0, { status: "issued", submittedAt: submitted, dueAt, decidedAt: daysIn(1.1) });
    await apply(type.id, b1, { status: "issued", submittedAt: submitted, dueAt, decidedAt: daysIn(1.25) });
    await apply(type.id, b2, { status: "rejected", submittedAt: submitted, dueAt, decidedAt: daysIn(1.3) });
    await apply(type.id, b2, { status: "rejected", submittedAt: submitted, decidedAt: daysIn(1) });
    const [row] = (await permitServiceLevels(db, { agencyId: agency.id })).filter(
      (r) => r.permitType.id === type.id,
    );
    expect(row).toMatchObject({ decided: 4, medianDaysToDecision: 1.2, withDueDate: 3, decidedByDueDate: 1 });
    expect(row!.onTimePercent).toBe(33.3);
  });

  test("lists active types with nothing decided, and inactive ones only while they have applications", async () => {
    const quiet = await createPermitType(db, agency.id);
    const retiredEmpty = await createPermitType(db, agency.id, { active: false });
    const retiredBusy = await createPermitType(db, agency.id, { active: false });
    await apply(retiredBusy.id, businesses[0]!, {
      status: "submitted",
      submittedAt: submitted,
      dueAt: daysIn(5),
    });

    const rows = await permitServiceLevels(db, { agencyId: agency.id });
    const ids = rows.map((r) => r.permitType.id);
    expect(ids).toContain(quiet.id);
    expect(ids).not.toContain(retiredEmpty.id);
    expect(rows.find((r) => r.permitType.id === quiet.id)).toMatchObject({
      decided: 0,
      medianDaysToDecision: null,
      withDueDate: 0,
      decidedByDueDate: 0,
      onTimePercent: null,
      open: 0,
    });
    expect(rows.find((r) => r.permitType.id === retiredBusy.id)).toMatchObject({ decided: 0, open: 1 });
  });

  test("one agency's figures, and only decisions since a date", async () => {
    const mine = await createPermitType(db, agency.id);
    const theirs = await createPermitType(db, otherAgency.id);
    await apply(mine.id, businesses[0]!, { status: "issued", submittedAt: submitted, decidedAt: daysIn(1) });
    await apply(mine.id, businesses[1]!, { status: "issued", submittedAt: submitted, decidedAt: daysIn(20) });

    const onlyMine = await permitServiceLevels(db, { agencyId: agency.id });
    expect(onlyMine.every((r) => r.agency.id === agency.id)).toBe(true);
    expect(onlyMine.map((r) => r.permitType.id)).not.toContain(theirs.id);
    const everyone = await permitServiceLevels(db);
    expect(everyone.map((r) => r.permitType.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    const recent = await permitServiceLevels(db, { agencyId: agency.id, decidedSince: daysIn(10) });
    expect(recent.find((r) => r.permitType.id === mine.id)).toMatchObject({
      decided: 1,
      medianDaysToDecision: 20,
    });
  });
});
