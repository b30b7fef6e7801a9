import { beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { tenders } from "#db/schema/index.ts";
import { createPastAward } from "#tests/factories/awards.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createPermitType } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { agencyProfile } from "./agency-profile.server.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

let db: Db;

beforeAll(() => {
  db = testDatabase().db;
});

/** A tender row in the given state, its deadline `closesInDays` from now. */
async function tender(
  agencyId: string,
  createdBy: string,
  status: "draft" | "published",
  closesInDays: number,
) {
  const deadline = new Date(Date.now() + closesInDays * DAY);
  const [row] = await db
    .insert(tenders)
    .values({
      agencyId,
      reference: `T-${status}-${closesInDays}-${Math.random().toString(36).slice(2, 8)}`,
      titleAr: "مناقصة",
      titleEn: `Tender closing in ${closesInDays} days`,
      category: "services",
      cpvCodes: ["72212000-4"],
      currency: "KWD",
      timeZone: "Asia/Kuwait",
      status,
      enquiryDeadline: new Date(deadline.getTime() - DAY),
      submissionDeadline: deadline,
      openingAt: deadline,
      createdBy,
      publishedAt: status === "published" ? ago(5) : null,
    })
    .returning();
  return row!;
}

test("an agency's profile: open tenders, its own awards, spending per currency and year, competition, speed and permit service levels", async () => {
  const ports = await createOrganisation(
    db,
    agencyData({ slug: "ports-authority", nameEn: "Ports Authority" }),
  );
  const other = await createOrganisation(db, agencyData({ nameEn: "Another Agency" }));
  const [a, b] = await Promise.all([0, 1].map(() => createOrganisation(db, businessData())));
  const officers: [string, string] = [(await createUser(db)).id, (await createUser(db)).id];

  const soon = await tender(ports.id, officers[0], "published", 3);
  const later = await tender(ports.id, officers[0], "published", 30);
  await tender(ports.id, officers[0], "published", -2); // closed
  await tender(ports.id, officers[0], "draft", 10); // not public
  await tender(other.id, officers[0], "published", 5); // another agency's

  const base = { officers, periodDays: 30, decisionDays: 20, publishedAt: ago(200) };
  // Single bid, 50 days to award; competitive, 50 days; competitive, 30 days (period 20, decision 10).
  await createPastAward(db, {
    ...base,
    agencyId: ports.id,
    winnerId: a!.id,
    price: 100_000n,
    currency: "KWD",
  });
  await createPastAward(db, {
    ...base,
    agencyId: ports.id,
    winnerId: b!.id,
    otherBidderIds: [a!.id],
    price: 300_000n,
    currency: "KWD",
  });
  await createPastAward(db, {
    ...base,
    periodDays: 20,
    decisionDays: 10,
    agencyId: ports.id,
    winnerId: a!.id,
    otherBidderIds: [b!.id],
    price: 5_000_000n,
    currency: "SAR",
  });
  // Another agency's award, single-bid and slow: none of it counts here.
  await createPastAward(db, {
    ...base,
    decisionDays: 200,
    agencyId: other.id,
    winnerId: a!.id,
    price: 9_999_999n,
    currency: "KWD",
  });
  const licence = await createPermitType(db, ports.id, { nameEn: "Berth licence" });
  await createPermitType(db, other.id, { nameEn: "Other licence" });

  const profile = (await agencyProfile("ports-authority", db))!;
  expect(profile.agency).toMatchObject({ id: ports.id, nameEn: "Ports Authority", currency: "KWD" });
  expect(profile.openTenders.total).toBe(2);
  expect(profile.openTenders.rows.map((r) => r.id)).toEqual([soon.id, later.id]);

  expect(profile.recentAwards.total).toBe(3);
  expect(new Set(profile.recentAwards.rows.map((r) => r.agency.slug))).toEqual(new Set(["ports-authority"]));
  expect(profile.spending.byCurrency).toEqual([
    { currency: "KWD", amount: 400_000n, awards: 2 },
    { currency: "SAR", amount: 5_000_000n, awards: 1 },
  ]);
  expect(profile.spending.byYear.reduce((n, r) => n + r.awards, 0)).toBe(3);

  expect(profile.competition).toEqual({ opened: 3, singleBid: 1 });
  expect(profile.speed).toEqual({ awards: 3, medianDays: 50 });
  expect(profile.permits.map((p) => p.permitType.id)).toEqual([licence.id]);
});

test("an agency with nothing yet has an empty profile; a business's or an unknown slug has none", async () => {
  const quiet = await createOrganisation(db, agencyData({ slug: "quiet-agency" }));
  const business = await createOrganisation(db, businessData({ slug: "not-an-agency" }));
  const profile = (await agencyProfile(quiet.slug, db))!;
  expect(profile.openTenders).toEqual({ total: 0, rows: [] });
  expect(profile.recentAwards.rows).toEqual([]);
  expect(profile.spending).toEqual({ byYear: [], byCurrency: [] });
  expect(profile.competition).toEqual({ opened: 0, singleBid: 0 });
  expect(profile.speed).toEqual({ awards: 0, medianDays: null });
  expect(profile.permits).toEqual([]);
  expect(await agencyProfile(business.slug, db)).toBeNull();
  expect(await agencyProfile("no-such-agency", db)).toBeNull();
});
