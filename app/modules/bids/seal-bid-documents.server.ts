import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { fileTypeFromBuffer } from "file-type";
import type { FileStore } from "#app/modules/files/file-store.server.ts";
import { formatBytes, labelOfMediaType, TENDER_DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { storedFiles } from "#db/schema/index.ts";
import { digest, open, seal } from "./envelope.server.ts";

/**
 * A bid's documents are sealed like its prices: encrypted with the tender's
 * data key before they reach the file store, under an opaque name, so the file
 * store holds ciphertext only and its metadata says nothing (no name, no type,
 * no hash of the plaintext). What the document is — name, type, size, SHA-256
 * of the plaintext — travels inside the sealed bid content.
 */

export interface SealedDocumentRef {
  docId: string;
  fileId: string;
  name: string;
  mediaType: string;
  size: number;
  /** SHA-256 of the plaintext, for the bidder to check after the opening. */
  sha256: string;
}

export interface DocumentUpload {
  name: string;
  bytes: Buffer;
}

export const MAX_BID_DOCUMENTS = 10;

const documentAad = (tenderId: string, businessId: string, docId: string) =>
  `bid-document:${tenderId}:${businessId}:${docId}`;

/** Check each document (type from its bytes, size) before anything is stored. */
export async function checkBidDocuments(
  uploads: DocumentUpload[],
  maxBytes: number,
): Promise<Array<DocumentUpload & { mediaType: string }>> {
  if (uploads.length > MAX_BID_DOCUMENTS) throw new AppError("VALIDATION", {}, { field: "documents" });
  const checked = [];
  for (const upload of uploads) {
    if (upload.bytes.byteLength === 0) throw new AppError("FILE_EMPTY", {}, { field: "documents" });
    if (upload.bytes.byteLength > maxBytes)
      throw new AppError("FILE_TOO_LARGE", { limit: formatBytes(maxBytes) }, { field: "documents" });
    const type = await fileTypeFromBuffer(upload.bytes);
    if (!type || !(TENDER_DOCUMENT_TYPES as readonly string[]).includes(type.mime))
      throw new AppError(
        "FILE_TYPE_NOT_ALLOWED",
        { allowed: TENDER_DOCUMENT_TYPES.map(labelOfMediaType).join(", ") },
        { field: "documents" },
      );
    checked.push({
      ...upload,
      name: upload.name.replace(/[\\/\p{Cc}\p{Cf}]/gu, "").slice(-200) || "document",
      mediaType: type.mime,
    });
  }
  return checked;
}

/**
 * Seal and store documents, unattached: the submission attaches them in its
 * transaction; if it fails (a late bid), the prune job removes them.
 */
export async function storeSealedDocuments(
  input: {
    tenderId: string;
    businessId: string;
    dataKey: Parameters<typeof seal>[0];
    documents: Array<DocumentUpload & { mediaType: string }>;
  },
  deps: { db: Db; files: FileStore },
): Promise<SealedDocumentRef[]> {
  const refs: SealedDocumentRef[] = [];
  for (const doc of input.documents) {
    const docId = randomUUID();
    const sealed = seal(input.dataKey, doc.bytes, documentAad(input.tenderId, input.businessId, docId));
    const key = `sealed-bids/${input.tenderId}/${docId}`;
    await deps.files.put(key, Readable.from([sealed]), { mediaType: "application/octet-stream" });
    const [row] = await deps.db
      .insert(storedFiles)
      .values({
        storageKey: key,
        originalName: "sealed",
        mediaType: "application/octet-stream",
        sizeBytes: BigInt(sealed.byteLength),
        sha256: digest(sealed),
      })
      .returning();
    refs.push({
      docId,
      fileId: row!.id,
      name: doc.name,
      mediaType: doc.mediaType,
      size: doc.bytes.byteLength,
      sha256: createHash("sha256").update(doc.bytes).digest("hex"),
    });
  }
  return refs;
}

/** After the opening: a document's plaintext, checked against the hash sealed with the bid. */
export async function openSealedDocument(
  input: {
    tenderId: string;
    businessId: string;
    ref: SealedDocumentRef;
    dataKey: Parameters<typeof open>[0];
  },
  deps: { db: Queryable; files: FileStore },
): Promise<Buffer> {
  const row = await deps.db.query.storedFiles.findFirst({ where: (f, { eq }) => eq(f.id, input.ref.fileId) });
  if (!row) throw new AppError("NOT_FOUND");
  const sealed = await buffer(await deps.files.get(row.storageKey));
  const plain = open(input.dataKey, sealed, documentAad(input.tenderId, input.businessId, input.ref.docId));
  if (createHash("sha256").update(plain).digest("hex") !== input.ref.sha256)
    throw new Error("sealed document does not match its hash");
  return plain;
}
