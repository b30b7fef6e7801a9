import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { createApiToken } from "#app/modules/accounts/api-tokens.server.ts";
import { connectDatabase } from "#db/client.server.ts";
import { apiRateLimits } from "#db/schema/index.ts";
import { bidderBusiness } from "#tests/factories/tenders.ts";
import { testDatabase, testDatabaseUrl } from "#tests/setup/db.ts";
import { countApiRequest } from "./rate-limit.server.ts";

const { db } = testDatabase();
/** Two more pools to the same database: two more app processes, as far as the limit can tell. */
const processes = [
  connectDatabase(testDatabaseUrl, { max: 5 }),
  connectDatabase(testDatabaseUrl, { max: 5 }),
];
afterAll(() => Promise.all(processes.map((p) => p.close())));

async function newToken() {
  const { actor } = await bidderBusiness(db);
  return (await createApiToken({ actor, name: "rate", scopes: ["organisation:read"], ip: null }, db)).id;
}

describe("the per-token rate limit", () => {
  test("counts down and refuses beyond the limit, telling when the window ends", async () => {
    const token = await newToken();
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await countApiRequest(token, 3, db));
    expect(states.map((s) => [s.allowed, s.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    for (const s of states) {
      expect(s.resetSeconds).toBeGreaterThanOrEqual(1);
      expect(s.resetSeconds).toBeLessThanOrEqual(60);
    }
  });

  test("holds across processes: of 80 requests at once from two pools, exactly the limit pass", async () => {
    const token = await newToken();
    const all = await Promise.all(
      Array.from({ length: 80 }, (_, i) => countApiRequest(token, 25, processes[i % 2]!.db)),
    );
    expect(all.filter((s) => s.allowed)).toHaveLength(25);
    const [row] = await db.select().from(apiRateLimits).where(eq(apiRateLimits.tokenId, token));
    expect(row!.count).toBe(80);
  });

  test("a new minute starts a new count; a late request never moves the window back", async () => {
    const token = await newToken();
    for (let i = 0; i < 3; i++) await countApiRequest(token, 3, db);
    expect((await countApiRequest(token, 3, db)).allowed).toBe(false);
    // The window began two minutes ago: this minute is a new one.
    await db
      .update(apiRateLimits)
      .set({ windowStart: sql`date_trunc('minute', now()) - interval '2 minutes'` })
      .where(eq(apiRateLimits.tokenId, token));
    expect(await countApiRequest(token, 3, db)).toMatchObject({ allowed: true, remaining: 2 });
    // Another process already counted in the next minute: this request is counted there.
    await db
      .update(apiRateLimits)
      .set({ windowStart: sql`date_trunc('minute', now()) + interval '1 minute'`, count: 2 })
      .where(eq(apiRateLimits.tokenId, token));
    expect(await countApiRequest(token, 3, db)).toMatchObject({ allowed: true, remaining: 0 });
    const [row] = await db.select().from(apiRateLimits).where(eq(apiRateLimits.tokenId, token));
    expect(row).toMatchObject({ count: 3 });
    expect(row!.windowStart.getTime()).toBeGreaterThan(Date.now());
  });
});
