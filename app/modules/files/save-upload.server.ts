import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { type StoredFile, storedFiles } from "#db/schema/index.ts";
import type { FileStore } from "./file-store.server.ts";
import { formatBytes, labelOfMediaType } from "./media-types.ts";

/** Enough leading bytes for file-type to recognise every format it knows. */
const SNIFF_BYTES = 4100;

export interface SaveUpload {
  /** The upload as it arrives: never buffered whole. */
  body: AsyncIterable<Uint8Array>;
  originalName: string;
  maxBytes: number;
  /** Media types accepted, as detected from the bytes (e.g. "application/pdf"). */
  accept: readonly string[];
}

async function readHeader(iterator: AsyncIterator<Uint8Array>): Promise<{ header: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) return { header: Buffer.concat(parts), done: true };
    parts.push(Buffer.from(next.value));
    length += next.value.byteLength;
  }
  return { header: Buffer.concat(parts), done: false };
}

/**
 * Store an upload: its type is decided from its bytes (what the browser claims
 * is ignored), its size is counted as it streams and the upload is cut off at
 * the limit, and its SHA-256 is computed on the way. The row is written only
 * once the bytes are safely stored; a refused upload leaves nothing behind.
 */
export async function saveUpload(
  input: SaveUpload,
  deps: { db: Queryable; files: FileStore },
): Promise<StoredFile> {
  const iterator = input.body[Symbol.asyncIterator]();
  const { header, done } = await readHeader(iterator);
  if (header.byteLength === 0) throw new AppError("FILE_EMPTY");
  if (header.byteLength > input.maxBytes)
    throw new AppError("FILE_TOO_LARGE", { limit: formatBytes(input.maxBytes) });

  const detected = await fileTypeFromBuffer(header);
  if (!detected || !input.accept.includes(detected.mime)) {
    await iterator.return?.();
    throw new AppError("FILE_TYPE_NOT_ALLOWED", { allowed: input.accept.map(labelOfMediaType).join(", ") });
  }

  const hash = createHash("sha256");
  let size = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    size = header.byteLength;
    hash.update(header);
    yield header;
    if (done) return;
    while (true) {
      const next = await iterator.next();
      if (next.done) return;
      size += next.value.byteLength;
      if (size > input.maxBytes) {
        await iterator.return?.();
        throw new AppError("FILE_TOO_LARGE", { limit: formatBytes(input.maxBytes) });
      }
      hash.update(next.value);
      yield Buffer.from(next.value);
    }
  }

  const now = new Date();
  const key = `uploads/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${randomUUID()}`;
  try {
    await deps.files.put(key, Readable.from(counted()), { mediaType: detected.mime });
  } catch (e) {
    await deps.files.delete(key).catch(() => {});
    throw e;
  }
  try {
    const [row] = await deps.db
      .insert(storedFiles)
      .values({
        storageKey: key,
        originalName: input.originalName.slice(0, 255) || "upload",
        mediaType: detected.mime,
        sizeBytes: BigInt(size),
        sha256: hash.digest("hex"),
      })
      .returning();
    return row!;
  } catch (e) {
    await deps.files.delete(key).catch(() => {});
    throw e;
  }
}
