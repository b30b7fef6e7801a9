import { randomUUID } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { auditEvents } from "#db/schema/index.ts";
import { type ChainedContent, canonicalJson, chainHash, GENESIS_HASH } from "./audit-hash.ts";

/** Names one lock shared by every Shafaf process: appends to the chain are serialised. */
const AUDIT_CHAIN_LOCK = 0x5af_a0d1;
const lockChain = sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_CHAIN_LOCK))})`;

export interface AuditEntry {
  actorUserId: string | null;
  organisationId?: string | null;
  action: string;
  objectType?: string;
  objectId?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}

type Content = Omit<ChainedContent, "seq" | "occurredAt">;

// Stand-ins for the two values only the database knows under the lock. Random
// per process, so no event's own content can hold them by chance.
const SEQ_STAND_IN = `\u0001seq:${randomUUID()}`;
const AT_STAND_IN = `\u0001at:${randomUUID()}`;
const SEQ_MARK = JSON.stringify(SEQ_STAND_IN);
const AT_MARK = JSON.stringify(AT_STAND_IN);
/** Milliseconds, so the time reads back exactly as it was hashed. */
const ISO_MS = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/**
 * The event's canonical content (what chainHash hashes after prevHash) cut
 * around its number and time: [before, "seq" | "at", between, "seq" | "at", after].
 * Null when the cut is not clean (a mark found other than once).
 */
function contentAround(content: Content) {
  const text = canonicalJson({
    seq: SEQ_STAND_IN,
    occurredAt: AT_STAND_IN,
    actorUserId: content.actorUserId,
    organisationId: content.organisationId,
    action: content.action,
    objectType: content.objectType,
    objectId: content.objectId,
    ip: content.ip,
    details: content.details,
  });
  const s = text.indexOf(SEQ_MARK);
  const a = text.indexOf(AT_MARK);
  if (s < 0 || a < 0 || text.indexOf(SEQ_MARK, s + 1) >= 0 || text.indexOf(AT_MARK, a + 1) >= 0) return null;
  const [first, firstMark, second, secondMark] =
    s < a ? [s, SEQ_MARK, a, AT_MARK] : [a, AT_MARK, s, SEQ_MARK];
  return {
    before: text.slice(0, first),
    firstIsSeq: firstMark === SEQ_MARK,
    between: text.slice(first + firstMark.length, second),
    after: text.slice(second + secondMark.length),
  };
}

/**
 * Append an event to the audit chain, inside the caller's transaction (the
 * change and its record commit together or not at all). The chain lock is held
 * until that transaction ends, so events link in commit order.
 *
 * The lock is the one point every audited write in the platform passes in
 * turn, so it is held for as little as possible: the lock and the append are
 * sent together (one round trip; the append is its own statement, so in READ
 * COMMITTED it sees every event committed before the lock was granted), and
 * the append numbers, times, links and hashes the event in the database —
 * SHA-256 over exactly the text chainHash hashes, which this process cut
 * around the number and the time beforehand. Before the transaction goes on,
 * the stored hash is recomputed here with chainHash, the function the
 * verifier uses; a difference aborts the transaction. (Like every
 * transaction in Shafaf, the caller's runs at READ COMMITTED: each statement
 * sees what was committed before it began.)
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<{ seq: bigint; hash: string }> {
  const event: Content = {
    actorUserId: entry.actorUserId,
    organisationId: entry.organisationId ?? null,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  };
  const cut = contentAround(event);
  if (!cut) return recordAuditStepwise(tx, event);
  const seqText = sql`'"' || seq::text || '"'`;
  const atText = sql`'"' || to_char(at at time zone 'UTC', ${ISO_MS}) || '"'`;
  const [first, second] = cut.firstIsSeq ? [seqText, atText] : [atText, seqText];
  const [, appended] = await Promise.all([
    tx.execute(lockChain),
    tx.execute<{ seq: string; occurred_at: string; prev_hash: string; hash: string }>(sql`
      with stamp as (
        select nextval(pg_get_serial_sequence('audit_events', 'seq')) as seq,
               date_trunc('milliseconds', now()) as at,
               coalesce((select hash from audit_events order by seq desc limit 1), ${GENESIS_HASH}) as prev
      )
      insert into audit_events
        (seq, occurred_at, actor_user_id, organisation_id, action, object_type, object_id, ip, details, prev_hash, hash)
      select seq, at, ${event.actorUserId}, ${event.organisationId}, ${event.action}, ${event.objectType},
             ${event.objectId}, ${event.ip}::inet, ${JSON.stringify(event.details)}::jsonb, prev,
             encode(sha256(convert_to(prev || ${"\n"}::text || ${cut.before}::text || ${first}
               || ${cut.between}::text || ${second} || ${cut.after}::text, 'UTF8')), 'hex')
      from stamp
      returning seq::text as seq, to_char(occurred_at at time zone 'UTC', ${ISO_MS}) as occurred_at, prev_hash, hash`),
  ]);
  const row = (
    appended as unknown as Array<{ seq: string; occurred_at: string; prev_hash: string; hash: string }>
  )[0];
  if (!row) throw new Error("could not append the audit event");
  const seq = BigInt(row.seq);
  const expected = chainHash(row.prev_hash, { ...event, seq, occurredAt: new Date(row.occurred_at) });
  if (expected !== row.hash) throw new Error(`audit event ${row.seq}: the database hashed it differently`);
  return { seq, hash: row.hash };
}

/** The plain way, a step at a time under the lock: for content that could not be cut cleanly. */
async function recordAuditStepwise(tx: Tx, event: Content): Promise<{ seq: bigint; hash: string }> {
  await tx.execute(lockChain);
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
           to_char(now() at time zone 'UTC', ${ISO_MS}) as occurred_at`);
  if (!stamp) throw new Error("could not number the audit event");
  const row = { ...event, seq: BigInt(stamp.seq), occurredAt: new Date(stamp.occurred_at) };
  const hash = chainHash(prevHash, row);
  await tx.insert(auditEvents).values({ ...row, prevHash, hash });
  return { seq: row.seq, hash };
}
