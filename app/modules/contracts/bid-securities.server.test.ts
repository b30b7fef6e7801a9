import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { bidSecurityHolds } from "#db/schema/index.ts";
import { awardedTender, endStandstill } from "#tests/factories/contracts.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { releaseFinalAwardSecurities } from "./bid-securities.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();
const status = async (id: string) =>
  (await db.query.bidSecurityHolds.findFirst({ where: eq(bidSecurityHolds.id, id) }))!.status;

describe("the job releasing the securities of final awards", () => {
  test("nothing during the standstill or while suspended; the losers' once the award is final, the winner's kept for its signature", async () => {
    const t = await awardedTender(db, keys);
    await releaseFinalAwardSecurities(db);
    for (const b of t.bidders) expect(await status(t.holds.get(b.bidId)!.id)).toBe("held");

    await db.execute(
      sql`update awards set status = 'suspended', suspended_at = now() where id = ${t.award.id}`,
    );
    await endStandstill(db, t.award.id);
    await releaseFinalAwardSecurities(db);
    for (const b of t.bidders) expect(await status(t.holds.get(b.bidId)!.id)).toBe("held");

    // The complaint is rejected: the award is approved again, its standstill over.
    await db.execute(
      sql`update awards set status = 'approved', suspended_at = null where id = ${t.award.id}`,
    );
    const first = await releaseFinalAwardSecurities(db);
    expect(first.released).toBe(t.losers.length);
    for (const l of t.losers) expect(await status(t.holds.get(l.bidId)!.id)).toBe("released");
    expect(await status(t.holds.get(t.winner.bidId)!.id)).toBe("held");
    // Again: nothing more to release, nothing posted twice.
    expect((await releaseFinalAwardSecurities(db)).released).toBe(0);
  });
});
