import { createHash, type KeyObject } from "node:crypto";
import { and, asc, count, desc, gte, lt, sql } from "drizzle-orm";
import { canonicalJson } from "#app/modules/audit/audit-hash.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { type LedgerCheckpoint, ledgerCheckpoints, ledgerTransactions } from "#db/schema/index.ts";
import { type PlatformKey, signStatement, verifyStatement } from "./platform-key.server.ts";

const CHECKPOINT_LOCK = 0x5af_c4e0;
const GENESIS = "0".repeat(64);

function chainRoot(previousHash: string, contentHashes: string[]): string {
  let h = previousHash;
  for (const c of contentHashes) h = createHash("sha256").update(h).update(c).digest("hex");
  return h;
}

/** What a checkpoint says, as the exact text that is hashed and signed. */
export function checkpointStatement(
  c: Pick<LedgerCheckpoint, "xidFrom" | "xidTo" | "transactionCount" | "root" | "previousHash" | "keyId">,
): string {
  return canonicalJson({
    statement: "shafaf-ledger-checkpoint-v1",
    xidFrom: c.xidFrom.toString(),
    xidTo: c.xidTo.toString(),
    transactionCount: c.transactionCount.toString(),
    root: c.root,
    previousHash: c.previousHash,
    keyId: c.keyId,
  });
}

async function contentHashesBetween(db: Queryable, from: bigint, to: bigint): Promise<string[]> {
  const rows = await db
    .select({ h: ledgerTransactions.contentHash })
    .from(ledgerTransactions)
    .where(and(gte(ledgerTransactions.createdXid, from), lt(ledgerTransactions.createdXid, to)))
    .orderBy(asc(ledgerTransactions.seq));
  return rows.map((r) => r.h);
}

/**
 * Close every ledger transaction whose database transaction has finished
 * since the last checkpoint, and sign the result. Returns null when there is
 * nothing new to close. Safe to run from several processes at once.
 */
export async function createCheckpoint(db: Db, key: PlatformKey): Promise<LedgerCheckpoint | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`);
    const [last] = await tx.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.id)).limit(1);
    // Every database transaction older than the snapshot's xmin has finished:
    // nothing can still arrive below it.
    const [{ xmin } = { xmin: "0" }] = (await tx.execute(
      sql`select txid_snapshot_xmin(txid_current_snapshot())::text as xmin`,
    )) as unknown as Array<{ xmin: string }>;
    const xidFrom = last?.xidTo ?? 0n;
    const xidTo = BigInt(xmin);
    if (xidTo <= xidFrom) return null;
    const hashes = await contentHashesBetween(tx, xidFrom, xidTo);
    if (hashes.length === 0) return null;
    const previousHash = last?.hash ?? GENESIS;
    const body = {
      xidFrom,
      xidTo,
      transactionCount: BigInt(hashes.length),
      root: chainRoot(previousHash, hashes),
      previousHash,
      keyId: key.keyId,
    };
    const statement = checkpointStatement(body);
    const [checkpoint] = await tx
      .insert(ledgerCheckpoints)
      .values({
        ...body,
        hash: createHash("sha256").update(statement).digest("hex"),
        signature: signStatement(key, statement),
      })
      .returning();
    return checkpoint!;
  });
}

export type CheckpointVerdict =
  | { ok: true; checkpoints: number; latest: LedgerCheckpoint | null }
  | { ok: false; checkpointId: bigint; detail: string };

/** Recompute every checkpoint from the transactions it closed, and check its signature and chain. */
export async function verifyCheckpoints(
  db: Queryable,
  publicKeys: Map<string, KeyObject>,
): Promise<CheckpointVerdict> {
  const all = await db.select().from(ledgerCheckpoints).orderBy(asc(ledgerCheckpoints.id));
  let previous = GENESIS;
  let xid = 0n;
  for (const c of all) {
    const fail = (detail: string): CheckpointVerdict => ({
      ok: false,
      checkpointId: c.id,
      detail: `checkpoint #${c.id}: ${detail}`,
    });
    if (c.previousHash !== previous || c.xidFrom !== xid)
      return fail("does not follow the previous checkpoint");
    const hashes = await contentHashesBetween(db, c.xidFrom, c.xidTo);
    if (BigInt(hashes.length) !== c.transactionCount)
      return fail(`closed ${c.transactionCount} transactions, ${hashes.length} are there now`);
    if (chainRoot(c.previousHash, hashes) !== c.root) return fail("the transactions it closed have changed");
    const statement = checkpointStatement(c);
    if (createHash("sha256").update(statement).digest("hex") !== c.hash)
      return fail("its content was changed");
    const key = publicKeys.get(c.keyId);
    if (!key || !verifyStatement(key, statement, c.signature)) return fail("the signature does not verify");
    previous = c.hash;
    xid = c.xidTo;
  }
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(ledgerCheckpoints);
  return { ok: true, checkpoints: n, latest: all.at(-1) ?? null };
}
