import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { platformKeyFromPem } from "#app/modules/ledger/platform-key.server.ts";
import { capturePayment } from "#app/modules/payments/payment-ledger.server.ts";
import { requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  publishTender,
  updateTenderDraft,
} from "#app/modules/tenders/author-tender.server.ts";
import { auditEvents, bidVersions, permits, type Tender, tenderLots, tenders } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { pdfBytes } from "#tests/factories/files.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createPermit, createPermitType } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase, testDatabaseUrl } from "#tests/setup/db.ts";
import { verifyBidReceipt } from "./bid-receipt.ts";
import { unwrapDataKey } from "./envelope.server.ts";
import { bidMasterKeyFromRaw } from "./master-key.server.ts";
import { confirmOpening, readBidContent, startOpening } from "./open-bids.server.ts";
import { checkBidDocuments, openSealedDocument } from "./seal-bid-documents.server.ts";
import { loadBidDraft, saveBidDraft, submitBid, withdrawBid } from "./submit-bid.server.ts";

const database = testDatabase();
const { db } = database;
const master = bidMasterKeyFromRaw(randomBytes(32));
const platformKey = platformKeyFromPem(
  generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
);
const keys = { master, platformKey };
/** A price nobody would write by chance: if it is anywhere in the database, the seal leaked. */
const MARKER_PRICE = "987654321";

type UserActor = ReturnType<typeof actorOf>;
let officer: UserActor;
let second: UserActor;
let admin: UserActor;
let rivalOfficer: UserActor;
const bidders: UserActor[] = [];

const local = (ms: number) => new Date(Date.now() + ms + 3 * 3600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  const agency = await createOrganisation(db, agencyData({ currency: "KWD", timeZone: "Asia/Kuwait" }));
  const other = await createOrganisation(db, agencyData());
  const platform = await createOrganisation(db, { ...agencyData(), kind: "platform" });
  const member = (organisationId: string) => ({
    organisationId,
    kind: "agency" as const,
    roles: ["procurement_officer" as const],
  });
  officer = actorOf(await createUser(db), member(agency.id));
  second = actorOf(await createUser(db), member(agency.id));
  rivalOfficer = actorOf(await createUser(db), member(other.id));
  admin = actorOf(await createUser(db), {
    organisationId: platform.id,
    kind: "platform",
    roles: ["platform_admin"],
  });
  for (let i = 0; i < 40; i++) {
    const business = await createOrganisation(db, businessData());
    bidders.push(
      actorOf(await createUser(db), { organisationId: business.id, kind: "business", roles: ["bidder"] }),
    );
  }
});

/** A published tender with one lot; its clock can then be moved by SQL to simulate the passing of time. */
async function publishedTender(form: Record<string, string> = {}): Promise<Tender> {
  const draft = await createTenderDraft(
    {
      actor: officer,
      form: {
        titleAr: "توريد أجهزة حاسب",
        titleEn: "Supply of computers",
        method: "open",
        category: "goods",
        requireVerified: "on",
        enquiryDeadline: local(3600_000),
        submissionDeadline: local(2 * 3600_000),
        openingAt: local(3 * 3600_000),
        ...form,
      },
    },
    db,
  );
  const lot = await addLot(
    { actor: officer, tenderId: draft.id, titleAr: "أجهزة", titleEn: "Computers" },
    db,
  );
  await addItem(
    {
      actor: officer,
      tenderId: draft.id,
      lotId: lot.id,
      descriptionAr: "حاسب",
      descriptionEn: "Laptop",
      quantity: "50",
      unit: "H87",
    },
    db,
  );
  await addCriterion(
    {
      actor: officer,
      tenderId: draft.id,
      nameAr: "الخبرة",
      nameEn: "Experience",
      kind: "technical",
      weight: "30",
    },
    db,
  );
  await addCriterion(
    { actor: officer, tenderId: draft.id, nameAr: "السعر", nameEn: "Price", kind: "financial", weight: "70" },
    db,
  );
  return publishTender({ actor: officer, tenderId: draft.id }, { db, master });
}

async function lotOf(tender: Tender) {
  return (await db.select().from(tenderLots).where(eq(tenderLots.tenderId, tender.id)))[0]!;
}

async function bid(tender: Tender, who: UserActor, price = "1500.250") {
  const lot = await lotOf(tender);
  const content = {
    lots: [{ lotId: lot.id, price: String(BigInt(Math.round(Number(price) * 1000))) }],
    responses: { c1: "Ten years of supply" },
  };
  return submitBid({ actor: who, tenderId: tender.id, content }, { db, keys });
}

/** Move a tender's clock: deadlines relative to the database's now. */
async function setSchedule(tenderId: string, submissionIn: string, openingIn: string) {
  await db.execute(sql`update tenders set enquiry_deadline = now() + ${submissionIn}::interval - interval '1 hour',
    submission_deadline = now() + ${submissionIn}::interval, opening_at = now() + ${openingIn}::interval where id = ${tenderId}`);
}

const auditCount = async (action: string, objectId: string) =>
  (
    await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.objectId, objectId)))
  ).length;

describe("sealed bids (Directive 2014/24/EU Annex IV, in our words)", () => {
  test("the exact time of receipt is known: a signed receipt with the database time to the microsecond and the sealed digest", async () => {
    const tender = await publishedTender();
    const { receipt, version } = await bid(tender, bidders[0]!);
    expect(receipt.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(receipt.sealedSha256).toBe(version.sealedSha256);
    expect(verifyBidReceipt(platformKey.publicKeyPem, receipt)).toMatchObject({ ok: true });
    expect(
      verifyBidReceipt(platformKey.publicKeyPem, { ...receipt, receivedAt: "2026-01-01T00:00:00.000000Z" })
        .ok,
    ).toBe(false);
  });

  test("nobody reaches a sealed bid before the opening: the agency's officer, a platform admin, a rival and another agency are refused, and each attempt is audited", async () => {
    const tender = await publishedTender();
    const { bid: submitted } = await bid(tender, bidders[1]!);
    for (const who of [officer, admin, bidders[2]!, rivalOfficer, bidders[1]!])
      await expect(readBidContent({ actor: who, bidId: submitted.id }, { db, master })).rejects.toMatchObject(
        { code: "BID_SEALED" },
      );
    expect(await auditCount("bid.read_refused", submitted.id)).toBe(5);
  });

  test("the plaintext of a sealed bid is absent from every table (a dump) and from pg_dump", async () => {
    const tender = await publishedTender();
    await bid(tender, bidders[3]!, MARKER_PRICE);
    // Every row of every table as COPY writes it, which is what pg_dump's data section is.
    const tables = (await db.execute(
      sql`select tablename from pg_tables where schemaname = 'public'`,
    )) as unknown as Array<{ tablename: string }>;
    let dump = "";
    for (const { tablename } of tables) {
      const rows = (await db.execute(
        sql.raw(`select t::text as row from "${tablename}" t`),
      )) as unknown as Array<{ row: string }>;
      dump += rows.map((r) => r.row).join("\n");
    }
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).not.toContain(`${BigInt(MARKER_PRICE) * 1000n}`);
    expect(dump).not.toContain("Ten years of supply");
    // And the real pg_dump, when this machine has one that can read the server.
    const [{ major }] = (await db.execute(
      sql`select current_setting('server_version_num')::int / 10000 as major`,
    )) as unknown as [{ major: number }];
    const pgDump = `/usr/lib/postgresql/${major}/bin/pg_dump`;
    if (fs.existsSync(pgDump)) {
      const out = spawnSync(pgDump, ["--dbname", testDatabaseUrl], {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout).toContain("bid_versions");
      expect(out.stdout).not.toContain("Ten years of supply");
    }
  });

  test("a bid's documents are sealed in the file store: no plaintext, no name, no type there; after the opening they open and match their hash", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-sealed-docs-"));
    const files = new LocalDiskStore(root);
    const tender = await publishedTender();
    const lot = await lotOf(tender);
    const secret = pdfBytes()
      .toString("latin1")
      .replace("% padding ", "% padding SECRET-TECHNICAL-PROPOSAL ");
    const documents = await checkBidDocuments(
      [{ name: "technical-proposal.pdf", bytes: Buffer.from(secret, "latin1") }],
      1_000_000,
    );
    const placed = await submitBid(
      {
        actor: bidders[10]!,
        tenderId: tender.id,
        content: { lots: [{ lotId: lot.id, price: "5000" }], responses: { c1: "x" } },
        documents,
      },
      { db, keys, files },
    );
    const stored = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(stored).toHaveLength(1);
    const bytes = fs.readFileSync(path.join(stored[0]!.parentPath, stored[0]!.name));
    expect(bytes.includes(Buffer.from("SECRET-TECHNICAL-PROPOSAL"))).toBe(false);
    expect(bytes.includes(Buffer.from("%PDF"))).toBe(false);
    const rows = (await db.execute(
      sql`select original_name, media_type, attached_at from stored_files where storage_key like 'sealed-bids/%'`,
    )) as unknown as Array<{ original_name: string; media_type: string; attached_at: Date | null }>;
    expect(rows).toEqual([
      expect.objectContaining({ original_name: "sealed", media_type: "application/octet-stream" }),
    ]);
    expect(rows[0]!.attached_at).not.toBeNull();
    // A wrong type is refused before anything is stored.
    await expect(
      checkBidDocuments([{ name: "x.exe", bytes: Buffer.from("MZ\x90\x00 not a document") }], 1_000_000),
    ).rejects.toMatchObject({ code: "FILE_TYPE_NOT_ALLOWED" });

    await setSchedule(tender.id, "-2 seconds", "-1 second");
    await startOpening({ actor: officer, tenderId: tender.id }, db);
    const opened = await confirmOpening({ actor: second, tenderId: tender.id }, { db, master });
    const entry = opened.record!.find((r) => r.bidId === placed.bid.id)!;
    expect(entry.documents).toEqual([
      expect.objectContaining({ name: "technical-proposal.pdf", mediaType: "application/pdf" }),
    ]);
    const content = await readBidContent({ actor: second, bidId: placed.bid.id }, { db, master });
    const plain = await openSealedDocument(
      {
        tenderId: tender.id,
        businessId: placed.bid.businessId,
        ref: content.documents![0]!,
        dataKey: unwrapDataKey(master, tender.dataKeyWrapped!, tender.id),
      },
      { db, files },
    );
    expect(plain.toString("latin1")).toContain("SECRET-TECHNICAL-PROPOSAL");
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("a draft is kept sealed, comes back only to its business, and is not a bid", async () => {
    const tender = await publishedTender();
    const lot = await lotOf(tender);
    const draft = {
      lots: [{ lotId: lot.id, price: "777000" }],
      responses: { c1: "Draft response nobody else sees" },
    };
    await saveBidDraft({ actor: bidders[11]!, tenderId: tender.id, content: draft }, { db, keys });
    await expect(loadBidDraft(bidders[11]!, tender.id, { db, keys })).resolves.toMatchObject(draft);
    await expect(loadBidDraft(bidders[12]!, tender.id, { db, keys })).resolves.toBeNull();
    const rows = (await db.execute(
      sql`select t::text as row from bids t where tender_id = ${tender.id}`,
    )) as unknown as Array<{ row: string }>;
    expect(rows.map((r) => r.row).join()).not.toContain("Draft response");
    expect(
      await db
        .select()
        .from(bidVersions)
        .where(sql`${bidVersions.bidId} in (select id from bids where tender_id = ${tender.id})`),
    ).toHaveLength(0);
  });

  test("a bid can be replaced (the latest counts, the history stays) and withdrawn before the deadline; a late one is refused with a clear message", async () => {
    const tender = await publishedTender();
    const first = await bid(tender, bidders[4]!, "100");
    const second = await bid(tender, bidders[4]!, "90");
    expect(second.version.version).toBe(2);
    const versions = await db.select().from(bidVersions).where(eq(bidVersions.bidId, first.bid.id));
    expect(versions.map((v) => v.status).sort()).toEqual(["submitted", "superseded"]);
    await withdrawBid({ actor: bidders[4]!, tenderId: tender.id }, db);
    await setSchedule(tender.id, "-1 second", "1 hour");
    await expect(bid(tender, bidders[5]!)).rejects.toMatchObject({ code: "BID_LATE", status: 409 });
    await expect(withdrawBid({ actor: bidders[5]!, tenderId: tender.id }, db)).rejects.toMatchObject({
      code: "BID_LATE",
    });
  });

  test("a tender's fees must be paid first (fee gate through the ledger)", async () => {
    const tender = await publishedTender({ documentFee: "25.000" });
    await expect(bid(tender, bidders[6]!)).rejects.toMatchObject({ code: "BID_FEE_UNPAID" });
    const payment = await requestFeePayment(
      {
        payerId: bidders[6]!.membership!.organisationId,
        agencyId: tender.agencyId,
        feeType: "tender_document",
        subject: `tender:${tender.id}`,
        price: { amount: tender.documentFee, currency: tender.currency },
      },
      db,
    );
    await capturePayment({ paymentId: payment.id, actor: { userId: null } }, db);
    await expect(bid(tender, bidders[6]!)).resolves.toMatchObject({ version: { version: 1 } });
  });

  test("only authorised people set the dates: not a business, not another agency, and not after publication", async () => {
    const tender = await publishedTender();
    const form = {
      titleAr: "تعديل",
      titleEn: "Changed",
      method: "open",
      category: "goods",
      submissionDeadline: local(9 * 3600_000),
    };
    await expect(
      updateTenderDraft({ actor: bidders[7]!, tenderId: tender.id, form }, db),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      updateTenderDraft({ actor: rivalOfficer, tenderId: tender.id, form }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateTenderDraft({ actor: officer, tenderId: tender.id, form }, db)).rejects.toMatchObject({
      code: "TENDER_NOT_DRAFT",
    });
  });

  test("opening is the joint act of two officers, at or after the opening time; then the agency reads the bids, a rival still cannot", async () => {
    const tender = await publishedTender();
    const placed = await bid(tender, bidders[8]!, "1200.500");
    await bid(tender, bidders[9]!, "1100");
    await expect(startOpening({ actor: officer, tenderId: tender.id }, db)).rejects.toMatchObject({
      code: "OPENING_TOO_EARLY",
    });
    await setSchedule(tender.id, "-2 seconds", "-1 second");
    await expect(startOpening({ actor: bidders[8]!, tenderId: tender.id }, db)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await startOpening({ actor: officer, tenderId: tender.id }, db);
    await expect(
      confirmOpening({ actor: officer, tenderId: tender.id }, { db, master }),
    ).rejects.toMatchObject({
      code: "SECOND_OFFICER_REQUIRED",
    });
    expect(await auditCount("bids.opening_refused_same_officer", tender.id)).toBe(1);
    await expect(
      readBidContent({ actor: second, bidId: placed.bid.id }, { db, master }),
    ).rejects.toMatchObject({ code: "BID_SEALED" });
    // The database refuses one officer doing both, even if the code were bypassed.
    await expect(
      db.execute(
        sql`update tender_openings set confirmed_by = started_by, confirmed_at = now() where tender_id = ${tender.id}`,
      ),
    ).rejects.toThrow();

    const opened = await confirmOpening({ actor: second, tenderId: tender.id }, { db, master });
    expect(opened.record?.map((r) => r.lots[0]!.price).sort()).toEqual(["1100000", "1200500"]);
    expect((await db.query.tenders.findFirst({ where: eq(tenders.id, tender.id) }))?.status).toBe("opened");
    await expect(
      readBidContent({ actor: second, bidId: placed.bid.id }, { db, master }),
    ).resolves.toMatchObject({
      lots: [{ price: "1200500" }],
    });
    await expect(
      readBidContent({ actor: bidders[9]!, bidId: placed.bid.id }, { db, master }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("race: bids arriving from one second before to one second after the deadline — every accepted one before it, every refused one after, none lost", async () => {
    const tender = await publishedTender();
    await setSchedule(tender.id, "1.2 seconds", "1 hour");
    const [{ deadline }] = (await db.execute(
      sql`select submission_deadline as deadline from tenders where id = ${tender.id}`,
    )) as unknown as [{ deadline: Date }];
    const racers = bidders.slice(10, 40);
    const start = Date.now();
    const outcomes = await Promise.allSettled(
      racers.map(async (who, i) => {
        // Spread the arrivals over about 2.4 seconds around the deadline.
        await new Promise((r) => setTimeout(r, Math.max(0, start + i * 80 - Date.now())));
        return bid(tender, who, String(1000 + i));
      }),
    );
    const accepted = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) expect((o as PromiseRejectedResult).reason).toMatchObject({ code: "BID_LATE" });
    const stored = await db
      .select()
      .from(bidVersions)
      .where(sql`${bidVersions.bidId} in (select id from bids where tender_id = ${tender.id})`);
    expect(stored).toHaveLength(accepted.length); // none lost, none extra
    for (const v of stored) expect(v.receivedAt.getTime()).toBeLessThan(new Date(deadline).getTime());
  });
});

test("a tender that requires a permit admits bids only from holders of a valid one (checked through the permits module)", async () => {
  const issuer = await createUser(db);
  const licensing = await createOrganisation(db, agencyData());
  const type = await createPermitType(db, licensing.id, { nameEn: "Electrical contractor licence" });
  await expect(publishedTender({ requiredPermitType: "no-such-permit" })).rejects.toMatchObject({
    code: "VALIDATION",
    field: "requiredPermitType",
  });
  const tender = await publishedTender({ requiredPermitType: type.code });
  const [holder, outsider] = [bidders[30]!, bidders[31]!];
  const permit = await createPermit(db, {
    permitTypeId: type.id,
    holderId: holder.membership!.organisationId,
    issuedBy: issuer.id,
  });
  await expect(bid(tender, outsider)).rejects.toMatchObject({
    code: "PERMIT_REQUIRED",
    status: 409,
    params: { nameEn: "Electrical contractor licence" },
  });
  expect((await bid(tender, holder)).version.version).toBe(1);
  // A suspended permit no longer qualifies.
  await db
    .update(permits)
    .set({ status: "suspended", statusReason: "Inspection pending" })
    .where(eq(permits.id, permit.id));
  await expect(bid(tender, holder)).rejects.toMatchObject({ code: "PERMIT_REQUIRED" });
});
