import { asc, gt } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { auditEvents } from "#db/schema/index.ts";
import { chainHash, GENESIS_HASH } from "./audit-hash.ts";

export type ChainVerdict =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; brokenAt: bigint; reason: "content_changed" | "link_broken" };

/**
 * Walk the whole chain in order, recomputing every hash. The first event whose
 * stored hash does not match its content (edited) or whose link does not match
 * the event before it (deleted or reordered) is named.
 */
export async function verifyAuditChain(db: Queryable, batchSize = 5_000): Promise<ChainVerdict> {
  let prev = GENESIS_HASH;
  let after = 0n;
  let events = 0;
  while (true) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    if (batch.length === 0) return { ok: true, events, lastHash: prev };
    for (const event of batch) {
      if (event.prevHash !== prev) return { ok: false, events, brokenAt: event.seq, reason: "link_broken" };
      const ip = event.ip === null ? null : String(event.ip);
      if (chainHash(prev, { ...event, ip }) !== event.hash)
        return { ok: false, events, brokenAt: event.seq, reason: "content_changed" };
      prev = event.hash;
      after = event.seq;
      events++;
    }
  }
}
