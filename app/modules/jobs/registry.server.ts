import { z } from "zod";
import { pruneUnattachedFiles } from "#app/modules/files/prune-unattached-files.server.ts";
import { deliverPendingEmails } from "#app/modules/notifications/deliver-emails.server.ts";
import { mailTransport } from "#app/modules/notifications/mail-transport.server.ts";
import { defineJob, type JobDefinition } from "./queue.server.ts";

/** Every background job the app knows. Later issues add e-mail, deadlines and reminders here. */
export const pruneUnattachedFilesJob = defineJob({
  name: "files.prune-unattached",
  data: z.object({ olderThanHours: z.number().int().positive().optional() }),
  cron: "17 * * * *",
  handle: (data, { database, files }) => pruneUnattachedFiles(data, { db: database.db, files }),
});

/** Send what waits in the e-mail outbox (every minute, and nudged right after a message is queued). */
export const deliverEmailsJob = defineJob({
  name: "email.deliver-pending",
  data: z.object({}),
  cron: "* * * * *",
  retryLimit: 0,
  handle: async (_data, { env, database }) => {
    const transport = mailTransport(env);
    if (!transport) return { sent: 0, failed: 0, smtp: false };
    return deliverPendingEmails({ db: database.db, transport, from: env.MAIL_FROM });
  },
});

export const JOBS: readonly JobDefinition<never>[] = [
  pruneUnattachedFilesJob,
  deliverEmailsJob,
] as JobDefinition<never>[];
