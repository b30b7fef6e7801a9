import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { storedFiles } from "#db/schema/index.ts";
import { chunked, exeBytes, pdfBytes, pngBytes } from "#tests/factories/files.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { LocalDiskStore } from "./file-store.server.ts";
import { DOCUMENT_TYPES } from "./media-types.ts";
import { saveUpload } from "./save-upload.server.ts";

let root: string;
let files: LocalDiskStore;
const { db } = testDatabase();

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-files-"));
  files = new LocalDiskStore(root);
  await db.delete(storedFiles);
});

async function filesOnDisk(): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("saving an upload", () => {
  test("a PDF is stored with its detected type, size and SHA-256", async () => {
    const bytes = pdfBytes(20_000);
    const saved = await saveUpload(
      { body: chunked(bytes, 700), originalName: "licence.pdf", maxBytes: 1_000_000, accept: DOCUMENT_TYPES },
      { db, files },
    );
    expect(saved.mediaType).toBe("application/pdf");
    expect(saved.sizeBytes).toBe(BigInt(bytes.length));
    expect(saved.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(saved.storageKey).toMatch(/^uploads\/\d{4}\/\d{2}\/[0-9a-f-]{36}$/);
    expect(await text(await files.get(saved.storageKey))).toBe(bytes.toString("latin1"));
  });

  test("the type comes from the bytes: an executable named .pdf is refused and nothing is kept", async () => {
    await expect(
      saveUpload(
        {
          body: chunked(exeBytes()),
          originalName: "invoice.pdf",
          maxBytes: 1_000_000,
          accept: DOCUMENT_TYPES,
        },
        { db, files },
      ),
    ).rejects.toMatchObject({
      code: "FILE_TYPE_NOT_ALLOWED",
      status: 415,
      params: { allowed: "PDF, PNG, JPEG" },
    });
    expect(await filesOnDisk()).toEqual([]);
    expect(await db.select().from(storedFiles)).toEqual([]);
  });

  test("a file over the limit is cut off while streaming and leaves nothing behind", async () => {
    const bytes = pdfBytes(50_000);
    await expect(
      saveUpload(
        { body: chunked(bytes, 4096), originalName: "big.pdf", maxBytes: 20_000, accept: DOCUMENT_TYPES },
        { db, files },
      ),
    ).rejects.toMatchObject({ code: "FILE_TOO_LARGE", status: 413, params: { limit: "20 KB" } });
    expect(await filesOnDisk()).toEqual([]);
    expect(await db.select().from(storedFiles)).toEqual([]);
  });

  test("an empty upload is refused", async () => {
    await expect(
      saveUpload(
        { body: chunked(Buffer.alloc(0)), originalName: "x.pdf", maxBytes: 10, accept: DOCUMENT_TYPES },
        { db, files },
      ),
    ).rejects.toMatchObject({ code: "FILE_EMPTY", status: 400 });
  });

  test("a type outside the accepted list is refused even if harmless", async () => {
    await expect(
      saveUpload(
        {
          body: chunked(pngBytes()),
          originalName: "logo.png",
          maxBytes: 10_000,
          accept: ["application/pdf"],
        },
        { db, files },
      ),
    ).rejects.toMatchObject({ code: "FILE_TYPE_NOT_ALLOWED" });
    const [row] = await db.select().from(storedFiles).where(eq(storedFiles.originalName, "logo.png"));
    expect(row).toBeUndefined();
  });

  test("storage keys cannot escape the store", async () => {
    await expect(files.get("../etc/passwd")).rejects.toThrow(/unsafe storage key/);
    await expect(files.delete("/abs")).rejects.toThrow(/unsafe storage key/);
  });
});
