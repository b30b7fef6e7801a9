import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { unwrapDataKey } from "#app/modules/bids/envelope.server.ts";
import { bidMasterKeyFromRaw } from "#app/modules/bids/master-key.server.ts";
import { auditEvents, tenders } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  publishTender,
  updateTenderDraft,
} from "./author-tender.server.ts";

const { db } = testDatabase();
const master = bidMasterKeyFromRaw(randomBytes(32));
let officer: ReturnType<typeof actorOf>;
let second: ReturnType<typeof actorOf>;
let rival: ReturnType<typeof actorOf>;
let business: ReturnType<typeof actorOf>;

const inDays = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  // datetime-local in Asia/Kuwait (UTC+3)
  return new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 16);
};
const basics = {
  titleAr: "صيانة الطرق في المنطقة الأولى",
  titleEn: "Road maintenance, district one",
  method: "open",
  category: "works",
  cpvCodes: "45233120-6, 45233141-9",
  estimatedValue: "250,000.000",
  documentFee: "25.000",
  bidSecurity: "5000",
  requireVerified: "on",
  enquiryDeadline: inDays(5),
  submissionDeadline: inDays(10),
  openingAt: inDays(10.05),
};

beforeAll(async () => {
  const agency = await createOrganisation(
    db,
    agencyData({ slug: "ministry-of-roads", currency: "KWD", timeZone: "Asia/Kuwait" }),
  );
  const other = await createOrganisation(db, agencyData());
  const firm = await createOrganisation(db, businessData());
  const member = (organisationId: string) => ({
    organisationId,
    kind: "agency" as const,
    roles: ["procurement_officer" as const],
  });
  officer = actorOf(await createUser(db), member(agency.id));
  second = actorOf(await createUser(db), member(agency.id));
  rival = actorOf(await createUser(db), member(other.id));
  business = actorOf(await createUser(db), { organisationId: firm.id, kind: "business", roles: ["owner"] });
});

async function completeDraft(form = basics) {
  const tender = await createTenderDraft({ actor: officer, form }, db);
  const lot = await addLot(
    { actor: officer, tenderId: tender.id, titleAr: "المجموعة الأولى", titleEn: "Lot one" },
    db,
  );
  await addItem(
    {
      actor: officer,
      tenderId: tender.id,
      lotId: lot.id,
      descriptionAr: "سفلتة",
      descriptionEn: "Asphalt",
      quantity: "1200.5",
      unit: "MTK",
    },
    db,
  );
  await addCriterion(
    {
      actor: officer,
      tenderId: tender.id,
      nameAr: "الخبرة",
      nameEn: "Experience",
      kind: "technical",
      weight: "60",
    },
    db,
  );
  await addCriterion(
    {
      actor: officer,
      tenderId: tender.id,
      nameAr: "السعر",
      nameEn: "Price",
      kind: "financial",
      weight: "40",
    },
    db,
  );
  return tender;
}

describe("tender authoring", () => {
  test("a draft gets the agency's next reference, amounts in its currency and deadlines in its time zone", async () => {
    const drafts = await Promise.all(
      [1, 2, 3].map(() => createTenderDraft({ actor: officer, form: basics }, db)),
    );
    const refs = drafts.map((d) => d.reference).sort();
    expect(new Set(refs).size).toBe(3);
    expect(refs[0]).toMatch(/^MOR-\d{4}-\d{4}$/);
    const draft = drafts[0]!;
    expect(draft).toMatchObject({
      status: "draft",
      currency: "KWD",
      documentFee: 25_000n,
      bidSecurity: 5_000_000n,
      estimatedValue: 250_000_000n,
    });
    expect(draft.cpvCodes).toEqual(["45233120-6", "45233141-9"]);
    // 10 days ahead in Kuwait time is 3 hours earlier in UTC.
    expect(draft.submissionDeadline!.toISOString()).toBe(
      new Date(`${basics.submissionDeadline}:00+03:00`).toISOString(),
    );
  });

  test("bad input names its field and stores nothing", async () => {
    const before = (await db.select().from(tenders)).length;
    const cases: Array<[Partial<typeof basics>, string, string]> = [
      [{ titleAr: "" }, "VALIDATION", "titleAr"],
      [{ category: "weapons" }, "VALIDATION", "category"],
      [{ cpvCodes: "road works" }, "CPV_INVALID", "cpvCodes"],
      [{ documentFee: "1.2345" }, "AMOUNT_INVALID", "documentFee"],
      [{ submissionDeadline: "2026-02-30T10:00" }, "VALIDATION", "submissionDeadline"],
    ];
    for (const [change, code, field] of cases)
      await expect(
        createTenderDraft({ actor: officer, form: { ...basics, ...change } }, db),
      ).rejects.toMatchObject({ code, field });
    expect((await db.select().from(tenders)).length).toBe(before);
    await expect(createTenderDraft({ actor: business, form: basics }, db)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  test("publication needs lots with items, criteria adding up to 100 and a schedule ahead; it seals with a fresh data key", async () => {
    const incomplete = await createTenderDraft({ actor: officer, form: basics }, db);
    await expect(
      publishTender({ actor: officer, tenderId: incomplete.id }, { db, master }),
    ).rejects.toMatchObject({ code: "CRITERIA_INVALID" });
    const late = await completeDraft({
      ...basics,
      enquiryDeadline: inDays(-2),
      submissionDeadline: inDays(-1),
      openingAt: inDays(1),
    });
    await expect(publishTender({ actor: officer, tenderId: late.id }, { db, master })).rejects.toMatchObject({
      code: "SCHEDULE_INVALID",
    });

    const draft = await completeDraft();
    await expect(publishTender({ actor: rival, tenderId: draft.id }, { db, master })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const published = await publishTender({ actor: officer, tenderId: draft.id }, { db, master });
    expect(published.status).toBe("published");
    expect(published.dataKeyMasterId).toBe(master.keyId);
    expect(() => unwrapDataKey(master, published.dataKeyWrapped!, published.id)).not.toThrow();
    await expect(
      updateTenderDraft({ actor: officer, tenderId: draft.id, form: basics }, db),
    ).rejects.toMatchObject({ code: "TENDER_NOT_DRAFT" });
    const events = await db.select().from(auditEvents).where(eq(auditEvents.objectId, draft.id));
    expect(events.map((e) => e.action)).toContain("tender.published");
  });

  test("a tender that needs approval waits for a second officer; its author cannot approve it", async () => {
    const draft = await completeDraft({ ...basics, requiresApproval: "on" } as typeof basics);
    const sent = await publishTender({ actor: officer, tenderId: draft.id }, { db, master });
    expect(sent.status).toBe("awaiting_approval");
    await expect(publishTender({ actor: officer, tenderId: draft.id }, { db, master })).rejects.toMatchObject(
      { code: "SECOND_OFFICER_REQUIRED" },
    );
    const approved = await publishTender({ actor: second, tenderId: draft.id }, { db, master });
    expect(approved).toMatchObject({ status: "published", approvedBy: second.userId });
  });
});
