import os from "node:os";
import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LocalDiskStore } from "#app/modules/files/file-store.server.ts";
import { JobQueue } from "#app/modules/jobs/queue.server.ts";
import { expirePermitsJob, JOBS, permitRemindersJob } from "#app/modules/jobs/registry.server.ts";
import { parseEnv } from "#app/utils/env.server.ts";
import type { Db } from "#db/client.server.ts";
import {
  notifications,
  type Organisation,
  permitEvents,
  permitExpiryReminders,
  permits,
} from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { addDays, createPermit, createPermitType } from "#tests/factories/permits.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase, testDatabaseUrl } from "#tests/setup/db.ts";
import { sendExpiryReminders } from "./expire-permits.server.ts";
import { dateInZone } from "./permit-rules.ts";

let db: Db;
let agency: Organisation;
let queue: JobQueue;
let issuerId: string;

beforeAll(async () => {
  const database = testDatabase();
  db = database.db;
  agency = await createOrganisation(db, agencyData());
  issuerId = (await createUser(db)).id;
  queue = await JobQueue.start(
    testDatabaseUrl,
    JOBS,
    { env: parseEnv({}), database, files: new LocalDiskStore(os.tmpdir()), log: pino({ level: "silent" }) },
    { work: true },
  );
});
afterAll(() => queue.stop(2_000));

async function ownedPermit(validUntil: string) {
  const holder = await createOrganisation(db, businessData());
  const owner = await createUser(db, {
    memberships: [{ organisationId: holder.id, roles: ["owner"] }],
  } as never);
  const type = await createPermitType(db, agency.id);
  const permit = await createPermit(db, {
    permitTypeId: type.id,
    holderId: holder.id,
    issuedBy: issuerId,
    validFrom: addDays(validUntil, -300),
    validUntil,
  });
  return { permit, owner };
}

async function waitFor(name: string, id: string) {
  for (let i = 0; i < 150; i++) {
    const job = await queue.getJob(name, id);
    if (job?.state === "completed" || job?.state === "failed") return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${name} did not finish`);
}

test("the expiry job runs every minute and expires a permit at its end, not before", async () => {
  expect(expirePermitsJob.cron).toBe("* * * * *");
  const today = dateInZone(new Date(), agency.timeZone);
  const { permit: ending } = await ownedPermit(today);
  const { permit: lasting } = await ownedPermit(addDays(today, 30));
  // The validity ends two seconds from now.
  await db
    .update(permits)
    .set({ expiresAt: sql`now() + interval '2 seconds'` })
    .where(eq(permits.id, ending.id));

  const early = await waitFor(expirePermitsJob.name, (await queue.send(expirePermitsJob, {}))!);
  expect(early.state).toBe("completed");
  expect((await db.select().from(permits).where(eq(permits.id, ending.id)))[0]!.status).toBe("valid");

  const dueAt = (await db.select().from(permits).where(eq(permits.id, ending.id)))[0]!.expiresAt;
  const onTime = await waitFor(
    expirePermitsJob.name,
    (await queue.send(expirePermitsJob, {}, { startAfter: dueAt }))!,
  );
  expect(onTime.state).toBe("completed");
  const [after] = await db.select().from(permits).where(eq(permits.id, ending.id));
  expect(after!.status).toBe("expired");
  expect(new Date(onTime.completedOn!).getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
  expect((await db.select().from(permitEvents).where(eq(permitEvents.permitId, ending.id)))[0]!.kind).toBe(
    "expired",
  );
  expect((await db.select().from(permits).where(eq(permits.id, lasting.id)))[0]!.status).toBe("valid");
});

test("reminders go out 30, 7 and 1 days ahead, each once, from the job queue", async () => {
  const today = dateInZone(new Date(), agency.timeZone);
  const { permit: in30, owner } = await ownedPermit(addDays(today, 30));
  const { permit: in5 } = await ownedPermit(addDays(today, 5));
  const { permit: in1 } = await ownedPermit(addDays(today, 1));
  const { permit: in45 } = await ownedPermit(addDays(today, 45));

  const job = await waitFor(permitRemindersJob.name, (await queue.send(permitRemindersJob, {}))!);
  expect(job.state).toBe("completed");
  const sent = async (id: string) =>
    (await db.select().from(permitExpiryReminders).where(eq(permitExpiryReminders.permitId, id))).map(
      (r) => r.daysBefore,
    );
  expect(await sent(in30.id)).toEqual([30]);
  expect(await sent(in5.id)).toEqual([7]);
  expect(await sent(in1.id)).toEqual([1]);
  expect(await sent(in45.id)).toEqual([]);
  const notes = await db.select().from(notifications).where(eq(notifications.userId, owner.id));
  expect(notes).toMatchObject([{ kind: "permitExpiring", params: { number: in30.number, days: "30" } }]);

  // Running again sends nothing new.
  await sendExpiryReminders(db);
  expect(await sent(in30.id)).toEqual([30]);
  expect(await db.select().from(notifications).where(eq(notifications.userId, owner.id))).toHaveLength(1);
});
