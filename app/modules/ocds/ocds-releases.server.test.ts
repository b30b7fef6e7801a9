import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import type { Actor, Membership } from "#app/modules/accounts/actor.ts";
import { amendTender } from "#app/modules/tenders/amend-tender.server.ts";
import { addTenderDocument } from "#app/modules/tenders/tender-documents.server.ts";
import { type TenderPhase, tenderPhase } from "#app/modules/tenders/tender-rules.ts";
import { instantToZoned } from "#app/utils/time-zones.ts";
import {
  bids,
  bidVersions,
  memberships,
  organisations,
  storedFiles,
  type Tender,
  tenderOpenings,
  tenders,
  users,
} from "#db/schema/index.ts";
import { seedDemoData } from "#db/seed.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { recordPackageProblems, releasePackageProblems } from "#tests/support/ocds-schema.ts";
import { ocidOf } from "./ids.ts";
import { allReleases, listReleases } from "./list-releases.server.ts";
import type { OcdsRecordPackage, OcdsRelease } from "./ocds-types.ts";
import { decodeCursor, type ReleaseCursor } from "./packages.ts";
import { ocdsRecord } from "./record-package.server.ts";

const { db } = testDatabase();
const ctx = { prefix: "ocds-test", baseUrl: "https://shafaf.example.gov" };

let all: Tender[];
const phases = new Map<string, TenderPhase>();
/** Records as seeded, and after the amendment, document and extension below. */
const seededRecords = new Map<string, OcdsRecordPackage | null>();
const records = new Map<string, OcdsRecordPackage | null>();

async function actorFor(email: string): Promise<Actor> {
  const user = (await db.query.users.findFirst({ where: eq(users.email, email) }))!;
  const membership = (await db.query.memberships.findFirst({ where: eq(memberships.userId, user.id) }))!;
  const org = (await db.query.organisations.findFirst({
    where: eq(organisations.id, membership.organisationId),
  }))!;
  return actorOf(user, { organisationId: org.id, kind: org.kind, roles: membership.roles } as Membership);
}

beforeAll(async () => {
  await seedDemoData(db, testSealingKeys());
  const seededAt = new Date();
  for (const t of await db.select().from(tenders)) {
    phases.set(t.id, tenderPhase(t, seededAt));
    seededRecords.set(t.id, await ocdsRecord(ocidOf(ctx.prefix, t.id), ctx, db));
  }
  // Beyond the seed: an amendment and a document after publication on the open tender,
  // and a deadline extension on the one closing soon.
  const officer = await actorFor("officer1@works.gov.test");
  const capital = await actorFor("officer1@capital.gov.test");
  const seeded = await db.select().from(tenders);
  const roads = seeded.find((t) => t.titleEn.startsWith("Maintenance of main roads"))!;
  const cloud = seeded.find((t) => t.titleEn.startsWith("Cloud hosting"))!;
  await amendTender(
    {
      actor: officer,
      tenderId: roads.id,
      kind: "amendment",
      reason: "The road markings are measured in kilometres.",
      form: { titleEn: "Maintenance of main roads in Hawalli governorate" },
    },
    { db, minDays: 5 },
  );
  const sha256 = randomBytes(32).toString("hex");
  const [file] = await db
    .insert(storedFiles)
    .values({
      storageKey: `test/${sha256}`,
      originalName: "drawings.pdf",
      mediaType: "application/pdf",
      sizeBytes: 1234n,
      sha256,
    })
    .returning();
  await addTenderDocument({ actor: officer, tenderId: roads.id, title: "Drawings", file: file! }, db);
  await amendTender(
    {
      actor: capital,
      tenderId: cloud.id,
      kind: "extension",
      reason: "The platform was unavailable for two hours.",
      form: {
        submissionDeadline: instantToZoned(
          new Date(cloud.submissionDeadline!.getTime() + 2 * 3600_000),
          cloud.timeZone,
        ),
      },
    },
    { db, minDays: 5 },
  );

  all = await db.select().from(tenders);
  for (const t of all) records.set(t.id, await ocdsRecord(ocidOf(ctx.prefix, t.id), ctx, db));
}, 120_000);

/** Every release of the list, paging with `limit`. */
async function listAll(limit: number): Promise<OcdsRelease[]> {
  const out: OcdsRelease[] = [];
  let cursor: ReleaseCursor | null = null;
  for (let page = 0; page < 1000; page++) {
    const pkg = await listReleases({ limit, cursor }, ctx, db);
    expect(releasePackageProblems(pkg)).toEqual([]);
    expect(pkg.releases.length).toBeLessThanOrEqual(limit);
    out.push(...pkg.releases);
    if (!pkg.links?.next) return out;
    const next = new URL(pkg.links.next);
    expect(next.origin + next.pathname).toBe(`${ctx.baseUrl}/api/ocds/releases`);
    cursor = decodeCursor(next.searchParams.get("cursor")!);
    expect(cursor).not.toBeNull();
  }
  throw new Error("the list did not end");
}

describe("for every tender state in the demo data", () => {
  test("the demo has every state, and each public process has a valid record; a draft has none", () => {
    expect(new Set(phases.values())).toEqual(new Set(["draft", "open", "closing_soon", "closed", "opened"]));
    for (const t of all) {
      if (phases.get(t.id) === "draft") {
        expect(seededRecords.get(t.id)).toBeNull();
        expect(records.get(t.id)).toBeNull();
        continue;
      }
      for (const record of [seededRecords.get(t.id), records.get(t.id)]) {
        expect(record, t.titleEn).not.toBeNull();
        expect(recordPackageProblems(record!)).toEqual([]);
        const { releases, compiledRelease, ocid } = record!.records[0]!;
        expect(ocid).toBe(`ocds-test-${t.id}`);
        expect(releases[0]!.tag).toEqual(["tender"]);
        expect(compiledRelease.tender.id).toBe(t.reference);
      }
      // The compiled release is the tender as it is now.
      const { compiledRelease } = records.get(t.id)!.records[0]!;
      expect(compiledRelease.tender.title).toBe(t.titleEn);
      expect(compiledRelease.tender.tenderPeriod.endDate).toBe(t.submissionDeadline!.toISOString());
      // Releases never change: those of the seeded state are still there, the same.
      const later = records.get(t.id)!.records[0]!.releases;
      for (const release of seededRecords.get(t.id)!.records[0]!.releases)
        expect(later.find((r) => r.id === release.id)).toEqual(release);
    }
  });

  test("the release list pages through every release of every public process exactly once, newest first", async () => {
    const whole = await listAll(1000);
    const paged = await listAll(2);
    expect(paged.map((r) => r.id)).toEqual(whole.map((r) => r.id));
    expect(new Set(whole.map((r) => r.id)).size).toBe(whole.length);
    for (let i = 1; i < whole.length; i++) expect(whole[i - 1]!.date >= whole[i]!.date).toBe(true);
    const fromRecords = [...records.values()].flatMap((r) => (r ? r.records[0]!.releases : []));
    expect(new Set(whole.map((r) => r.id))).toEqual(new Set(fromRecords.map((r) => r.id)));
    // The same release, byte for byte, in the list and in its record.
    for (const release of whole) expect(fromRecords.find((r) => r.id === release.id)).toEqual(release);

    const bulk: OcdsRelease[] = [];
    for await (const release of allReleases(ctx, db, 3)) bulk.push(release);
    expect(bulk).toEqual(whole);
  });

  test("amendments and extensions are tenderAmendment releases; the tender release keeps the tender as published", () => {
    const roads = all.find((t) => t.titleEn.startsWith("Maintenance of main roads"))!;
    const { releases, compiledRelease } = records.get(roads.id)!.records[0]!;
    expect(releases.map((r) => r.tag[0])).toEqual([
      "tender",
      "tenderUpdate",
      "tenderAmendment",
      "tenderUpdate",
    ]);
    expect(releases[0]!.tender.title).toBe("Maintenance of main roads in Hawalli");
    expect(releases[2]!.tender.title).toBe("Maintenance of main roads in Hawalli governorate");
    expect(releases[2]!.tender.amendments).toEqual([
      expect.objectContaining({
        id: "1",
        rationale: "The road markings are measured in kilometres.",
        amendsReleaseID: releases[1]!.id,
        releaseID: releases[2]!.id,
      }),
    ]);
    // The answered question (from the seed) is an enquiry, the document added after publication an update.
    expect(releases[1]!.tender.hasEnquiries).toBe(true);
    expect(releases[3]!.tender.documents.map((d) => d.title)).toContain("Drawings");
    expect(compiledRelease.tender.amendments).toHaveLength(1);
    expect(compiledRelease.tender.value).toEqual({ amount: 250000, currency: "KWD" });

    const cloud = all.find((t) => t.titleEn.startsWith("Cloud hosting"))!;
    const extended = records.get(cloud.id)!.records[0]!;
    expect(extended.releases.map((r) => r.tag[0])).toEqual(["tender", "tenderAmendment"]);
    expect(extended.releases[1]!.tender.amendments![0]!.description).toMatch(/^Deadline extension\. /);
    expect(extended.compiledRelease.tender.value).toEqual({ amount: 1200000, currency: "SAR" });
  });
});

describe("nothing sealed appears before the opening", () => {
  test("drafts and tenders awaiting approval never appear", async () => {
    const draft = all.find((t) => t.status === "draft")!;
    await db.update(tenders).set({ status: "awaiting_approval" }).where(eq(tenders.id, draft.id));
    try {
      expect(await ocdsRecord(ocidOf(ctx.prefix, draft.id), ctx, db)).toBeNull();
      const text = JSON.stringify(await listAll(1000));
      expect(text).not.toContain(draft.id);
      expect(text).not.toContain(draft.reference);
      expect(text).not.toContain(draft.titleEn);
    } finally {
      await db.update(tenders).set({ status: "draft" }).where(eq(tenders.id, draft.id));
    }
  });

  test("before tender_openings.confirmedAt: no tenderers, no count, no bidder, no price, no bid", async () => {
    const everything = await listAll(1000);
    const sealedBids = await db
      .select({ bid: bids, version: bidVersions })
      .from(bids)
      .innerJoin(bidVersions, eq(bidVersions.bidId, bids.id));
    const opened = new Map(
      (await db.select().from(tenderOpenings)).filter((o) => o.confirmedAt).map((o) => [o.tenderId, o]),
    );
    // The seeded tender opened through the modules, and the past ones of the demo history.
    expect(opened.size).toBeGreaterThanOrEqual(1);
    const bidders = await db
      .select()
      .from(organisations)
      .where(
        inArray(
          organisations.id,
          sealedBids.map((b) => b.bid.businessId),
        ),
      );

    // Prices are never published by a tender release, before or after the opening: neither those
    // read at the opening nor the sealed ones of the seed (db/seed-tenders.ts), in major units.
    const prices = new Set([
      ...[...opened.values()].flatMap((o) => o.record!.flatMap((e) => e.lots.map((l) => l.price))),
      ...["231450.75", "231450.750", "244900", "98500", "1745000", "1690500", "3410000", "3275500"],
    ]);
    expect(prices.size).toBeGreaterThan(8);
    const leaves: unknown[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
      else leaves.push(v);
    };
    walk(everything);
    for (const price of prices) {
      const exact = new RegExp(`(^|[^0-9A-Za-z.-])${price.replace(".", "\\.")}([^0-9]|$)`);
      const major = new RegExp(`(^|[^0-9A-Za-z.-])${Number(price)}([^0-9]|$)`);
      for (const leaf of leaves) {
        if (typeof leaf === "number") expect(leaf).not.toBe(Number(price));
        if (typeof leaf === "string") {
          expect(leaf).not.toMatch(exact);
          expect(leaf).not.toMatch(major);
        }
      }
    }
    const everythingText = JSON.stringify(everything);
    for (const { bid, version } of sealedBids) {
      expect(everythingText).not.toContain(bid.id);
      expect(everythingText).not.toContain(version.id);
      expect(everythingText).not.toContain(version.sealedSha256);
    }

    for (const release of everything) {
      const tenderId = release.ocid.slice(`${ctx.prefix}-`.length);
      const opening = opened.get(tenderId);
      const beforeOpening = !opening || new Date(release.date) < opening.confirmedAt!;
      if (!beforeOpening) {
        expect(release.tender.numberOfTenderers).toBe(opening!.record!.length);
        continue;
      }
      expect(release.tender.numberOfTenderers).toBeUndefined();
      expect(release.tender.tenderers).toBeUndefined();
      expect(release.parties.flatMap((p) => p.roles)).not.toContain("tenderer");
      const text = JSON.stringify(release);
      for (const bidder of bidders) {
        expect(text).not.toContain(bidder.id);
        expect(text).not.toContain(bidder.nameEn);
        expect(text).not.toContain(bidder.nameAr);
      }
    }
    // The tenders closed but not opened have bids, yet no opening release.
    for (const t of all.filter((x) => phases.get(x.id) === "closed")) {
      const { releases } = records.get(t.id)!.records[0]!;
      expect(releases.map((r) => r.id)).not.toContain(`${ocidOf(ctx.prefix, t.id)}-opening`);
      expect(sealedBids.some((b) => b.bid.tenderId === t.id)).toBe(true);
    }
  });

  test("an opening started by one officer but not confirmed publishes nothing", async () => {
    const closed = all.find((t) => phases.get(t.id) === "closed")!;
    const officer = (await db.select().from(users).where(eq(users.email, "officer1@works.gov.test")))[0]!;
    await db.insert(tenderOpenings).values({ tenderId: closed.id, startedBy: officer.id });
    try {
      const record = await ocdsRecord(ocidOf(ctx.prefix, closed.id), ctx, db);
      expect(record).toEqual({ ...records.get(closed.id)!, publishedDate: expect.any(String) });
      expect(record!.records[0]!.compiledRelease.tender.milestones[0]!.status).toBe("scheduled");
    } finally {
      await db.delete(tenderOpenings).where(eq(tenderOpenings.tenderId, closed.id));
    }
  });

  test("after the confirmed opening the tender update names the tenderers", () => {
    // The demo tender opened by two officers through the modules (not one of the past awards).
    const t = all.find((x) => phases.get(x.id) === "opened" && !x.reference.startsWith("HIST-"))!;
    const { releases, compiledRelease } = records.get(t.id)!.records[0]!;
    const last = releases.at(-1)!;
    expect(last.tag).toEqual(["tenderUpdate"]);
    expect(last.id).toBe(`${ocidOf(ctx.prefix, t.id)}-opening`);
    expect(last.tender.numberOfTenderers).toBe(2);
    expect(last.tender.tenderers!.map((x) => x.name).sort()).toEqual(["Al Noor Contracting", "Gulf Build"]);
    expect(last.parties.filter((p) => p.roles.includes("tenderer"))).toHaveLength(2);
    expect(compiledRelease.tender.numberOfTenderers).toBe(2);
    expect(compiledRelease.tender.milestones[0]).toMatchObject({ status: "met" });
  });
});

test("an ocid that is not ours, or not a tender, is no record", async () => {
  for (const ocid of [
    "ocds-other-00000000-0000-4000-8000-000000000000",
    "ocds-test-00000000-0000-4000-8000-000000000000",
    "ocds-test-nonsense",
    "ocds-test-",
    "",
  ])
    expect(await ocdsRecord(ocid, ctx, db)).toBeNull();
});
