import { z } from "zod";
import { pruneUnattachedFiles } from "#app/modules/files/prune-unattached-files.server.ts";
import { defineJob, type JobDefinition } from "./queue.server.ts";

/** Every background job the app knows. Later issues add e-mail, deadlines and reminders here. */
export const pruneUnattachedFilesJob = defineJob({
  name: "files.prune-unattached",
  data: z.object({ olderThanHours: z.number().int().positive().optional() }),
  cron: "17 * * * *",
  handle: (data, { database, files }) => pruneUnattachedFiles(data, { db: database.db, files }),
});

export const JOBS: readonly JobDefinition<never>[] = [pruneUnattachedFilesJob as JobDefinition<never>];
