import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { unwrapDataKey } from "#app/modules/bids/envelope.server.ts";
import type { BidMasterKey } from "#app/modules/bids/master-key.server.ts";
import {
  checkBidDocuments,
  type DocumentUpload,
  openSealedDocument,
  storeSealedDocuments,
} from "#app/modules/bids/seal-bid-documents.server.ts";
import type { FileStore } from "#app/modules/files/file-store.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import {
  bids,
  DEFAULT_CORRECTION_HOURS,
  type DocumentCorrection,
  documentCorrections,
  MAX_CORRECTION_HOURS,
  storedFiles,
  tenderEvaluations,
  tenders,
} from "#db/schema/index.ts";
import {
  assertInProgress,
  auditEvaluation,
  chairOrOfficerContext,
  maySeeBidContent,
} from "./evaluation-access.server.ts";

/**
 * "Correct your documents": the committee's chair (or the officer) asks a
 * bidder to send a corrected document for a FORMAL defect, within a window
 * (default 24 hours, 1..240 per request). The bidder answers with a document
 * only — a correction has no price field, so it cannot change the bid's price.
 *
 * The corrected document is SEALED like the bid's own documents (with the
 * tender's data key, under an opaque name, described only in the correction
 * row): it is read through the same rule as bid content (officers, and
 * committee members cleared of conflicts), and the file store holds ciphertext
 * only. The window is the database's: the answer is accepted by a conditional
 * update at now() <= due_at, and a CHECK refuses a late one whatever the code.
 */

export async function requestCorrection(
  input: {
    actor: Actor;
    tenderId: string;
    bidId: string;
    defect: string;
    windowHours?: string | number | null;
    ip?: string | null;
  },
  db: Db,
): Promise<DocumentCorrection> {
  const defect = input.defect.trim().slice(0, 2000);
  if (defect.length < 3) throw new AppError("REASON_REQUIRED", {}, { field: "defect" });
  const raw =
    input.windowHours == null || input.windowHours === "" ? DEFAULT_CORRECTION_HOURS : input.windowHours;
  const hours = Number(String(raw).trim());
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_CORRECTION_HOURS)
    throw new AppError("CORRECTION_WINDOW_INVALID", { max: MAX_CORRECTION_HOURS }, { field: "windowHours" });
  return db.transaction(async (tx) => {
    const context = await chairOrOfficerContext(input.actor, input.tenderId, tx, {
      officerToo: true,
      lock: "share",
    });
    assertInProgress(context.evaluation);
    const entry = context.record.find((e) => e.bidId === input.bidId);
    if (!entry) throw new AppError("NOT_FOUND");
    const [row] = await tx
      .insert(documentCorrections)
      .values({
        tenderId: context.tender.id,
        bidId: entry.bidId,
        businessId: entry.businessId,
        defect,
        windowHours: hours,
        requestedBy: context.userId,
        dueAt: sql`now() + make_interval(hours => ${hours})`,
      })
      .returning();
    await auditEvaluation(
      tx,
      context,
      "evaluation.correction_requested",
      context.tender.id,
      { correctionId: row!.id, bidId: entry.bidId, businessId: entry.businessId, hours, by: context.role },
      input.ip,
    );
    return row!;
  });
}

/** The business's correction requests on a tender, newest first (with whether each is still open). */
export async function myCorrections(actor: Actor, tenderId: string, db: Queryable) {
  assertCan(actor, "bid:submit");
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  return db
    .select({
      correction: documentCorrections,
      open: sql<boolean>`${documentCorrections.submittedAt} is null and now() <= ${documentCorrections.dueAt}`,
    })
    .from(documentCorrections)
    .where(
      and(
        eq(documentCorrections.tenderId, tenderId),
        eq(documentCorrections.businessId, actor.membership.organisationId),
      ),
    )
    .orderBy(desc(documentCorrections.requestedAt));
}

/** The bidder sends the corrected document, within the window (the database clock decides). */
export async function submitCorrection(
  input: { actor: Actor; correctionId: string; upload: DocumentUpload; ip?: string | null },
  deps: { db: Db; master: BidMasterKey; files: FileStore; maxBytes: number },
): Promise<DocumentCorrection> {
  const { actor } = input;
  assertCan(actor, "bid:submit");
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  const businessId = actor.membership.organisationId;
  const correction = await deps.db.query.documentCorrections.findFirst({
    where: and(
      eq(documentCorrections.id, input.correctionId),
      eq(documentCorrections.businessId, businessId),
    ),
  });
  if (!correction) throw new AppError("NOT_FOUND");
  if (correction.submittedAt) throw new AppError("CORRECTION_ALREADY_SENT");
  const evaluation = await deps.db.query.tenderEvaluations.findFirst({
    where: eq(tenderEvaluations.tenderId, correction.tenderId),
  });
  if (evaluation?.status !== "in_progress") throw new AppError("EVALUATION_CLOSED");
  const tender = (await deps.db.query.tenders.findFirst({ where: eq(tenders.id, correction.tenderId) }))!;
  const [checked] = await checkBidDocuments([input.upload], deps.maxBytes);
  // Sealed and stored unattached first; the acceptance below attaches it, or the prune job removes it.
  const [ref] = await storeSealedDocuments(
    {
      tenderId: tender.id,
      businessId,
      dataKey: unwrapDataKey(deps.master, tender.dataKeyWrapped!, tender.id),
      documents: [checked!],
    },
    deps,
  );
  return deps.db.transaction(async (tx) => {
    const [accepted] = await tx
      .update(documentCorrections)
      .set({
        fileId: ref!.fileId,
        docId: ref!.docId,
        name: ref!.name,
        mediaType: ref!.mediaType,
        size: ref!.size,
        sha256: ref!.sha256,
        submittedBy: actor.userId,
        submittedAt: sql`now()`,
      })
      .where(
        and(
          eq(documentCorrections.id, correction.id),
          sql`${documentCorrections.submittedAt} is null`,
          sql`now() <= ${documentCorrections.dueAt}`,
        ),
      )
      .returning();
    if (!accepted) {
      const [late] = (await tx.execute(
        sql`select submitted_at is null as unanswered from document_corrections where id = ${correction.id}`,
      )) as unknown as [{ unanswered: boolean }];
      throw new AppError(late?.unanswered ? "CORRECTION_WINDOW_CLOSED" : "CORRECTION_ALREADY_SENT");
    }
    await tx.update(storedFiles).set({ attachedAt: sql`now()` }).where(eq(storedFiles.id, ref!.fileId));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: businessId,
      action: "evaluation.correction_submitted",
      objectType: "tender",
      objectId: tender.id,
      ip: input.ip ?? null,
      details: { correctionId: correction.id, bidId: correction.bidId, sha256: ref!.sha256, size: ref!.size },
    });
    return accepted;
  });
}

/** A refused attempt to read a correction (sealed like a bid document) is kept in the audit trail. */
async function refuse(
  db: Db,
  actor: Actor,
  correction: DocumentCorrection,
  ip?: string | null,
): Promise<never> {
  await db.transaction((tx) =>
    recordAudit(tx, {
      actorUserId: actor.type === "user" ? actor.userId : null,
      organisationId: actor.type === "user" ? (actor.membership?.organisationId ?? null) : null,
      action: "evaluation.correction_read_refused",
      objectType: "tender",
      objectId: correction.tenderId,
      ip: ip ?? null,
      details: { correctionId: correction.id },
    }),
  );
  throw new AppError("FORBIDDEN");
}

/** The corrected document, for the agency's officers and cleared committee members (as bid content). */
export async function readCorrectionDocument(
  input: { actor: Actor; correctionId: string; ip?: string | null },
  deps: { db: Db; master: BidMasterKey; files: FileStore },
): Promise<{ name: string; mediaType: string; bytes: Buffer; sha256: string }> {
  const { actor } = input;
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const correction = await deps.db.query.documentCorrections.findFirst({
    where: eq(documentCorrections.id, input.correctionId),
  });
  if (!correction?.fileId || !correction.docId) throw new AppError("NOT_FOUND");
  const tender = (await deps.db.query.tenders.findFirst({ where: eq(tenders.id, correction.tenderId) }))!;
  if (!(await maySeeBidContent(deps.db, actor, tender))) return refuse(deps.db, actor, correction, input.ip);
  const bytes = await openSealedDocument(
    {
      tenderId: tender.id,
      businessId: correction.businessId,
      ref: {
        docId: correction.docId,
        fileId: correction.fileId,
        name: correction.name!,
        mediaType: correction.mediaType!,
        size: correction.size!,
        sha256: correction.sha256!,
      },
      dataKey: unwrapDataKey(deps.master, tender.dataKeyWrapped!, tender.id),
    },
    deps,
  );
  return { name: correction.name!, mediaType: correction.mediaType!, bytes, sha256: correction.sha256! };
}

/** The corrections of a tender, for the committee's pages (descriptions only). */
export async function correctionsOf(tenderId: string, db: Queryable) {
  return db
    .select({
      correction: documentCorrections,
      open: sql<boolean>`${documentCorrections.submittedAt} is null and now() <= ${documentCorrections.dueAt}`,
    })
    .from(documentCorrections)
    .innerJoin(bids, eq(bids.id, documentCorrections.bidId))
    .where(eq(documentCorrections.tenderId, tenderId))
    .orderBy(asc(documentCorrections.requestedAt));
}
