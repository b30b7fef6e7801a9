import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import {
  bidQualifications,
  documentCorrections,
  organisations,
  permitApplications,
  permits,
  permitTypes,
  storedFiles,
} from "#db/schema/index.ts";
import { clearedCommittee, qualifyAll, scoreAndSubmit } from "#tests/factories/evaluations.ts";
import { pdfBytes } from "#tests/factories/files.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { agencyWithStaff, bidderBusiness, openedTender } from "#tests/factories/tenders.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { previewEvaluation } from "./close-evaluation.server.ts";
import {
  myCorrections,
  readCorrectionDocument,
  requestCorrection,
  submitCorrection,
} from "./document-corrections.server.ts";
import { recordQualification } from "./qualify-bid.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-corrections-"));
const files = new LocalDiskStore(root);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A permit type of the agency and a valid permit of it for each business (so they may bid). */
async function permitsFor(agencyId: string, issuedBy: string, holders: string[]) {
  const code = `works-class-${randomBytes(3).toString("hex")}`;
  const [type] = await db
    .insert(permitTypes)
    .values({
      agencyId,
      code,
      nameAr: "تصنيف المقاولين",
      nameEn: "Contractor classification",
      serviceLevelDays: 10,
      validityMonths: 12,
    })
    .returning();
  const issued = [];
  for (const holderId of holders) {
    const [application] = await db
      .insert(permitApplications)
      .values({
        reference: `APP-T-${randomBytes(4).toString("hex")}`,
        permitTypeId: type!.id,
        businessId: holderId,
        createdBy: issuedBy,
        status: "issued",
      })
      .returning();
    const [permit] = await db
      .insert(permits)
      .values({
        number: `WC-${randomBytes(4).toString("hex")}`,
        permitTypeId: type!.id,
        holderId,
        applicationId: application!.id,
        validFrom: "2026-01-01",
        validUntil: "2099-12-31",
        expiresAt: new Date("2100-01-01T00:00:00Z"),
        issuedBy,
      })
      .returning();
    issued.push(permit!);
  }
  return { code, permits: issued };
}

describe("qualification of bids", () => {
  test("the chair records pass/fail per criterion; business verification and the tender's required permit are checked automatically, by the database clock", async () => {
    const staff = await agencyWithStaff(db);
    const businesses = [await bidderBusiness(db), await bidderBusiness(db), await bidderBusiness(db)];
    const { code, permits: held } = await permitsFor(
      staff.agency.id,
      staff.officer.userId,
      businesses.map((b) => b.business.id),
    );
    const t = await openedTender(db, keys, { staff, businesses, form: { requiredPermitType: code } });
    const { chair, members } = await clearedCommittee(db, t);
    // After the bids: the second bidder's permit is suspended, the third's expired; the first stays valid.
    await db.execute(
      sql`update permits set status = 'suspended', status_reason = 'Inspection failed' where id = ${held[1]!.id}`,
    );
    await db.execute(
      sql`update permits set expires_at = now() - interval '1 second' where id = ${held[2]!.id}`,
    );

    const [b1, b2, b3] = t.bidders as [(typeof t.bidders)[0], (typeof t.bidders)[0], (typeof t.bidders)[0]];
    // Every pass/fail criterion needs a decision; only the tender's criteria; not a plain member.
    await expect(
      recordQualification({ actor: chair, tenderId: t.tender.id, bidId: b1.bidId, checks: {} }, db),
    ).rejects.toMatchObject({ code: "QUALIFICATION_INCOMPLETE", status: 400, field: "check-c1" });
    await expect(
      recordQualification(
        { actor: chair, tenderId: t.tender.id, bidId: b1.bidId, checks: { c1: true, c9: true } },
        db,
      ),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(
      recordQualification(
        { actor: members[1]!, tenderId: t.tender.id, bidId: b1.bidId, checks: { c1: true } },
        db,
      ),
    ).rejects.toMatchObject({ code: "CHAIR_REQUIRED", status: 403 });

    for (const b of [b1, b2])
      await recordQualification(
        { actor: chair, tenderId: t.tender.id, bidId: b.bidId, checks: { c1: true } },
        db,
      );
    // The officer may record it too.
    await recordQualification(
      { actor: t.officer, tenderId: t.tender.id, bidId: b3.bidId, checks: { c1: true } },
      db,
    );
    const rows = new Map(
      (await db.select().from(bidQualifications).where(eq(bidQualifications.tenderId, t.tender.id))).map(
        (q) => [q.bidId, q],
      ),
    );
    expect(rows.get(b1.bidId)).toMatchObject({
      businessVerified: true,
      permitType: code,
      permitValid: true,
      permitId: held[0]!.id,
    });
    expect(rows.get(b2.bidId)).toMatchObject({ permitValid: false, permitId: null });
    expect(rows.get(b3.bidId)).toMatchObject({ permitValid: false });

    const preview = await previewEvaluation(
      db,
      t.tender,
      (await db.query.tenderEvaluations.findFirst({ where: (e, { eq }) => eq(e.tenderId, t.tender.id) }))!,
      (await db.query.tenderOpenings.findFirst({ where: (o, { eq }) => eq(o.tenderId, t.tender.id) }))!
        .record!,
    );
    const lot = preview.lots[0]!.input;
    expect(lot.bids.find((b) => b.bidId === b1.bidId)?.disqualification).toBeNull();
    expect(lot.bids.find((b) => b.bidId === b2.bidId)?.disqualification).toBe("auto:permit_not_valid");

    // A business that is no longer verified is disqualified the same way; a reason alone disqualifies too.
    await db
      .update(organisations)
      .set({ verification: "pending" })
      .where(eq(organisations.id, b1.business.id));
    await recordQualification(
      { actor: chair, tenderId: t.tender.id, bidId: b1.bidId, checks: { c1: true } },
      db,
    );
    expect(
      (await db.query.bidQualifications.findFirst({ where: eq(bidQualifications.bidId, b1.bidId) }))
        ?.businessVerified,
    ).toBe(false);
    await recordQualification(
      {
        actor: chair,
        tenderId: t.tender.id,
        bidId: b3.bidId,
        checks: {},
        disqualificationReason: "Bid security missing",
      },
      db,
    );
    expect(
      (await db.query.bidQualifications.findFirst({ where: eq(bidQualifications.bidId, b3.bidId) }))
        ?.disqualificationReason,
    ).toBe("Bid security missing");
  });

  test("qualification is settled once a member has submitted scores", async () => {
    const t = await openedTender(db, keys);
    const { chair } = await clearedCommittee(db, t);
    await qualifyAll(db, t, chair);
    await scoreAndSubmit(db, t, chair, () => "50");
    await expect(qualifyAll(db, t, chair)).rejects.toMatchObject({ code: "QUALIFICATION_LOCKED" });
  });
});

describe("correct your documents", () => {
  test("the bidder sends a corrected document within the window; it is sealed, read by the committee, and cannot be sent twice", async () => {
    const t = await openedTender(db, keys);
    const { chair, members } = await clearedCommittee(db, t);
    const [b1, b2] = t.bidders as [(typeof t.bidders)[0], (typeof t.bidders)[0]];
    for (const bad of ["0", "241", "2.5", "x"])
      await expect(
        requestCorrection(
          { actor: chair, tenderId: t.tender.id, bidId: b1.bidId, defect: "Unsigned form", windowHours: bad },
          db,
        ),
      ).rejects.toMatchObject({ code: "CORRECTION_WINDOW_INVALID", status: 400 });
    const request = await requestCorrection(
      { actor: chair, tenderId: t.tender.id, bidId: b1.bidId, defect: "The company certificate is unsigned" },
      db,
    );
    expect(request.windowHours).toBe(24);
    expect(request.dueAt.getTime() - request.requestedAt.getTime()).toBe(24 * 3600_000);
    expect(await myCorrections(b1.actor, t.tender.id, db)).toEqual([expect.objectContaining({ open: true })]);
    expect(await myCorrections(b2.actor, t.tender.id, db)).toEqual([]);

    const upload = { name: "certificate-signed.pdf", bytes: pdfBytes(10) };
    const fileDeps = { db, master: keys.master, files, maxBytes: 1_000_000 };
    // Another business cannot answer it.
    await expect(
      submitCorrection({ actor: b2.actor, correctionId: request.id, upload }, fileDeps),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const answered = await submitCorrection({ actor: b1.actor, correctionId: request.id, upload }, fileDeps);
    expect(answered).toMatchObject({ name: "certificate-signed.pdf", mediaType: "application/pdf" });
    await expect(
      submitCorrection({ actor: b1.actor, correctionId: request.id, upload }, fileDeps),
    ).rejects.toMatchObject({ code: "CORRECTION_ALREADY_SENT" });
    // Sealed in the file store; read back by a cleared member; refused to a business.
    const stored = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const f of stored)
      expect(fs.readFileSync(path.join(f.parentPath, f.name)).includes(Buffer.from("%PDF"))).toBe(false);
    const doc = await readCorrectionDocument(
      { actor: members[1]!, correctionId: request.id },
      { db, master: keys.master, files },
    );
    expect(doc.bytes.equals(upload.bytes)).toBe(true);
    await expect(
      readCorrectionDocument(
        { actor: b2.actor, correctionId: request.id },
        { db, master: keys.master, files },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("a correction after the window is refused by the database clock, and the database refuses one stored late", async () => {
    const t = await openedTender(db, keys);
    const { chair } = await clearedCommittee(db, t);
    const b1 = t.bidders[0]!;
    const request = await requestCorrection(
      {
        actor: t.officer,
        tenderId: t.tender.id,
        bidId: b1.bidId,
        defect: "Page 3 of the form is missing",
        windowHours: "2",
      },
      db,
    );
    expect(request.windowHours).toBe(2);
    // The window closed a moment ago.
    await db.execute(
      sql`update document_corrections set due_at = now() - interval '1 millisecond' where id = ${request.id}`,
    );
    await expect(
      submitCorrection(
        { actor: b1.actor, correctionId: request.id, upload: { name: "form.pdf", bytes: pdfBytes() } },
        { db, master: keys.master, files, maxBytes: 1_000_000 },
      ),
    ).rejects.toMatchObject({ code: "CORRECTION_WINDOW_CLOSED", status: 409 });
    const row = await db.query.documentCorrections.findFirst({
      where: eq(documentCorrections.id, request.id),
    });
    expect(row).toMatchObject({ submittedAt: null, fileId: null });
    expect(await myCorrections(b1.actor, t.tender.id, db)).toEqual([
      expect.objectContaining({ open: false }),
    ]);
    const [file] = await db
      .insert(storedFiles)
      .values({
        storageKey: `test/${randomBytes(6).toString("hex")}`,
        originalName: "sealed",
        mediaType: "application/octet-stream",
        sizeBytes: 1n,
        sha256: "0".repeat(64),
      })
      .returning();
    const late = await db
      .execute(
        sql`update document_corrections set submitted_at = now(), file_id = ${file!.id}, doc_id = gen_random_uuid() where id = ${request.id}`,
      )
      .catch((e: unknown) => e);
    expect(postgresErrorOf(late)).toMatchObject({
      code: "23514",
      constraint: "document_corrections_in_time",
    });
    // The chair of the committee may ask too (the officer did here).
    expect(
      (
        await requestCorrection(
          { actor: chair, tenderId: t.tender.id, bidId: b1.bidId, defect: "Stamp missing" },
          db,
        )
      ).requestedBy,
    ).toBe(chair.userId);
  });
});
