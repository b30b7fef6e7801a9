import { Readable } from "node:stream";
import busboy from "busboy";
import { inArray } from "drizzle-orm";
import type { FileStore } from "#app/modules/files/file-store.server.ts";
import { saveUpload } from "#app/modules/files/save-upload.server.ts";
import type { Queryable } from "#db/client.server.ts";
import { type StoredFile, storedFiles } from "#db/schema/index.ts";
import { AppError } from "./errors.ts";

export interface UploadRules {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Media types accepted, as detected from the bytes. */
  accept: readonly string[];
  /** At most this many files in one request. */
  maxFiles?: number;
}

export interface MultipartForm {
  fields: Map<string, string>;
  files: Map<string, StoredFile[]>;
}

/**
 * Read a multipart form, streaming each file straight into the file store as
 * it arrives (busboy; never a whole file in memory). A refused file (type,
 * size, too many) undoes the files this request already stored, so a failed
 * form leaves nothing behind.
 */
export async function readMultipartForm(
  request: Request,
  rules: UploadRules,
  deps: { db: Queryable; files: FileStore },
): Promise<MultipartForm> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data") || !request.body) throw new AppError("VALIDATION");
  const fields = new Map<string, string>();
  const files = new Map<string, StoredFile[]>();
  const saved: StoredFile[] = [];
  const maxFiles = rules.maxFiles ?? 10;

  try {
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: { "content-type": contentType },
          limits: { files: maxFiles, fields: 100, fieldSize: 100_000 },
          // Browsers send file names as UTF-8 (busboy's default reads them as Latin-1: Arabic names garbled).
          defParamCharset: "utf8",
        });
      } catch {
        reject(new AppError("VALIDATION"));
        return;
      }
      let pending: Promise<void> = Promise.resolve();
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      parser.on("field", (name, value) => fields.set(name, value));
      parser.on("file", (field, stream, info) => {
        // Files are stored one after another, in the order they arrive.
        pending = pending.then(async () => {
          if (failed) return void stream.resume();
          if (!info.filename) return void stream.resume(); // an empty file input
          const file = await saveUpload(
            { body: stream, originalName: info.filename, maxBytes: rules.maxBytes, accept: rules.accept },
            deps,
          );
          saved.push(file);
          files.set(field, [...(files.get(field) ?? []), file]);
        });
        pending.catch((e) => {
          stream.resume();
          fail(e);
        });
      });
      parser.on("filesLimit", () => fail(new AppError("VALIDATION")));
      parser.on("error", () => fail(new AppError("VALIDATION")));
      parser.on("close", () => {
        pending.then(() => !failed && resolve(), fail);
      });
      Readable.fromWeb(request.body as never).pipe(parser);
    });
    return { fields, files };
  } catch (e) {
    await Promise.all(saved.map((f) => deps.files.delete(f.storageKey).catch(() => {})));
    if (saved.length)
      await deps.db.delete(storedFiles).where(
        inArray(
          storedFiles.id,
          saved.map((f) => f.id),
        ),
      );
    throw e;
  }
}

/** Remove files uploaded by a form whose other input was then refused. */
export async function discardUploads(
  form: MultipartForm,
  deps: { db: Queryable; files: FileStore },
): Promise<void> {
  const all = [...form.files.values()].flat();
  await Promise.all(all.map((f) => deps.files.delete(f.storageKey).catch(() => {})));
  if (all.length)
    await deps.db.delete(storedFiles).where(
      inArray(
        storedFiles.id,
        all.map((f) => f.id),
      ),
    );
}

/**
 * A small form (such as a bank statement) read whole into memory, refused
 * with FILE_TOO_LARGE as soon as it passes `maxBytes`, whatever the
 * Content-Length header claims. For documents that are kept, use readMultipartForm.
 */
export async function readSmallForm(request: Request, maxBytes: number): Promise<FormData> {
  if (!request.body) throw new AppError("VALIDATION");
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AppError(
        "FILE_TOO_LARGE",
        { limit: `${Math.round(maxBytes / 1_000_000)} MB` },
        { field: "file" },
      );
    }
    chunks.push(value);
  }
  try {
    return await new Response(Buffer.concat(chunks), {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    throw new AppError("VALIDATION", {}, { field: "file" });
  }
}
