import { desc, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { auditEvents } from "#db/schema/index.ts";
import { chainHash, GENESIS_HASH } from "./audit-hash.ts";

/** Names one lock shared by every Shafaf process: appends to the chain are serialised. */
const AUDIT_CHAIN_LOCK = 0x5af_a0d1;

export interface AuditEntry {
  actorUserId: string | null;
  organisationId?: string | null;
  action: string;
  objectType?: string;
  objectId?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Append an event to the audit chain, inside the caller's transaction (the
 * change and its record commit together or not at all). The chain lock is held
 * until that transaction ends, so events link in commit order.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<{ seq: bigint; hash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Number and time the event first: both are part of what the hash covers.
  // Milliseconds, so the time reads back exactly as it was hashed.
  const [stamp] = await tx.execute<{ seq: string; occurred_at: string }>(sql`
    select nextval(pg_get_serial_sequence('audit_events', 'seq'))::text as seq,
           to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at`);
  if (!stamp) throw new Error("could not number the audit event");
  const row = {
    seq: BigInt(stamp.seq),
    occurredAt: new Date(stamp.occurred_at),
    actorUserId: entry.actorUserId,
    organisationId: entry.organisationId ?? null,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  };
  const hash = chainHash(prevHash, row);
  await tx.insert(auditEvents).values({ ...row, prevHash, hash });
  return { seq: row.seq, hash };
}
