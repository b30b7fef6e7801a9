import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { awards, type Organisation } from "#db/schema/index.ts";
import { createPastAward } from "#tests/factories/awards.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  awardFilterOptions,
  listPublicAwards,
  totalsByYear,
  totalsPerCurrency,
} from "./list-awards.server.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
/** Days in June two years ago, at noon UTC: never the year of the recent award below. */
const oldYear = new Date().getUTCFullYear() - 2;
const inOldYear = (day: number) => new Date(Date.UTC(oldYear, 5, day, 12));

let db: Db;
let roads: Organisation;
let health: Organisation;
let acme: Organisation;
let gulf: Organisation;
let officers: [string, string];
const hidden: string[] = [];
const visible: Record<string, string> = {};

beforeAll(async () => {
  // A database of its own: the lists below hold everything public in it.
  db = testDatabase().db;
  roads = await createOrganisation(db, agencyData({ slug: "roads-authority", nameEn: "Roads Authority" }));
  health = await createOrganisation(db, agencyData({ slug: "health-ministry", nameEn: "Health Ministry" }));
  acme = await createOrganisation(db, businessData({ slug: "acme-works", nameEn: "Acme Works" }));
  gulf = await createOrganisation(db, businessData({ slug: "gulf-supplies", nameEn: "Gulf Supplies" }));
  officers = [(await createUser(db)).id, (await createUser(db)).id];
  const past = (
    p: { agency: Organisation; winner: Organisation; price: bigint; currency: string } & object,
  ) =>
    ({
      agencyId: p.agency.id,
      winnerId: p.winner.id,
      officers,
      price: p.price,
      currency: p.currency,
      periodDays: 20,
      decisionDays: 10,
    }) as const;

  // Two years ago: two KWD works awards at Roads (Acme), one KWD goods award at Health (Gulf).
  const a1 = await createPastAward(db, {
    ...past({ agency: roads, winner: acme, price: 100_000n, currency: "KWD" }),
    publishedAt: new Date(inOldYear(1).getTime() - 30 * DAY),
    reference: "RA-OLD-1",
  });
  const a2 = await createPastAward(db, {
    ...past({ agency: roads, winner: acme, price: 250_000n, currency: "KWD" }),
    publishedAt: new Date(inOldYear(10).getTime() - 30 * DAY),
    reference: "RA-OLD-2",
  });
  const a3 = await createPastAward(db, {
    ...past({ agency: health, winner: gulf, price: 40_000n, currency: "KWD" }),
    category: "goods",
    publishedAt: new Date(inOldYear(20).getTime() - 30 * DAY),
    reference: "HM-OLD-1",
  });
  // Recent: a SAR award at Health (Acme) still in its standstill.
  const a4 = await createPastAward(db, {
    ...past({ agency: health, winner: acme, price: 900_000n, currency: "SAR" }),
    publishedAt: ago(12),
    periodDays: 5,
    decisionDays: 2,
    reference: "HM-NEW-1",
  });
  Object.assign(visible, { a1: a1.award.id, a2: a2.award.id, a3: a3.award.id, a4: a4.award.id });

  // Never public: a recommendation not yet approved, one sent back, one cancelled after its notice.
  const recommended = await createPastAward(db, {
    ...past({ agency: roads, winner: gulf, price: 777_000n, currency: "KWD" }),
    publishedAt: ago(60),
    reference: "RA-PENDING",
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
    .where(eq(awards.id, recommended.award.id));
  const sentBack = await createPastAward(db, {
    ...past({ agency: roads, winner: gulf, price: 666_000n, currency: "KWD" }),
    publishedAt: ago(70),
    reference: "RA-SENTBACK",
  });
  // Even with a notice time left on it, a sent-back award is not an award.
  await db
    .update(awards)
    .set({ status: "sent_back", sendBackReason: "Prices not checked" })
    .where(eq(awards.id, sentBack.award.id));
  const cancelled = await createPastAward(db, {
    ...past({ agency: health, winner: gulf, price: 555_000n, currency: "KWD" }),
    publishedAt: ago(80),
    reference: "HM-CANCELLED",
  });
  await db
    .update(awards)
    .set({ status: "cancelled", cancelledAt: new Date(), cancelReason: "Complaint upheld" })
    .where(eq(awards.id, cancelled.award.id));
  hidden.push(recommended.award.id, sentBack.award.id, cancelled.award.id);
});

describe("the award explorer", () => {
  test("every public award newest first, with where it stands; recommendations, sent-back and cancelled awards never", async () => {
    const page = await listPublicAwards({ page: 1 }, db);
    expect(page.rows.map((r) => r.reference)).toEqual(["HM-NEW-1", "HM-OLD-1", "RA-OLD-2", "RA-OLD-1"]);
    expect(page.total).toBe(4);
    for (const id of hidden) expect(page.rows.some((r) => r.id === id)).toBe(false);
    expect(page.totals).toEqual([
      { currency: "KWD", amount: 390_000n, awards: 3 },
      { currency: "SAR", amount: 900_000n, awards: 1 },
    ]);
    const [newest, , , oldest] = page.rows;
    expect(newest).toMatchObject({
      state: "standstill",
      agency: { slug: "health-ministry", nameEn: "Health Ministry" },
      supplier: { slug: "acme-works", nameEn: "Acme Works" },
      price: 900_000n,
      currency: "SAR",
      lotNumber: null,
      contract: null,
    });
    expect(oldest!.state).toBe("final");
    expect(oldest!.tenderId).toBeTruthy();
  });

  test("a suspended award (a complaint in its standstill) is still public, marked as such", async () => {
    await db
      .update(awards)
      .set({ status: "suspended", suspendedAt: new Date() })
      .where(eq(awards.id, visible.a4!));
    const [row] = (await listPublicAwards({ currency: "SAR", page: 1 }, db)).rows;
    expect(row!.state).toBe("suspended");
    await db.update(awards).set({ status: "approved", suspendedAt: null }).where(eq(awards.id, visible.a4!));
  });

  test("filters by agency, supplier, currency, year and category, alone and together", async () => {
    const refs = async (f: Parameters<typeof listPublicAwards>[0]) =>
      (await listPublicAwards(f, db)).rows.map((r) => r.reference);
    expect(await refs({ agency: "roads-authority" })).toEqual(["RA-OLD-2", "RA-OLD-1"]);
    expect(await refs({ supplier: "acme-works" })).toEqual(["HM-NEW-1", "RA-OLD-2", "RA-OLD-1"]);
    expect(await refs({ currency: "SAR" })).toEqual(["HM-NEW-1"]);
    expect(await refs({ year: oldYear })).toEqual(["HM-OLD-1", "RA-OLD-2", "RA-OLD-1"]);
    expect(await refs({ category: "goods" })).toEqual(["HM-OLD-1"]);
    expect(await refs({ agency: "health-ministry", supplier: "acme-works", currency: "SAR" })).toEqual([
      "HM-NEW-1",
    ]);
    expect(await refs({ agency: "health-ministry", year: oldYear, category: "works" })).toEqual([]);
    expect(await refs({ agency: "no-such-agency" })).toEqual([]);
    expect(await refs({ year: 2001 })).toEqual([]);
  });

  test("pages of a given size; a page past the last shows the last", async () => {
    const first = await listPublicAwards({ page: 1, pageSize: 3 }, db);
    expect([first.page, first.pages, first.rows.length]).toEqual([1, 2, 3]);
    const beyond = await listPublicAwards({ page: 999_999, pageSize: 3 }, db);
    expect([beyond.page, beyond.rows.map((r) => r.reference)]).toEqual([2, ["RA-OLD-1"]]);
    const none = await listPublicAwards({ currency: "JPY", page: 50 }, db);
    expect([none.page, none.pages, none.total, none.rows]).toEqual([1, 1, 0, []]);
  });

  test("the filters offer only agencies, suppliers, currencies and years with public awards", async () => {
    const options = await awardFilterOptions(db);
    expect(options.agencies.map((a) => [a.slug, a.awards])).toEqual([
      ["health-ministry", 2],
      ["roads-authority", 2],
    ]);
    expect(options.suppliers.map((s) => [s.slug, s.awards])).toEqual([
      ["acme-works", 3],
      ["gulf-supplies", 1],
    ]);
    expect(options.currencies).toEqual([
      { currency: "KWD", awards: 3 },
      { currency: "SAR", awards: 1 },
    ]);
    expect(options.years.map((y) => y.year)).toContain(oldYear);
    expect(options.years.reduce((n, y) => n + y.awards, 0)).toBe(4);
  });

  test("totals per year and currency for one agency or one supplier, never added across currencies", async () => {
    const byYear = await totalsByYear(db, { businessId: acme.id });
    expect(byYear.find((r) => r.year === oldYear)).toEqual({
      year: oldYear,
      currency: "KWD",
      amount: 350_000n,
      awards: 2,
    });
    expect(totalsPerCurrency(byYear)).toEqual([
      { currency: "KWD", amount: 350_000n, awards: 2 },
      { currency: "SAR", amount: 900_000n, awards: 1 },
    ]);
    expect(totalsPerCurrency(await totalsByYear(db, { agencyId: roads.id }))).toEqual([
      { currency: "KWD", amount: 350_000n, awards: 2 },
    ]);
  });
});
