import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { storedFiles } from "#db/schema/index.ts";
import { chunked, pdfBytes } from "#tests/factories/files.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { FileNotFound, LocalDiskStore } from "./file-store.server.ts";
import { DOCUMENT_TYPES } from "./media-types.ts";
import { pruneUnattachedFiles } from "./prune-unattached-files.server.ts";
import { saveUpload } from "./save-upload.server.ts";

test("uploads never attached are removed after a day; attached and recent ones stay", async () => {
  const { db } = testDatabase();
  const files = new LocalDiskStore(await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-prune-")));
  const upload = (name: string) =>
    saveUpload(
      { body: chunked(pdfBytes()), originalName: name, maxBytes: 100_000, accept: DOCUMENT_TYPES },
      { db, files },
    );
  const abandoned = await upload("abandoned.pdf");
  const attached = await upload("attached.pdf");
  const recent = await upload("recent.pdf");
  await db
    .update(storedFiles)
    .set({ uploadedAt: sql`now() - interval '25 hours'` })
    .where(sql`${storedFiles.id} in (${abandoned.id}, ${attached.id})`);
  await db.update(storedFiles).set({ attachedAt: sql`now()` }).where(eq(storedFiles.id, attached.id));

  expect(await pruneUnattachedFiles({ batchSize: 1 }, { db, files })).toEqual({ removed: 1 });

  const left = (await db.select({ name: storedFiles.originalName }).from(storedFiles))
    .map((r) => r.name)
    .sort();
  expect(left).toEqual(["attached.pdf", "recent.pdf"]);
  await expect(files.get(abandoned.storageKey)).rejects.toBeInstanceOf(FileNotFound);
  await expect(files.get(recent.storageKey)).resolves.toBeDefined();
});
