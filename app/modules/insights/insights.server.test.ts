import { eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { awards, organisations } from "#db/schema/index.ts";
import { createPastAward } from "#tests/factories/awards.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { flaggedAwards, insights } from "./insights.server.ts";

let db: Db;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

beforeAll(async () => {
  // A database of its own: the figures below count everything public in it.
  db = testDatabase().db;
});

test("spending, competition, speed and estimates from published awards only, per currency", async () => {
  const roads = await createOrganisation(db, agencyData({ nameEn: "Roads Authority", nameAr: "هيئة الطرق" }));
  const health = await createOrganisation(
    db,
    agencyData({ nameEn: "Health Ministry", nameAr: "وزارة الصحة" }),
  );
  const officers: [string, string] = [(await createUser(db)).id, (await createUser(db)).id];
  const [a, b, c] = await Promise.all([0, 1, 2].map(() => createOrganisation(db, businessData())));
  const veteran = { publishedAt: ago(90), periodDays: 30, decisionDays: 20 };
  // Roads: two works awards in KWD, one with a single bid, one competitive.
  await createPastAward(db, {
    ...veteran,
    agencyId: roads.id,
    winnerId: a!.id,
    officers,
    price: 500_000n,
    currency: "KWD",
    estimate: 520_000n,
  });
  await createPastAward(db, {
    ...veteran,
    agencyId: roads.id,
    winnerId: b!.id,
    otherBidderIds: [a!.id, c!.id],
    officers,
    price: 300_000n,
    currency: "KWD",
    estimate: 200_000n,
  });
  // Health: goods in KWD, and one in SAR (counted only in its own currency).
  await createPastAward(db, {
    ...veteran,
    agencyId: health.id,
    winnerId: c!.id,
    otherBidderIds: [b!.id],
    officers,
    price: 100_000n,
    currency: "KWD",
    estimate: 100_000n,
    category: "goods",
    cpvCodes: ["33100000-1"],
  });
  await createPastAward(db, {
    ...veteran,
    agencyId: health.id,
    winnerId: a!.id,
    officers,
    price: 750_000n,
    currency: "SAR",
  });
  // A recommendation not yet approved is not public.
  const pending = await createPastAward(db, {
    ...veteran,
    agencyId: health.id,
    winnerId: b!.id,
    officers,
    price: 999_999n,
    currency: "KWD",
  });
  await db
    .update(awards)
    .set({
      status: "recommended",
      decidedBy: null,
      decidedAt: null,
      noticePublishedAt: null,
      standstillEndsAt: null,
    })
    .where(eq(awards.id, pending.award.id));

  const figures = await insights({ currency: "KWD" }, db);
  expect(figures.currencies).toEqual([
    { currency: "KWD", awards: 3 },
    { currency: "SAR", awards: 1 },
  ]);
  expect(figures.bySector).toEqual([
    { category: "works", amount: 800_000n, awards: 2 },
    { category: "goods", amount: 100_000n, awards: 1 },
  ]);
  expect(figures.byDivision.map((d) => d.division)).toEqual(["45", "33"]);
  expect(figures.byAgency.map((r) => [r.nameEn, r.amount])).toEqual([
    ["Roads Authority", 800_000n],
    ["Health Ministry", 100_000n],
  ]);
  expect(figures.byMonth.reduce((sum, m) => sum + m.amount, 0n)).toBe(900_000n);
  // Five opened tenders (the pending one was opened too): three drew a single bid.
  expect(figures.bidsPerTender).toEqual([
    { bids: "0", tenders: 0 },
    { bids: "1", tenders: 3 },
    { bids: "2", tenders: 1 },
    { bids: "3", tenders: 1 },
    { bids: "4", tenders: 0 },
    { bids: "5+", tenders: 0 },
  ]);
  const roadsSingle = figures.singleBid.find((s) => s.key === roads.id)!;
  expect([roadsSingle.opened, roadsSingle.singleBid]).toEqual([2, 1]);
  // 30 days' period and 20 days to decide: 50 days from publication to award.
  expect(figures.daysToAward.find((d) => d.key === roads.id)!.medianDays).toBe(50);
  expect(figures.versusEstimate).toEqual([
    { band: "<70", awards: 0 },
    { band: "70-89", awards: 0 },
    { band: "90-110", awards: 2 },
    { band: "111-130", awards: 0 },
    { band: ">130", awards: 1 },
  ]);
  // Another currency is chosen by name; an unknown one falls back to the commonest.
  expect((await insights({ currency: "SAR" }, db)).bySector).toEqual([
    { category: "works", amount: 750_000n, awards: 1 },
  ]);
  expect((await insights({ currency: "'; drop table awards; --" }, db)).currency).toBe("KWD");
});

test("red flags: single bidder, short period, a winner registered days before, repeat wins at one agency, far from the estimate", async () => {
  const agency = await createOrganisation(db, agencyData());
  const officers: [string, string] = [(await createUser(db)).id, (await createUser(db)).id];
  const rival = await createOrganisation(db, businessData());
  const fresh = await createOrganisation(db, businessData({ nameEn: "Fresh Trading" }));
  await db
    .update(organisations)
    .set({ createdAt: ago(45) })
    .where(eq(organisations.id, fresh.id));
  const rushed = await createPastAward(db, {
    agencyId: agency.id,
    winnerId: fresh.id,
    officers,
    price: 150_000n,
    estimate: 100_000n,
    currency: "KWD",
    publishedAt: ago(40),
    periodDays: 7,
    decisionDays: 5,
  });
  const regular = await createOrganisation(db, businessData());
  await db
    .update(organisations)
    .set({ createdAt: ago(1000) })
    .where(eq(organisations.id, regular.id));
  for (const days of [300, 200, 100])
    await createPastAward(db, {
      agencyId: agency.id,
      winnerId: regular.id,
      otherBidderIds: [rival.id],
      officers,
      price: 95_000n,
      estimate: 100_000n,
      currency: "KWD",
      publishedAt: ago(days),
      periodDays: 30,
      decisionDays: 10,
    });
  const flagged = await flaggedAwards(db);
  const rushedFlags = flagged.find((f) => f.awardId === rushed.award.id)!.flags;
  expect(rushedFlags.map((f) => f.kind).sort()).toEqual(
    ["far_from_estimate", "new_supplier", "short_tender_period", "single_bidder"].sort(),
  );
  expect(rushedFlags.find((f) => f.kind === "new_supplier")!.params).toEqual({ days: "5" });
  const regularFlags = flagged.filter((f) => f.winner.key === regular.id);
  // Only the third win within a year at the same agency is a pattern.
  expect(regularFlags.map((f) => f.flags.map((x) => x.kind))).toEqual([["repeat_winner"]]);
});
