import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { auditEvents } from "#db/schema/index.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { recordAudit } from "./record-audit.server.ts";
import { verifyAuditChain } from "./verify-audit-chain.server.ts";

const { db } = testDatabase();

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await db.transaction((tx) =>
      recordAudit(tx, {
        actorUserId: null,
        action: "test.event",
        objectType: "thing",
        objectId: String(i),
        ip: "10.0.0.1",
        details: { i, note: "ملاحظة" },
      }),
    );
  }
}

beforeEach(async () => {
  await db.delete(auditEvents);
});

describe("the audit chain", () => {
  test("an untouched chain verifies", async () => {
    await append(5);
    const verdict = await verifyAuditChain(db);
    expect(verdict).toMatchObject({ ok: true, events: 5 });
  });

  test("an event edited in SQL is named", async () => {
    await append(5);
    const [third] = await db.select().from(auditEvents).orderBy(auditEvents.seq).offset(2).limit(1);
    await db.execute(sql`update audit_events set details = '{"i": 99}' where seq = ${third!.seq}`);
    expect(await verifyAuditChain(db)).toEqual({
      ok: false,
      events: 2,
      brokenAt: third!.seq,
      reason: "content_changed",
    });
  });

  test("a deleted event breaks the link of the one after it", async () => {
    await append(4);
    const rows = await db.select().from(auditEvents).orderBy(auditEvents.seq);
    await db.execute(sql`delete from audit_events where seq = ${rows[1]!.seq}`);
    expect(await verifyAuditChain(db)).toEqual({
      ok: false,
      events: 1,
      brokenAt: rows[2]!.seq,
      reason: "link_broken",
    });
  });

  test("concurrent writers still produce one unbroken chain", async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction((tx) =>
          recordAudit(tx, { actorUserId: null, action: "test.concurrent", details: { i } }),
        ),
      ),
    );
    expect(await verifyAuditChain(db, 5)).toMatchObject({ ok: true, events: 12 });
  });

  test("an event rolled back with its change leaves no trace and no gap in the chain", async () => {
    await append(1);
    await expect(
      db.transaction(async (tx) => {
        await recordAudit(tx, { actorUserId: null, action: "test.doomed" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await append(1);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 2 });
  });
});
