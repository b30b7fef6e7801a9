import { z } from "zod";
import { releaseFinalAwardSecurities } from "#app/modules/contracts/bid-securities.server.ts";
import { sendSearchAlerts } from "#app/modules/discovery/saved-searches.server.ts";
import { pruneUnattachedFiles } from "#app/modules/files/prune-unattached-files.server.ts";
import { createCheckpoint } from "#app/modules/ledger/checkpoints.server.ts";
import { loadPlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import { deliverPendingEmails } from "#app/modules/notifications/deliver-emails.server.ts";
import { mailTransport } from "#app/modules/notifications/mail-transport.server.ts";
import { cardPaymentsFrom } from "#app/modules/payments/stripe-client.server.ts";
import { processStripeEvents } from "#app/modules/payments/sync-stripe.server.ts";
import { expireDuePermits, sendExpiryReminders } from "#app/modules/permits/expire-permits.server.ts";
import { recordHeartbeat } from "#app/modules/platform/availability.server.ts";
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

/** Close and sign what the ledger recorded since the last checkpoint. */
export const ledgerCheckpointJob = defineJob({
  name: "ledger.checkpoint",
  data: z.object({}),
  cron: "*/5 * * * *",
  retryLimit: 1,
  handle: async (_data, { env, database }) => {
    const checkpoint = await createCheckpoint(database.db, await loadPlatformKey(env));
    return checkpoint
      ? { id: checkpoint.id.toString(), transactions: checkpoint.transactionCount.toString() }
      : { closed: 0 };
  },
});

/** Apply recorded Stripe events by reading their objects' current state (nudged by each webhook; every minute catches up). */
export const stripeEventsJob = defineJob({
  name: "payments.apply-stripe-events",
  data: z.object({}),
  cron: "* * * * *",
  retryLimit: 0,
  handle: async (_data, { env, database }) => {
    const card = cardPaymentsFrom(env);
    return card ? processStripeEvents({ db: database.db, card }) : { applied: 0, failed: 0 };
  },
});

/** The platform's pulse: gaps between beats are the outages officers are told about. */
export const heartbeatJob = defineJob({
  name: "platform.heartbeat",
  data: z.object({}),
  cron: "* * * * *",
  retryLimit: 0,
  handle: async (_data, { database }) => {
    await recordHeartbeat(database.db);
    return { ok: true };
  },
});

/** Permits whose validity ended become expired, within a minute of the end. */
export const expirePermitsJob = defineJob({
  name: "permits.expire",
  data: z.object({}),
  cron: "* * * * *",
  retryLimit: 1,
  handle: (_data, { database }) => expireDuePermits(database.db),
});

/** Expiry reminders 30, 7 and 1 days ahead (each once; hourly, so a new day's reminders go out early that day). */
export const permitRemindersJob = defineJob({
  name: "permits.expiry-reminders",
  data: z.object({}),
  cron: "7 * * * *",
  retryLimit: 1,
  handle: (_data, { database }) => sendExpiryReminders(database.db),
});

/** Bid securities of losing bids go back once the award is final (standstill over, no complaint holding it). */
export const releaseBidSecuritiesJob = defineJob({
  name: "contracts.release-bid-securities",
  data: z.object({}),
  cron: "*/5 * * * *",
  retryLimit: 1,
  handle: (_data, { database }) => releaseFinalAwardSecurities(database.db),
});

/** New tenders matching saved searches with instant alerts (every minute: "as soon as published"). */
export const instantSearchAlertsJob = defineJob({
  name: "searches.alert-instant",
  data: z.object({}),
  cron: "* * * * *",
  retryLimit: 0,
  handle: (_data, { env, database }) =>
    sendSearchAlerts({ frequency: "instant", baseUrl: env.PUBLIC_URL }, database.db),
});

/** The daily digest of saved searches (04:00 UTC: early morning in the Gulf). */
export const dailySearchAlertsJob = defineJob({
  name: "searches.alert-daily",
  data: z.object({}),
  cron: "0 4 * * *",
  retryLimit: 1,
  handle: (_data, { env, database }) =>
    sendSearchAlerts({ frequency: "daily", baseUrl: env.PUBLIC_URL }, database.db),
});

export const JOBS: readonly JobDefinition<never>[] = [
  pruneUnattachedFilesJob,
  deliverEmailsJob,
  ledgerCheckpointJob,
  stripeEventsJob,
  heartbeatJob,
  expirePermitsJob,
  permitRemindersJob,
  releaseBidSecuritiesJob,
] as JobDefinition<never>[];
