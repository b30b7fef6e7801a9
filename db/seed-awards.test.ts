import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import {
  awards,
  complaints,
  contracts,
  evaluationMembers,
  tenderEvaluations,
  tenders,
} from "#db/schema/index.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { seedDemoData } from "./seed.ts";

test("the demo has tenders opened, under evaluation, in standstill, with a complaint, with a contract and cancelled", async () => {
  const { db } = testDatabase();
  await seedDemoData(db, testSealingKeys());
  const all = await db.select().from(tenders);
  const byTitle = (start: string) => all.find((t) => t.titleEn.startsWith(start))!;

  // Opened by two officers, no committee yet (the browser test evaluates it).
  const lighting = byTitle("Street lighting upgrade");
  expect(lighting.status).toBe("opened");
  expect(
    await db.query.tenderEvaluations.findFirst({ where: eq(tenderEvaluations.tenderId, lighting.id) }),
  ).toBeUndefined();

  // Under evaluation: the chair has submitted, the other member has not.
  const clinics = byTitle("Renovation of primary health care centres");
  const evaluation = await db.query.tenderEvaluations.findFirst({
    where: eq(tenderEvaluations.tenderId, clinics.id),
  });
  expect(evaluation).toMatchObject({ status: "in_progress", chairUserId: expect.any(String) });
  const members = await db.select().from(evaluationMembers).where(eq(evaluationMembers.tenderId, clinics.id));
  expect(members.map((m) => m.scoresSubmittedAt !== null).sort()).toEqual([false, true]);

  // In standstill: approved, its notice public, the standstill running, no complaint.
  const park = byTitle("Landscaping and irrigation of Al Malaz");
  const [parkAward] = await db.select().from(awards).where(eq(awards.tenderId, park.id));
  expect(parkAward).toMatchObject({ status: "approved", noticePublishedAt: expect.any(Date) });
  expect(parkAward!.standstillEndsAt!.getTime()).toBeGreaterThan(Date.now() + 9 * 86_400_000);
  expect(await db.select().from(complaints).where(eq(complaints.awardId, parkAward!.id))).toEqual([]);

  // With a complaint: the award suspended while it is reviewed.
  const seafront = byTitle("Rehabilitation of the Salmiya seafront");
  const [seafrontAward] = await db.select().from(awards).where(eq(awards.tenderId, seafront.id));
  expect(seafrontAward!.status).toBe("suspended");
  const [complaint] = await db.select().from(complaints).where(eq(complaints.awardId, seafrontAward!.id));
  expect(complaint!.status).toBe("lodged");

  // Awarded with a contract in progress.
  const signals = byTitle("Supply and installation of traffic signal controllers");
  const [signalsAward] = await db.select().from(awards).where(eq(awards.tenderId, signals.id));
  expect(signalsAward!.status).toBe("contracted");
  const [contract] = await db.select().from(contracts).where(eq(contracts.awardId, signalsAward!.id));
  expect(contract!.status).toBe("signed");

  // Cancelled, with its reason.
  const meters = byTitle("Supply and installation of smart parking meters");
  expect(meters.status).toBe("cancelled");
});
