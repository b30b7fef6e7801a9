import { eq, inArray, sql } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { type LedgerTransaction, ledgerAccounts, ledgerTransactions } from "#db/schema/index.ts";
import { isBalanced, sortPostings, transactionHash } from "./ledger-hash.ts";

export interface PostTransaction {
  idempotencyKey: string;
  kind: string;
  reference?: { type: string; id: string };
  description?: string;
  reverses?: string;
  /** Signed minor units per account; they must sum to zero per currency. */
  postings: Array<{ accountId: string; amount: bigint }>;
}

/** Errors PostgreSQL asks us to retry: serialization failure and deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);

/** Account currencies never change, so each process remembers them once read. */
const currencyCache = new Map<string, string>();

async function currenciesOf(db: Db | Tx, accountIds: string[]): Promise<Map<string, string>> {
  const missing = accountIds.filter((id) => !currencyCache.has(id));
  if (missing.length) {
    const rows = await db
      .select({ id: ledgerAccounts.id, currency: ledgerAccounts.currency })
      .from(ledgerAccounts)
      .where(inArray(ledgerAccounts.id, missing));
    for (const r of rows) currencyCache.set(r.id, r.currency);
  }
  return currencyCache;
}

type Row = {
  id: string;
  seq: bigint;
  idempotency_key: string;
  kind: string;
  reference_type: string | null;
  reference_id: string | null;
  description: string | null;
  reverses: string | null;
  content_hash: string;
  created_at: Date;
  created_xid: bigint;
};

const toTransaction = (r: Row): LedgerTransaction => ({
  id: r.id,
  seq: BigInt(r.seq),
  idempotencyKey: r.idempotency_key,
  kind: r.kind,
  referenceType: r.reference_type,
  referenceId: r.reference_id,
  description: r.description,
  reverses: r.reverses,
  contentHash: r.content_hash,
  createdAt: new Date(r.created_at),
  createdXid: BigInt(r.created_xid),
});

/**
 * One statement writes the transaction and its postings, so outside a caller's
 * transaction it commits on its own in a single round trip. Postings go in in
 * account order: every writer locks balances in the same order, so two never deadlock.
 */
async function postIn(
  db: Db | Tx,
  input: PostTransaction,
): Promise<{ transaction: LedgerTransaction; created: boolean }> {
  const accountIds = [...new Set(input.postings.map((p) => p.accountId))];
  const currencies = await currenciesOf(db, accountIds);
  if (accountIds.some((id) => !currencies.has(id))) throw new AppError("NOT_FOUND");
  const postings = sortPostings(
    input.postings.map((p) => ({ ...p, currency: currencies.get(p.accountId)! })),
  );
  if (!isBalanced(postings)) throw new AppError("LEDGER_UNBALANCED");

  const content = {
    idempotencyKey: input.idempotencyKey,
    kind: input.kind,
    referenceType: input.reference?.type ?? null,
    referenceId: input.reference?.id ?? null,
    reverses: input.reverses ?? null,
    postings,
  };
  const contentHash = transactionHash(content);
  const rows = JSON.stringify(
    postings.map((p, ord) => ({
      account_id: p.accountId,
      currency: p.currency,
      amount: p.amount.toString(),
      ord,
    })),
  );
  const inserted = (await db.execute(sql`
    with t as (
      insert into ledger_transactions (idempotency_key, kind, reference_type, reference_id, description, reverses, content_hash)
      values (${content.idempotencyKey}, ${content.kind}, ${content.referenceType}, ${content.referenceId},
              ${input.description ?? null}, ${content.reverses}, ${contentHash})
      on conflict (idempotency_key) do nothing
      returning *
    ), p as (
      insert into ledger_postings (transaction_id, account_id, currency, amount)
      select t.id, x.account_id, x.currency, x.amount
      from t cross join jsonb_to_recordset(${rows}::jsonb) as x(account_id uuid, currency char(3), amount bigint, ord int)
      order by x.ord
      returning 1
    )
    select t.*, (select count(*) from p) as postings from t`)) as unknown as Row[];
  if (inserted[0]) return { transaction: toTransaction(inserted[0]), created: true };

  const [existing] = await db
    .select()
    .from(ledgerTransactions)
    .where(eq(ledgerTransactions.idempotencyKey, input.idempotencyKey));
  if (!existing || existing.contentHash !== contentHash) throw new AppError("IDEMPOTENCY_CONFLICT");
  return { transaction: existing, created: false };
}

/**
 * Post one balanced transaction. The same idempotency key with the same
 * content returns the transaction already posted; with different content it
 * is refused. Runs inside the caller's transaction when given one (so a
 * payment and its ledger entry commit together); on its own it retries the
 * rare serialization failure or deadlock.
 */
export async function postTransaction(
  input: PostTransaction,
  db: Db | Tx,
): Promise<{ transaction: LedgerTransaction; created: boolean }> {
  if ("rollback" in db) return postIn(db, input);
  for (let attempt = 1; ; attempt++) {
    try {
      return await postIn(db, input);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
    }
  }
}

/** Find or create the account for an owner, purpose (and fee type) and currency. */
export async function ensureAccount(
  db: Db | Tx,
  spec: { organisationId: string | null; purpose: string; feeType?: string | null; currency: string },
): Promise<string> {
  const values = {
    organisationId: spec.organisationId,
    purpose: spec.purpose,
    feeType: spec.feeType ?? null,
    currency: spec.currency,
  };
  const [created] = await db
    .insert(ledgerAccounts)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: ledgerAccounts.id });
  if (created) return created.id;
  const [found] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(
      sql`${ledgerAccounts.organisationId} is not distinct from ${spec.organisationId} and ${ledgerAccounts.purpose} = ${spec.purpose}
          and ${ledgerAccounts.feeType} is not distinct from ${values.feeType} and ${ledgerAccounts.currency} = ${spec.currency}`,
    );
  return found!.id;
}
