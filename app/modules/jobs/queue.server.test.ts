import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, expect, test } from "vitest";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { saveUpload } from "#app/modules/files/save-upload.server.ts";
import { parseEnv } from "#app/utils/env.server.ts";
import { storedFiles } from "#db/schema/index.ts";
import { chunked, pdfBytes } from "#tests/factories/files.ts";
import { testDatabase, testDatabaseUrl } from "#tests/setup/db.ts";
import { JobQueue } from "./queue.server.ts";
import { JOBS, pruneUnattachedFilesJob } from "./registry.server.ts";

const queues: JobQueue[] = [];
afterAll(async () => {
  await Promise.all(queues.map((q) => q.stop(2_000)));
});

test("a job sent by one process is done once by the workers of another, on the same database", async () => {
  const database = testDatabase();
  const files = new LocalDiskStore(await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-jobs-")));
  const log = pino({ level: "silent" });
  const saved = await saveUpload(
    { body: chunked(pdfBytes()), originalName: "old.pdf", maxBytes: 100_000, accept: DOCUMENT_TYPES },
    { db: database.db, files },
  );
  await database.db.update(storedFiles).set({ uploadedAt: sql`now() - interval '2 days'` });

  // A web process that only sends, and a worker process that works.
  const sender = await JobQueue.start(
    testDatabaseUrl,
    JOBS,
    { env: parseEnv({}), database, files, log },
    { work: false },
  );
  queues.push(sender);
  const worker = await JobQueue.start(
    testDatabaseUrl,
    JOBS,
    { env: parseEnv({}), database, files, log },
    { work: true },
  );
  queues.push(worker);

  const id = await sender.send(pruneUnattachedFilesJob, { olderThanHours: 24 });
  expect(id).toBeTruthy();
  let state: string | undefined;
  for (let i = 0; i < 100 && state !== "completed"; i++) {
    await new Promise((r) => setTimeout(r, 200));
    state = (await worker.getJob(pruneUnattachedFilesJob.name, id!))?.state;
  }
  expect(state).toBe("completed");
  expect((await worker.getJob(pruneUnattachedFilesJob.name, id!))?.output).toEqual({ removed: 1 });
  expect(await database.db.select().from(storedFiles)).toEqual([]);
  await expect(files.get(saved.storageKey)).rejects.toThrow();
});

test("job data is validated before it is queued", async () => {
  const database = testDatabase();
  const q = await JobQueue.start(
    testDatabaseUrl,
    JOBS,
    { env: parseEnv({}), database, files: new LocalDiskStore(os.tmpdir()), log: pino({ level: "silent" }) },
    { work: false },
  );
  queues.push(q);
  await expect(q.send(pruneUnattachedFilesJob, { olderThanHours: -3 })).rejects.toThrow();
});
