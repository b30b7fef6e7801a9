import { asc, eq, gt, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { ledgerAccounts, ledgerPostings, ledgerTransactions } from "#db/schema/index.ts";
import { isBalanced, transactionHash } from "./ledger-hash.ts";

export type LedgerVerdict =
  | { ok: true; transactions: number; accounts: number }
  | {
      ok: false;
      problem: "content_changed" | "unbalanced" | "balance_drift";
      /** The transaction (its seq and id) or account where the first problem is. */
      where: { transactionSeq?: bigint; transactionId?: string; accountId?: string };
      detail: string;
    };

/**
 * Recompute the ledger from its postings: every transaction's hash and
 * balance, then every account's balance. Names the first mismatch.
 */
export async function verifyLedger(db: Queryable, batchSize = 2_000): Promise<LedgerVerdict> {
  let after = 0n;
  let transactions = 0;
  while (true) {
    const batch = await db
      .select()
      .from(ledgerTransactions)
      .where(gt(ledgerTransactions.seq, after))
      .orderBy(asc(ledgerTransactions.seq))
      .limit(batchSize);
    if (batch.length === 0) break;
    const postings = await db
      .select()
      .from(ledgerPostings)
      .where(
        sql`${ledgerPostings.transactionId} in (select id from ledger_transactions where seq > ${after} and seq <= ${batch.at(-1)!.seq})`,
      );
    const byTransaction = new Map<string, typeof postings>();
    for (const p of postings)
      byTransaction.set(p.transactionId, [...(byTransaction.get(p.transactionId) ?? []), p]);
    for (const t of batch) {
      const own = byTransaction.get(t.id) ?? [];
      const where = { transactionSeq: t.seq, transactionId: t.id };
      if (!isBalanced(own))
        return { ok: false, problem: "unbalanced", where, detail: `transaction #${t.seq} does not balance` };
      const hash = transactionHash({
        idempotencyKey: t.idempotencyKey,
        kind: t.kind,
        referenceType: t.referenceType,
        referenceId: t.referenceId,
        reverses: t.reverses,
        postings: own.map((p) => ({ accountId: p.accountId, currency: p.currency, amount: p.amount })),
      });
      if (hash !== t.contentHash)
        return {
          ok: false,
          problem: "content_changed",
          where,
          detail: `transaction #${t.seq} no longer matches its hash`,
        };
      transactions++;
    }
    after = batch.at(-1)!.seq;
  }
  const drift = await db
    .select({
      id: ledgerAccounts.id,
      balance: ledgerAccounts.balance,
      total: sql<string>`coalesce(sum(${ledgerPostings.amount}), 0)::text`,
    })
    .from(ledgerAccounts)
    .leftJoin(ledgerPostings, eq(ledgerPostings.accountId, ledgerAccounts.id))
    .groupBy(ledgerAccounts.id)
    .having(sql`${ledgerAccounts.balance} <> coalesce(sum(${ledgerPostings.amount}), 0)`)
    .limit(1);
  if (drift[0])
    return {
      ok: false,
      problem: "balance_drift",
      where: { accountId: drift[0].id },
      detail: `account ${drift[0].id} shows ${drift[0].balance} but its postings sum to ${drift[0].total}`,
    };
  const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(ledgerAccounts);
  return { ok: true, transactions, accounts: n };
}
