import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { TenderDocumentView } from "#app/components/tender-documents.tsx";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan, can } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { extensionOfMediaType, formatBytes, labelOfMediaType } from "#app/modules/files/media-types.ts";
import { AppError } from "#app/utils/errors.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import {
  organisations,
  type StoredFile,
  storedFiles,
  type Tender,
  type TenderDocument,
  tenderDocuments,
  tenders,
} from "#db/schema/index.ts";

/**
 * Tender documents (conditions, specifications, bills of quantities): uploaded
 * by a procurement officer of the tender's agency, versioned by title (a new
 * upload with the same title is the next version; every version is kept) and
 * shown with the SHA-256 of their bytes, so anyone can check a download.
 * Documents of a published, opened or cancelled tender are public; those of a
 * draft or a tender awaiting approval are seen only by the agency's officers.
 */

export const TITLE_MIN = 2;
export const TITLE_MAX = 200;

/** Tenders whose documents the public may read. */
const PUBLIC_STATUSES = ["published", "opened", "cancelled"] as const;

/** One title, one way of writing it: "Bill  of quantities " and "Bill of quantities" are the same document. */
export function normaliseDocumentTitle(title: string): string {
  return title.normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * Whether documents may be added now, by the database clock: while the tender
 * is a draft or awaits approval, and once published until its submission
 * deadline (after it, bidders could no longer act on a change).
 */
const acceptingDocuments = sql<boolean>`(${tenders.status} in ('draft', 'awaiting_approval') or (${tenders.status} = 'published' and coalesce(now() < ${tenders.submissionDeadline}, false)))`;

/** The acting procurement officer's agency (checked in the database, like tender authoring). */
async function officerOf(actor: Actor, db: Queryable): Promise<{ agencyId: string; userId: string }> {
  assertCan(actor, "tender:draft");
  const agency = await db.query.organisations.findFirst({
    where: eq(organisations.id, actor.membership!.organisationId),
  });
  if (agency?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { agencyId: agency.id, userId: actor.userId };
}

/**
 * Attach an uploaded file (from readMultipartForm) to a tender as the next
 * version of the document with this title. The tender row is locked for the
 * change, so two uploads of the same title get versions 1 and 2, and the
 * status and deadline checked are the ones the document is committed under.
 */
export async function addTenderDocument(
  input: { actor: Actor; tenderId: string; title: string; file: StoredFile; ip?: string | null },
  db: Db,
): Promise<TenderDocument> {
  const officer = await officerOf(input.actor, db);
  const title = normaliseDocumentTitle(input.title);
  if (title.length < TITLE_MIN || title.length > TITLE_MAX)
    throw new AppError("VALIDATION", { min: TITLE_MIN, max: TITLE_MAX }, { field: "title" });
  return db.transaction(async (tx) => {
    const [tender] = await tx
      .select({ id: tenders.id, status: tenders.status, accepting: acceptingDocuments })
      .from(tenders)
      .where(and(eq(tenders.id, input.tenderId), eq(tenders.agencyId, officer.agencyId)))
      .for("update");
    if (!tender) throw new AppError("NOT_FOUND");
    if (!tender.accepting) throw new AppError("TENDER_DOCUMENTS_CLOSED", {}, { field: "file" });
    // Only a file not yet attached to anything may be attached (so never another object's file).
    const [file] = await tx
      .update(storedFiles)
      .set({ attachedAt: sql`now()` })
      .where(and(eq(storedFiles.id, input.file.id), isNull(storedFiles.attachedAt)))
      .returning({ id: storedFiles.id, sha256: storedFiles.sha256 });
    if (!file) throw new AppError("VALIDATION", {}, { field: "file" });
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${tenderDocuments.version}), 0) + 1` })
      .from(tenderDocuments)
      .where(and(eq(tenderDocuments.tenderId, tender.id), eq(tenderDocuments.title, title)));
    const [document] = await tx
      .insert(tenderDocuments)
      .values({
        tenderId: tender.id,
        fileId: file.id,
        title,
        version: Number(next),
        sha256: file.sha256,
        uploadedBy: officer.userId,
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: officer.userId,
      organisationId: officer.agencyId,
      action: "tender.document_added",
      objectType: "tender",
      objectId: tender.id,
      ip: input.ip ?? null,
      details: {
        documentId: document!.id,
        title,
        version: document!.version,
        sha256: file.sha256,
        fileId: file.id,
        status: tender.status,
        // A change bidders may already rely on: the amendments feature picks these up.
        afterPublication: tender.status === "published",
      },
    });
    return document!;
  });
}

export interface TenderDocumentRow {
  id: string;
  tenderId: string;
  title: string;
  version: number;
  /** Whether this is the latest version of its title. */
  current: boolean;
  sha256: string;
  createdAt: Date;
  fileName: string;
  sizeBytes: bigint;
  mediaType: string;
  /** The tender's time zone, for showing dates. */
  timeZone: string;
}

/** Documents with their files; titles in the order they were first uploaded, newest version first. */
function documentRows(where: SQL | undefined, db: Queryable): Promise<TenderDocumentRow[]> {
  return db
    .select({
      id: tenderDocuments.id,
      tenderId: tenderDocuments.tenderId,
      title: tenderDocuments.title,
      version: tenderDocuments.version,
      current: sql<boolean>`${tenderDocuments.version} = max(${tenderDocuments.version}) over (partition by ${tenderDocuments.title})`,
      sha256: tenderDocuments.sha256,
      createdAt: tenderDocuments.createdAt,
      fileName: storedFiles.originalName,
      sizeBytes: storedFiles.sizeBytes,
      mediaType: storedFiles.mediaType,
      timeZone: tenders.timeZone,
    })
    .from(tenderDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, tenderDocuments.fileId))
    .innerJoin(tenders, eq(tenders.id, tenderDocuments.tenderId))
    .where(where)
    .orderBy(
      sql`min(${tenderDocuments.createdAt}) over (partition by ${tenderDocuments.title})`,
      tenderDocuments.title,
      desc(tenderDocuments.version),
    );
}

/** Every version of every document of a tender (no access check: callers check who is asking). */
export function listTenderDocuments(tenderId: string, db: Queryable): Promise<TenderDocumentRow[]> {
  return documentRows(eq(tenderDocuments.tenderId, tenderId), db);
}

/**
 * The latest version of each document, for the public tender page; nothing
 * for a tender the public may not see (a draft or one awaiting approval).
 */
export async function currentDocuments(tenderId: string, db: Queryable): Promise<TenderDocumentRow[]> {
  const rows = await documentRows(
    and(eq(tenderDocuments.tenderId, tenderId), inArray(tenders.status, [...PUBLIC_STATUSES])),
    db,
  );
  return rows.filter((r) => r.current);
}

/** The officers' documents page: the agency's own tender, every version, and whether uploads are open now. */
export async function tenderDocumentsForOfficer(
  actor: Actor,
  tenderId: string,
  db: Queryable,
): Promise<{ tender: Tender; canAdd: boolean; documents: TenderDocumentRow[] }> {
  const officer = await officerOf(actor, db);
  const [found] = await db
    .select({ tender: tenders, canAdd: acceptingDocuments })
    .from(tenders)
    .where(and(eq(tenders.id, tenderId), eq(tenders.agencyId, officer.agencyId)));
  if (!found) throw new AppError("NOT_FOUND");
  return { ...found, documents: await listTenderDocuments(tenderId, db) };
}

/**
 * A file name safe to offer in Content-Disposition: the uploaded name without
 * folders, control or bidirectional-override characters, quotes or characters
 * that file systems refuse, ending in the extension of the type detected from
 * its bytes (so "report.exe" that is really a PDF downloads as "report.exe.pdf").
 */
export function downloadFileName(originalName: string, mediaType: string): string {
  const base =
    originalName
      .normalize("NFC")
      .split(/[/\\]/)
      .pop()!
      .replace(/[\p{Cc}\p{Cf}"*:<>?|]/gu, "")
      .replace(/\s+/g, " ")
      .replace(/^[\s.]+|[\s.]+$/g, "")
      .slice(0, 150) || "document";
  const ext = extensionOfMediaType(mediaType);
  if (!ext) return base;
  const lower = base.toLowerCase();
  const endings = ext === "jpg" ? [".jpg", ".jpeg"] : [`.${ext}`];
  return endings.some((e) => lower.endsWith(e)) ? base : `${base}.${ext}`;
}

export interface TenderDocumentDownload {
  storageKey: string;
  mediaType: string;
  sizeBytes: bigint;
  sha256: string;
  fileName: string;
  /** Public (the tender is published, opened or cancelled): shared caches may keep it. */
  isPublic: boolean;
}

/**
 * What the download route needs. Anyone may download a document of a public
 * tender; a draft's (or one awaiting approval) only its agency's procurement
 * officers. Everyone else, and a document of another tender, is NOT_FOUND.
 */
export async function tenderDocumentFile(
  input: { actor: Actor; tenderId: string; documentId: string },
  db: Queryable,
): Promise<TenderDocumentDownload> {
  const [row] = await db
    .select({
      storageKey: storedFiles.storageKey,
      mediaType: storedFiles.mediaType,
      sizeBytes: storedFiles.sizeBytes,
      sha256: tenderDocuments.sha256,
      originalName: storedFiles.originalName,
      status: tenders.status,
      agencyId: tenders.agencyId,
    })
    .from(tenderDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, tenderDocuments.fileId))
    .innerJoin(tenders, eq(tenders.id, tenderDocuments.tenderId))
    .where(and(eq(tenderDocuments.id, input.documentId), eq(tenderDocuments.tenderId, input.tenderId)));
  if (!row) throw new AppError("NOT_FOUND");
  const isPublic = PUBLIC_STATUSES.includes(row.status as never);
  if (!isPublic) {
    const actor = input.actor;
    const ownOfficer =
      actor.type === "user" &&
      actor.membership?.kind === "agency" &&
      actor.membership.organisationId === row.agencyId &&
      can(actor, "tender:draft");
    if (!ownOfficer) throw new AppError("NOT_FOUND");
  }
  return {
    storageKey: row.storageKey,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    fileName: downloadFileName(row.originalName, row.mediaType),
    isPublic,
  };
}

/** Documents as pages show them: strings only, sizes and dates formatted (the tender's time zone). */
export function tenderDocumentsView(rows: TenderDocumentRow[]): TenderDocumentView[] {
  return rows.map((r) => ({
    id: r.id,
    href: `/tenders/${r.tenderId}/documents/${r.id}`,
    title: r.title,
    version: r.version,
    current: r.current,
    fileName: r.fileName,
    type: labelOfMediaType(r.mediaType),
    size: formatBytes(Number(r.sizeBytes)),
    uploadedAt: formatInZone(r.createdAt, r.timeZone),
    sha256: r.sha256,
  }));
}
