import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { confirmOpening, startOpening } from "#app/modules/bids/open-bids.server.ts";
import { reconfirmBid, submitBid } from "#app/modules/bids/submit-bid.server.ts";
import { bidVersions, emailOutbox, type Tender, tenderLots, tenders } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { amendmentsOf, amendTender } from "./amend-tender.server.ts";
import { addCriterion, addItem, addLot, createTenderDraft, publishTender } from "./author-tender.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();
const minDays = 5;
type UserActor = ReturnType<typeof actorOf>;
let officer: UserActor;
let second: UserActor;
let rival: UserActor;
let bidder: UserActor;
let other: UserActor;

const kuwait = (ms: number) => new Date(Date.now() + ms + 3 * 3600_000).toISOString().slice(0, 16);
const DAY = 86_400_000;

beforeAll(async () => {
  const agency = await createOrganisation(db, agencyData({ currency: "KWD", timeZone: "Asia/Kuwait" }));
  const elsewhere = await createOrganisation(db, agencyData());
  const member = (organisationId: string) => ({
    organisationId,
    kind: "agency" as const,
    roles: ["procurement_officer" as const],
  });
  officer = actorOf(await createUser(db), member(agency.id));
  second = actorOf(await createUser(db), member(agency.id));
  rival = actorOf(await createUser(db), member(elsewhere.id));
  for (const i of [0, 1]) {
    const business = await createOrganisation(db, businessData());
    const actor = actorOf(await createUser(db, { language: "en" }), {
      organisationId: business.id,
      kind: "business",
      roles: ["bidder"],
    });
    if (i === 0) bidder = actor;
    else other = actor;
  }
});

async function published(closesInDays: number): Promise<Tender> {
  const draft = await createTenderDraft(
    {
      actor: officer,
      form: {
        titleAr: "توريد معدات",
        titleEn: "Supply of equipment",
        method: "open",
        category: "goods",
        enquiryDeadline: kuwait((closesInDays / 2) * DAY),
        submissionDeadline: kuwait(closesInDays * DAY),
        openingAt: kuwait(closesInDays * DAY + 3600_000),
      },
    },
    db,
  );
  const lot = await addLot(
    { actor: officer, tenderId: draft.id, titleAr: "معدات", titleEn: "Equipment" },
    db,
  );
  await addItem(
    {
      actor: officer,
      tenderId: draft.id,
      lotId: lot.id,
      descriptionAr: "مولد",
      descriptionEn: "Generator",
      quantity: "2",
      unit: "H87",
    },
    db,
  );
  await addCriterion(
    {
      actor: officer,
      tenderId: draft.id,
      nameAr: "السعر",
      nameEn: "Price",
      kind: "financial",
      weight: "100",
    },
    db,
  );
  return publishTender({ actor: officer, tenderId: draft.id }, { db, master: keys.master });
}

async function bidOn(t: Tender, who: UserActor) {
  const [lot] = await db.select().from(tenderLots).where(eq(tenderLots.tenderId, t.id));
  return submitBid(
    { actor: who, tenderId: t.id, content: { lots: [{ lotId: lot!.id, price: "1000" }], responses: {} } },
    { db, keys },
  );
}

describe("amendments", () => {
  test("a change shows its before and after; close to the deadline, the deadline moves to leave bidders the minimum; bidders must reconfirm", async () => {
    const tender = await published(2); // closes in 2 days: inside the 5-day rule
    const placed = await bidOn(tender, bidder);
    const amendment = await amendTender(
      {
        actor: officer,
        tenderId: tender.id,
        kind: "amendment",
        reason: "The quantity was wrong",
        form: { titleEn: "Supply of emergency generators" },
      },
      { db, minDays },
    );
    expect(amendment.changes).toContainEqual({
      field: "titleEn",
      before: "Supply of equipment",
      after: "Supply of emergency generators",
    });
    expect(amendment.deadlineMovedByRule).toBe(true);
    const after = (await db.query.tenders.findFirst({ where: eq(tenders.id, tender.id) }))!;
    expect(after.submissionDeadline!.getTime()).toBeGreaterThanOrEqual(Date.now() + minDays * DAY - 60_000);
    expect(after.openingAt!.getTime()).toBeGreaterThan(after.submissionDeadline!.getTime());
    expect(amendment.changes.map((c) => c.field).sort()).toEqual([
      "openingAt",
      "submissionDeadline",
      "titleEn",
    ]);
    // The bidder is told, and its bid does not count until reconfirmed.
    const [version] = await db.select().from(bidVersions).where(eq(bidVersions.id, placed.version.id));
    expect(version!.reconfirmRequired).toBe(true);
    const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, bidder.email));
    expect(mail.at(-1)?.subject).toContain("reconfirm");
    await expect(reconfirmBid({ actor: other, tenderId: tender.id }, db)).rejects.toMatchObject({
      code: "NO_RECONFIRMATION_DUE",
    });
    await reconfirmBid({ actor: bidder, tenderId: tender.id }, db);
    const [again] = await db.select().from(bidVersions).where(eq(bidVersions.id, placed.version.id));
    expect(again!.reconfirmRequired).toBe(false);
    expect(await amendmentsOf(tender.id, db)).toHaveLength(1);
  });

  test("far from the deadline the dates stay as set; an extension needs a later deadline and a reason, and asks no reconfirmation", async () => {
    const tender = await published(20);
    const placed = await bidOn(tender, bidder);
    const amendment = await amendTender(
      {
        actor: officer,
        tenderId: tender.id,
        kind: "amendment",
        reason: "Clearer description",
        form: { descriptionEn: "Two generators of 500 kVA." },
      },
      { db, minDays },
    );
    expect(amendment.deadlineMovedByRule).toBe(false);
    await reconfirmBid({ actor: bidder, tenderId: tender.id }, db);
    await expect(
      amendTender(
        {
          actor: officer,
          tenderId: tender.id,
          kind: "extension",
          reason: "",
          form: { submissionDeadline: kuwait(25 * DAY) },
        },
        { db, minDays },
      ),
    ).rejects.toMatchObject({ code: "REASON_REQUIRED" });
    await expect(
      amendTender(
        {
          actor: officer,
          tenderId: tender.id,
          kind: "extension",
          reason: "Platform outage on the last day",
          form: { submissionDeadline: kuwait(10 * DAY) },
        },
        { db, minDays },
      ),
    ).rejects.toMatchObject({ code: "EXTENSION_NOT_LATER" });
    const extension = await amendTender(
      {
        actor: second,
        tenderId: tender.id,
        kind: "extension",
        reason: "Platform outage on the last day",
        form: { submissionDeadline: kuwait(25 * DAY) },
      },
      { db, minDays },
    );
    expect(extension.changes.map((c) => c.field)).toContain("submissionDeadline");
    const [version] = await db.select().from(bidVersions).where(eq(bidVersions.id, placed.version.id));
    expect(version!.reconfirmRequired).toBe(false);
    await expect(
      amendTender(
        {
          actor: rival,
          tenderId: tender.id,
          kind: "extension",
          reason: "Not mine to change",
          form: { submissionDeadline: kuwait(30 * DAY) },
        },
        { db, minDays },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      amendTender(
        { actor: bidder, tenderId: tender.id, kind: "extension", reason: "Not mine to change", form: {} },
        { db, minDays },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("after an outage just before the deadline, an extension reopens a closed tender; an amendment cannot", async () => {
    const tender = await published(20);
    await db.execute(sql`update tenders set enquiry_deadline = now() - interval '2 days', submission_deadline = now() - interval '10 minutes',
      opening_at = now() + interval '1 hour' where id = ${tender.id}`);
    await expect(
      amendTender(
        {
          actor: officer,
          tenderId: tender.id,
          kind: "amendment",
          reason: "Too late for this",
          form: { titleEn: "Late change" },
        },
        { db, minDays },
      ),
    ).rejects.toMatchObject({ code: "TENDER_CLOSED" });
    const extension = await amendTender(
      {
        actor: officer,
        tenderId: tender.id,
        kind: "extension",
        reason: "The platform was unavailable before the deadline",
        form: { submissionDeadline: kuwait(2 * DAY), openingAt: kuwait(2 * DAY + 3600_000) },
      },
      { db, minDays },
    );
    expect(extension.kind).toBe("extension");
    await expect(bidOn(tender, other)).resolves.toMatchObject({ version: { version: 1 } });
  });

  test("a bid not reconfirmed after an amendment is left out of the opening", async () => {
    const tender = await published(20);
    await bidOn(tender, bidder);
    await bidOn(tender, other);
    await amendTender(
      {
        actor: officer,
        tenderId: tender.id,
        kind: "amendment",
        reason: "Changed scope",
        form: { titleAr: "توريد مولدات" },
      },
      { db, minDays },
    );
    await reconfirmBid({ actor: other, tenderId: tender.id }, db);
    await db.execute(sql`update tenders set enquiry_deadline = now() - interval '2 days', submission_deadline = now() - interval '1 second',
      opening_at = now() - interval '1 second' where id = ${tender.id}`);
    await startOpening({ actor: officer, tenderId: tender.id }, db);
    const opened = await confirmOpening({ actor: second, tenderId: tender.id }, { db, master: keys.master });
    expect(opened.record?.map((r) => r.businessId)).toEqual([other.membership!.organisationId]);
  });
});
