import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { testDatabase } from "#tests/setup/db.ts";
import { outageBeforeDeadline, outagesBetween, recordHeartbeat } from "./availability.server.ts";

const { db } = testDatabase();

test("gaps between beats are outages; one in the last hour before a deadline proposes an extension", async () => {
  await recordHeartbeat(db);
  const deadline = new Date("2026-03-10T09:00:00Z");
  // Beats every minute, with a 20-minute silence from 08:20 to 08:40.
  for (let m = 0; m <= 120; m++) {
    const at = new Date(deadline.getTime() - 2 * 3600_000 + m * 60_000);
    if (at >= new Date("2026-03-10T08:20:30Z") && at < new Date("2026-03-10T08:40:00Z")) continue;
    await db.execute(
      sql`insert into platform_heartbeats (at) values (${at.toISOString()}::timestamptz) on conflict do nothing`,
    );
  }
  const outages = await outagesBetween(db, new Date(deadline.getTime() - 3600_000), deadline);
  expect(outages).toHaveLength(1);
  expect(outages[0]!.from.toISOString()).toBe("2026-03-10T08:20:00.000Z");
  expect(outages[0]!.to.toISOString()).toBe("2026-03-10T08:40:00.000Z");
  const incident = await outageBeforeDeadline(db, deadline);
  expect(incident?.lostMs).toBe(20 * 60_000);
  expect(incident!.proposedDeadline.getTime()).toBeGreaterThan(Date.now() + 86_400_000 - 1);
  // No silence before another deadline: nothing to tell.
  await expect(outageBeforeDeadline(db, new Date("2026-03-10T08:10:00Z"))).resolves.toBeNull();
});
