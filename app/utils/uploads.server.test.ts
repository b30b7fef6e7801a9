import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, expect, test } from "vitest";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { storedFiles } from "#db/schema/index.ts";
import { exeBytes, pdfBytes, pngBytes } from "#tests/factories/files.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { readMultipartForm } from "./uploads.server.ts";

const { db } = testDatabase();
let files: LocalDiskStore;
let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-multipart-"));
  files = new LocalDiskStore(root);
  await db.delete(storedFiles);
});

function formRequest(parts: Array<[string, string | { name: string; bytes: Buffer }]>): Request {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value.bytes)]), value.name);
  }
  return new Request("http://localhost/upload", { method: "POST", body: form });
}

test("fields and files arrive together; files are stored with their checks", async () => {
  const request = formRequest([
    ["title", "وثيقة التسجيل"],
    ["document", { name: "cr.pdf", bytes: pdfBytes(5_000) }],
    ["document", { name: "logo.png", bytes: pngBytes() }],
  ]);
  const form = await readMultipartForm(request, { maxBytes: 100_000, accept: DOCUMENT_TYPES }, { db, files });
  expect(form.fields.get("title")).toBe("وثيقة التسجيل");
  expect(form.files.get("document")?.map((f) => [f.originalName, f.mediaType])).toEqual([
    ["cr.pdf", "application/pdf"],
    ["logo.png", "image/png"],
  ]);
  expect(await db.select().from(storedFiles)).toHaveLength(2);
});

test("one bad file undoes the whole form: nothing stored, nothing on disk", async () => {
  const request = formRequest([
    ["document", { name: "ok.pdf", bytes: pdfBytes() }],
    ["document", { name: "virus.pdf", bytes: exeBytes() }],
  ]);
  await expect(
    readMultipartForm(request, { maxBytes: 100_000, accept: DOCUMENT_TYPES }, { db, files }),
  ).rejects.toMatchObject({ code: "FILE_TYPE_NOT_ALLOWED" });
  expect(await db.select().from(storedFiles)).toEqual([]);
  const left = await fs.readdir(root, { recursive: true, withFileTypes: true });
  expect(left.filter((e) => e.isFile())).toEqual([]);
});

test("too many files is refused", async () => {
  const request = formRequest([
    ["a", { name: "1.pdf", bytes: pdfBytes() }],
    ["b", { name: "2.pdf", bytes: pdfBytes() }],
  ]);
  await expect(
    readMultipartForm(request, { maxBytes: 100_000, accept: DOCUMENT_TYPES, maxFiles: 1 }, { db, files }),
  ).rejects.toMatchObject({ code: "VALIDATION" });
  expect(await db.select().from(storedFiles)).toEqual([]);
});

test("a file over the limit is refused while streaming", async () => {
  const request = formRequest([["document", { name: "big.pdf", bytes: pdfBytes(300_000) }]]);
  await expect(
    readMultipartForm(request, { maxBytes: 100_000, accept: DOCUMENT_TYPES }, { db, files }),
  ).rejects.toMatchObject({ code: "FILE_TOO_LARGE", status: 413 });
});

test("a request that is not multipart is a validation error, not a crash", async () => {
  const request = new Request("http://localhost/upload", {
    method: "POST",
    body: "a=1",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  await expect(
    readMultipartForm(request, { maxBytes: 1000, accept: DOCUMENT_TYPES }, { db, files }),
  ).rejects.toMatchObject({ code: "VALIDATION", status: 400 });
});
