import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { crc32 } from "node:zlib";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { ANONYMOUS } from "#app/modules/accounts/actor.ts";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { TENDER_DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { pruneUnattachedFiles } from "#app/modules/files/prune-unattached-files.server.ts";
import { saveUpload } from "#app/modules/files/save-upload.server.ts";
import { readMultipartForm } from "#app/utils/uploads.server.ts";
import { auditEvents, storedFiles, tenderDocuments, tenders } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { chunked, pdfBytes } from "#tests/factories/files.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { createTenderDraft } from "./author-tender.server.ts";
import {
  addTenderDocument,
  currentDocuments,
  downloadFileName,
  listTenderDocuments,
  tenderDocumentFile,
  tenderDocumentsForOfficer,
  tenderDocumentsView,
} from "./tender-documents.server.ts";

const { db } = testDatabase();
let files: LocalDiskStore;
let officer: ReturnType<typeof actorOf>;
let colleague: ReturnType<typeof actorOf>;
let evaluator: ReturnType<typeof actorOf>;
let rival: ReturnType<typeof actorOf>;
let business: ReturnType<typeof actorOf>;

const inDays = (days: number) =>
  // datetime-local in Asia/Kuwait (UTC+3)
  new Date(Date.now() + days * 86_400_000 + 3 * 3600_000).toISOString().slice(0, 16);
const basics = {
  titleAr: "توريد أجهزة حاسوب",
  titleEn: "Supply of computers",
  method: "open",
  category: "goods",
  enquiryDeadline: inDays(5),
  submissionDeadline: inDays(10),
  openingAt: inDays(10.05),
};

beforeAll(async () => {
  files = new LocalDiskStore(await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-tender-docs-")));
  const agency = await createOrganisation(db, agencyData());
  const other = await createOrganisation(db, agencyData());
  const firm = await createOrganisation(db, businessData());
  const member = (
    organisationId: string,
    role: "procurement_officer" | "evaluator" = "procurement_officer",
  ) => ({
    organisationId,
    kind: "agency" as const,
    roles: [role],
  });
  officer = actorOf(await createUser(db), member(agency.id));
  colleague = actorOf(await createUser(db), member(agency.id));
  evaluator = actorOf(await createUser(db), member(agency.id, "evaluator"));
  rival = actorOf(await createUser(db), member(other.id));
  business = actorOf(await createUser(db), { organisationId: firm.id, kind: "business", roles: ["owner"] });
});

const upload = (bytes: Buffer = pdfBytes(), name = "conditions.pdf") =>
  saveUpload(
    { body: chunked(bytes), originalName: name, maxBytes: 1_000_000, accept: TENDER_DOCUMENT_TYPES },
    { db, files },
  );
const draft = () => createTenderDraft({ actor: officer, form: basics }, db);
const setStatus = (tenderId: string, status: "published" | "opened" | "cancelled") =>
  db.update(tenders).set({ status, publishedAt: sql`now()` }).where(eq(tenders.id, tenderId));

describe("adding tender documents", () => {
  test("a new upload under the same title is the next version; every version is kept", async () => {
    const tender = await draft();
    const add = async (title: string, bytes = pdfBytes()) =>
      addTenderDocument({ actor: officer, tenderId: tender.id, title, file: await upload(bytes) }, db);
    const first = await add("Conditions of contract");
    const second = await add("  Conditions   of contract ", pdfBytes(100));
    const boq = await add("جدول الكميات");
    const third = await add("Conditions of contract", pdfBytes(200));
    expect([first.version, second.version, third.version, boq.version]).toEqual([1, 2, 3, 1]);
    expect(second.title).toBe("Conditions of contract");
    expect(third.sha256).toBe(createHash("sha256").update(pdfBytes(200)).digest("hex"));

    const all = await listTenderDocuments(tender.id, db);
    expect(all.map((d) => [d.title, d.version, d.current])).toEqual([
      ["Conditions of contract", 3, true],
      ["Conditions of contract", 2, false],
      ["Conditions of contract", 1, false],
      ["جدول الكميات", 1, true],
    ]);
    expect(all[0]).toMatchObject({ fileName: "conditions.pdf", mediaType: "application/pdf" });
    expect(all[0]!.sizeBytes).toBe(BigInt(pdfBytes(200).length));
  });

  test("two uploads of the same title at once get versions 1 and 2", async () => {
    const tender = await draft();
    const [a, b] = await Promise.all([upload(), upload(pdfBytes(10))]);
    const added = await Promise.all([
      addTenderDocument({ actor: officer, tenderId: tender.id, title: "Specification", file: a }, db),
      addTenderDocument({ actor: colleague, tenderId: tender.id, title: "Specification", file: b }, db),
    ]);
    expect(added.map((d) => d.version).sort()).toEqual([1, 2]);
  });

  test("the file is attached, so the pruning of abandoned uploads leaves it alone", async () => {
    const tender = await draft();
    const file = await upload();
    await addTenderDocument({ actor: officer, tenderId: tender.id, title: "Drawings", file }, db);
    await db
      .update(storedFiles)
      .set({ uploadedAt: sql`now() - interval '3 days'` })
      .where(eq(storedFiles.id, file.id));
    await pruneUnattachedFiles({ olderThanHours: 1 }, { db, files });
    const [row] = await db.select().from(storedFiles).where(eq(storedFiles.id, file.id));
    expect(row?.attachedAt).toBeInstanceOf(Date);
    expect(await text(await files.get(file.storageKey))).toBe(pdfBytes().toString("latin1"));
  });

  test("a file already attached elsewhere cannot be attached again", async () => {
    const tender = await draft();
    const file = await upload();
    await addTenderDocument({ actor: officer, tenderId: tender.id, title: "Annex A", file }, db);
    await expect(
      addTenderDocument({ actor: officer, tenderId: tender.id, title: "Annex B", file }, db),
    ).rejects.toMatchObject({ code: "VALIDATION", field: "file" });
  });

  test("the upload is audited with title, version and SHA-256, and whether the tender was published", async () => {
    const tender = await draft();
    const before = await addTenderDocument(
      { actor: officer, tenderId: tender.id, title: "Terms", file: await upload(), ip: "192.0.2.7" },
      db,
    );
    await setStatus(tender.id, "published");
    const after = await addTenderDocument(
      { actor: officer, tenderId: tender.id, title: "Terms", file: await upload(pdfBytes(5)) },
      db,
    );
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, tender.id), eq(auditEvents.action, "tender.document_added")))
      .orderBy(auditEvents.seq);
    expect(events.map((e) => e.details)).toEqual([
      expect.objectContaining({
        documentId: before.id,
        title: "Terms",
        version: 1,
        sha256: before.sha256,
        status: "draft",
        afterPublication: false,
      }),
      expect.objectContaining({
        documentId: after.id,
        title: "Terms",
        version: 2,
        sha256: after.sha256,
        status: "published",
        afterPublication: true,
      }),
    ]);
    expect(events[0]).toMatchObject({ actorUserId: officer.userId, ip: "192.0.2.7" });
  });

  test("another agency's officer, an evaluator, a business and the public are refused", async () => {
    const tender = await draft();
    const file = await upload();
    const attempt = (actor: Parameters<typeof addTenderDocument>[0]["actor"]) =>
      addTenderDocument({ actor, tenderId: tender.id, title: "Annex", file }, db);
    await expect(attempt(rival)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(attempt(evaluator)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(attempt(business)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(attempt(ANONYMOUS)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(tenderDocumentsForOfficer(rival, tender.id, db)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listTenderDocuments(tender.id, db)).toEqual([]);
    const [row] = await db.select().from(storedFiles).where(eq(storedFiles.id, file.id));
    expect(row?.attachedAt).toBeNull();
  });

  test("a title of 2 to 200 characters", async () => {
    const tender = await draft();
    const file = await upload();
    for (const title of [" x ", "x".repeat(201)])
      await expect(
        addTenderDocument({ actor: officer, tenderId: tender.id, title, file }, db),
      ).rejects.toMatchObject({ code: "VALIDATION", field: "title" });
  });

  test("no more documents after the submission deadline, once opened or cancelled", async () => {
    const late = await draft();
    await db
      .update(tenders)
      .set({
        status: "published",
        enquiryDeadline: sql`now() - interval '2 days'`,
        submissionDeadline: sql`now() - interval '1 day'`,
        openingAt: sql`now() - interval '12 hours'`,
      })
      .where(eq(tenders.id, late.id));
    const opened = await draft();
    await setStatus(opened.id, "opened");
    const cancelled = await draft();
    await setStatus(cancelled.id, "cancelled");
    for (const tender of [late, opened, cancelled]) {
      await expect(
        addTenderDocument({ actor: officer, tenderId: tender.id, title: "Late", file: await upload() }, db),
      ).rejects.toMatchObject({ code: "TENDER_DOCUMENTS_CLOSED", status: 409 });
      expect((await tenderDocumentsForOfficer(officer, tender.id, db)).canAdd).toBe(false);
    }
    expect((await tenderDocumentsForOfficer(officer, (await draft()).id, db)).canAdd).toBe(true);
  });
});

describe("reading tender documents", () => {
  test("a draft's documents are the agency's officers' only", async () => {
    const tender = await draft();
    const doc = await addTenderDocument(
      { actor: officer, tenderId: tender.id, title: "Draft annex", file: await upload() },
      db,
    );
    const read = (actor: Parameters<typeof tenderDocumentFile>[0]["actor"]) =>
      tenderDocumentFile({ actor, tenderId: tender.id, documentId: doc.id }, db);
    for (const outsider of [ANONYMOUS, business, rival, evaluator])
      await expect(read(outsider)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(read(colleague)).resolves.toMatchObject({ isPublic: false, sha256: doc.sha256 });
    expect(await currentDocuments(tender.id, db)).toEqual([]);
  });

  test("a published tender's documents are anyone's; the public list shows the latest versions", async () => {
    const tender = await draft();
    await addTenderDocument(
      { actor: officer, tenderId: tender.id, title: "Conditions", file: await upload() },
      db,
    );
    const v2 = await addTenderDocument(
      { actor: officer, tenderId: tender.id, title: "Conditions", file: await upload(pdfBytes(1)) },
      db,
    );
    await setStatus(tender.id, "published");
    const file = await tenderDocumentFile({ actor: ANONYMOUS, tenderId: tender.id, documentId: v2.id }, db);
    expect(file).toMatchObject({
      isPublic: true,
      mediaType: "application/pdf",
      fileName: "conditions.pdf",
      sha256: v2.sha256,
    });
    expect(await text(await files.get(file.storageKey))).toBe(pdfBytes(1).toString("latin1"));
    const current = await currentDocuments(tender.id, db);
    expect(current.map((d) => [d.title, d.version])).toEqual([["Conditions", 2]]);
    const [view] = tenderDocumentsView(current);
    expect(view).toEqual({
      id: v2.id,
      href: `/tenders/${tender.id}/documents/${v2.id}`,
      title: "Conditions",
      version: 2,
      current: true,
      fileName: "conditions.pdf",
      type: "PDF",
      size: expect.stringMatching(/^\d+ B$/),
      uploadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Kuwait\)$/),
      sha256: v2.sha256,
    });
  });

  test("a document is found only under its own tender", async () => {
    const tender = await draft();
    const other = await draft();
    const doc = await addTenderDocument(
      { actor: officer, tenderId: tender.id, title: "Annex", file: await upload() },
      db,
    );
    await setStatus(tender.id, "published");
    await expect(
      tenderDocumentFile({ actor: ANONYMOUS, tenderId: other.id, documentId: doc.id }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.select().from(tenderDocuments).where(eq(tenderDocuments.tenderId, other.id))).toEqual([]);
  });

  test("an Arabic file name arrives as the browser sent it (UTF-8), not as Latin-1", async () => {
    const body = new FormData();
    body.append("title", "الشروط العامة");
    body.append("file", new Blob([new Uint8Array(pdfBytes())]), "شروط العقد.pdf");
    const request = new Request("http://localhost/upload", { method: "POST", body });
    const form = await readMultipartForm(
      request,
      { maxBytes: 100_000, accept: TENDER_DOCUMENT_TYPES },
      { db, files },
    );
    expect(form.files.get("file")?.[0]?.originalName).toBe("شروط العقد.pdf");
  });

  test("download names are safe and end in the detected type's extension", () => {
    expect(downloadFileName("conditions.pdf", "application/pdf")).toBe("conditions.pdf");
    expect(
      downloadFileName(
        "C:\\docs\\boq.XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      ),
    ).toBe("boq.XLSX");
    expect(downloadFileName("../../etc/passwd", "application/pdf")).toBe("passwd.pdf");
    expect(downloadFileName('inv"oice\u202Efdp.exe', "application/pdf")).toBe("invoicefdp.exe.pdf");
    expect(downloadFileName("شروط العقد.pdf", "application/pdf")).toBe("شروط العقد.pdf");
    expect(downloadFileName("...", "image/jpeg")).toBe("document.jpg");
    expect(downloadFileName("scan.jpeg", "image/jpeg")).toBe("scan.jpeg");
  });
});

/** A zip with stored (uncompressed) entries, enough for file-type to read its entries. */
function zipOf(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name, "utf8");
    const data = Buffer.from(content, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const contentTypes = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;

describe("office documents, recognised from their bytes", () => {
  test("Word and Excel files are accepted; macro-enabled ones and plain zips are not", async () => {
    const docx = zipOf([
      [
        "[Content_Types].xml",
        contentTypes("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
      ],
      ["word/document.xml", "<w:document/>"],
    ]);
    const xlsx = zipOf([
      [
        "[Content_Types].xml",
        contentTypes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
      ],
      ["xl/workbook.xml", "<workbook/>"],
    ]);
    const docm = zipOf([
      ["[Content_Types].xml", contentTypes("application/vnd.ms-word.document.macroEnabled.main+xml")],
      ["word/document.xml", "<w:document/>"],
    ]);
    const zip = zipOf([["readme.txt", "hello"]]);
    expect((await upload(docx, "spec.docx")).mediaType).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect((await upload(xlsx, "boq.xlsx")).mediaType).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    await expect(upload(docm, "spec.docx")).rejects.toMatchObject({ code: "FILE_TYPE_NOT_ALLOWED" });
    await expect(upload(zip, "spec.docx")).rejects.toMatchObject({ code: "FILE_TYPE_NOT_ALLOWED" });
  });
});
