import { eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { awards, organisationDocuments, storedFiles } from "#db/schema/index.ts";
import { createPastAward } from "#tests/factories/awards.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { supplierProfile } from "./supplier-profile.server.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
/** Everything a page could show of a value, bigints included. */
const text = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

let db: Db;

beforeAll(() => {
  db = testDatabase().db;
});

test("a supplier's public record: who it is, its wins and totals per currency, the red flags on its own awards — and nothing private", async () => {
  const agency = await createOrganisation(db, agencyData({ nameEn: "Water Authority" }));
  const officers: [string, string] = [(await createUser(db)).id, (await createUser(db)).id];
  const honest = await createOrganisation(
    db,
    businessData({
      slug: "honest-trading",
      nameEn: "Honest Trading",
      registrationNumber: "CR-778899",
      sector: "construction",
      taxNumber: "TAX-PRIVATE-1",
      contactEmail: "private-contact@honest.test",
      contactPhone: "+965 5555 0001",
      address: "Private address, block 7",
      verifiedAt: ago(300),
      createdAt: ago(1000),
    }),
  );
  const rival = await createOrganisation(db, businessData({ nameEn: "Rival Co", createdAt: ago(1000) }));
  // A member, and a document on file.
  await createUser(db, {
    email: "member-private@honest.test",
    displayName: "Private Member Name",
    memberships: [{ organisationId: honest.id, roles: ["owner"] }],
  });
  const [file] = await db
    .insert(storedFiles)
    .values({
      storageKey: `test/${honest.id}`,
      originalName: "private-cr-scan.pdf",
      mediaType: "application/pdf",
      sizeBytes: 10n,
      sha256: "a".repeat(64),
    })
    .returning();
  await db
    .insert(organisationDocuments)
    .values({ organisationId: honest.id, fileId: file!.id, kind: "commercial_registration" });

  // Wins: a single-bid award (flagged) and a competitive one, in two currencies.
  const single = await createPastAward(db, {
    agencyId: agency.id,
    winnerId: honest.id,
    officers,
    price: 120_000n,
    currency: "KWD",
    publishedAt: ago(120),
    periodDays: 30,
    reference: "WIN-SINGLE",
  });
  await createPastAward(db, {
    agencyId: agency.id,
    winnerId: honest.id,
    otherBidderIds: [rival.id],
    officers,
    price: 2_000_000n,
    currency: "SAR",
    estimate: 2_000_000n,
    publishedAt: ago(90),
    periodDays: 30,
    reference: "WIN-COMPETED",
  });
  // A tender it bid on and lost: the bid stays private.
  await createPastAward(db, {
    agencyId: agency.id,
    winnerId: rival.id,
    otherBidderIds: [honest.id],
    officers,
    price: 80_000n,
    currency: "KWD",
    publishedAt: ago(60),
    periodDays: 30,
    reference: "LOST-TENDER",
    titleEn: "Tender it lost",
  });
  // A rival's flagged award (single bidder): not on this profile.
  await createPastAward(db, {
    agencyId: agency.id,
    winnerId: rival.id,
    officers,
    price: 50_000n,
    currency: "KWD",
    publishedAt: ago(50),
    periodDays: 30,
    reference: "RIVAL-SINGLE",
  });
  // An award to it not yet approved, and one sent back: not public.
  const pending = await createPastAward(db, {
    agencyId: agency.id,
    winnerId: honest.id,
    officers,
    price: 999_000n,
    currency: "KWD",
    publishedAt: ago(40),
    periodDays: 30,
    reference: "WIN-PENDING",
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
  const sentBack = await createPastAward(db, {
    agencyId: agency.id,
    winnerId: honest.id,
    officers,
    price: 888_000n,
    currency: "KWD",
    publishedAt: ago(35),
    periodDays: 30,
    reference: "WIN-SENTBACK",
  });
  await db
    .update(awards)
    .set({ status: "sent_back", sendBackReason: "Recheck", noticePublishedAt: null })
    .where(eq(awards.id, sentBack.award.id));

  const profile = (await supplierProfile("honest-trading", db))!;
  // Exactly these facts of the business, no other column.
  expect(Object.keys(profile.supplier).sort()).toEqual(
    [
      "country",
      "createdAt",
      "id",
      "nameAr",
      "nameEn",
      "registrationNumber",
      "sector",
      "slug",
      "verified",
      "verifiedAt",
    ].sort(),
  );
  expect(profile.supplier).toMatchObject({
    nameEn: "Honest Trading",
    registrationNumber: "CR-778899",
    sector: "construction",
    country: "KW",
    verified: true,
  });
  expect(profile.wins.rows.map((r) => r.reference)).toEqual(["WIN-COMPETED", "WIN-SINGLE"]);
  expect(profile.totals.byCurrency).toEqual([
    { currency: "KWD", amount: 120_000n, awards: 1 },
    { currency: "SAR", amount: 2_000_000n, awards: 1 },
  ]);
  expect(profile.contracts).toEqual([]);
  expect(profile.flagged.map((f) => f.awardId)).toEqual([single.award.id]);
  expect(profile.flagged[0]!.flags.map((f) => f.kind)).toContain("single_bidder");

  const everything = text(profile);
  for (const secret of [
    "TAX-PRIVATE-1",
    "private-contact@honest.test",
    "+965 5555 0001",
    "Private address",
    "member-private@honest.test",
    "Private Member Name",
    "private-cr-scan.pdf",
    "LOST-TENDER",
    "Tender it lost",
    "RIVAL-SINGLE",
    "WIN-PENDING",
    "WIN-SENTBACK",
  ])
    expect(everything).not.toContain(secret);
});

test("an unverified business shows as not verified, without the reason; an agency's or an unknown slug has no supplier profile", async () => {
  const pending = await createOrganisation(
    db,
    businessData({
      slug: "pending-co",
      verification: "rejected",
      verificationReason: "Registration certificate expired",
      verifiedAt: ago(3),
    }),
  );
  const profile = (await supplierProfile(pending.slug, db))!;
  expect(profile.supplier.verified).toBe(false);
  expect(profile.supplier.verifiedAt).toBeNull();
  expect(text(profile)).not.toContain("expired");
  expect(profile.wins).toMatchObject({ rows: [], total: 0 });
  const agency = await createOrganisation(db, agencyData({ slug: "an-agency" }));
  expect(await supplierProfile(agency.slug, db)).toBeNull();
  expect(await supplierProfile("nobody-here", db)).toBeNull();
});
