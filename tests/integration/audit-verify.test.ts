import { spawnSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents } from "#db/schema/index.ts";
import { seedDemoData } from "#db/seed.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase, testDatabaseUrl } from "#tests/setup/db.ts";

const verify = () =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: testDatabaseUrl },
    encoding: "utf8",
    timeout: 60_000,
  });

test("npm run audit:verify passes on the demo data and names the event edited in SQL", async () => {
  const { db } = testDatabase();
  await seedDemoData(db, testSealingKeys());
  const good = verify();
  expect(good.stdout).toMatch(/audit chain intact: \d+ events/);
  expect(good.status).toBe(0);

  const [first] = await db.select().from(auditEvents).orderBy(auditEvents.seq).limit(1);
  await db.execute(sql`update audit_events set action = 'platform.nothing_to_see' where seq = ${first!.seq}`);
  const bad = verify();
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain(`audit chain BROKEN at event #${first!.seq}`);
});
