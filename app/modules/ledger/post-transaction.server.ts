import { inArray, sql } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
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

export type Posted = { transaction: LedgerTransaction; created: boolean };

/** Errors PostgreSQL asks us to retry: serialization failure and deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);
const isRetryable = (e: unknown) => RETRYABLE.has(postgresErrorOf(e)?.code ?? "");

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

/** A transaction checked and hashed, ready to write. */
interface Prepared {
  idempotencyKey: string;
  kind: string;
  referenceType: string | null;
  referenceId: string | null;
  description: string | null;
  reverses: string | null;
  contentHash: string;
  postings: Array<{ accountId: string; currency: string; amount: bigint }>;
}

async function prepare(db: Db | Tx, input: PostTransaction): Promise<Prepared> {
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
  return { ...content, description: input.description ?? null, contentHash: transactionHash(content) };
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
 * One statement writes the transactions (distinct idempotency keys) and all
 * their postings, so outside a caller's transaction a whole batch commits in
 * a single round trip. A key already posted is skipped (ON CONFLICT) and
 * missing from the result. Balances move by a statement-level trigger that
 * locks the accounts in order, so two writers never deadlock.
 */
async function insertBatch(db: Db | Tx, batch: Prepared[]): Promise<Map<string, LedgerTransaction>> {
  const transactions = JSON.stringify(
    batch.map((t, ord) => ({
      ord,
      idempotency_key: t.idempotencyKey,
      kind: t.kind,
      reference_type: t.referenceType,
      reference_id: t.referenceId,
      description: t.description,
      reverses: t.reverses,
      content_hash: t.contentHash,
    })),
  );
  const postings = JSON.stringify(
    batch.flatMap((t) =>
      t.postings.map((p, ord) => ({
        idempotency_key: t.idempotencyKey,
        account_id: p.accountId,
        currency: p.currency,
        amount: p.amount.toString(),
        ord,
      })),
    ),
  );
  const rows = (await db.execute(sql`
    with t as (
      insert into ledger_transactions (idempotency_key, kind, reference_type, reference_id, description, reverses, content_hash)
      select x.idempotency_key, x.kind, x.reference_type, x.reference_id, x.description, x.reverses, x.content_hash
      from jsonb_to_recordset(${transactions}::jsonb) as x(ord int, idempotency_key text, kind text,
        reference_type text, reference_id text, description text, reverses uuid, content_hash text)
      order by x.ord
      on conflict (idempotency_key) do nothing
      returning *
    ), p as (
      insert into ledger_postings (transaction_id, account_id, currency, amount)
      select t.id, x.account_id, x.currency, x.amount
      from t join jsonb_to_recordset(${postings}::jsonb)
        as x(idempotency_key text, account_id uuid, currency char(3), amount bigint, ord int)
        on x.idempotency_key = t.idempotency_key
      order by t.seq, x.ord
      returning 1
    )
    select t.*, (select count(*) from p) as postings from t`)) as unknown as Row[];
  return new Map(rows.map((r) => [r.idempotency_key, toTransaction(r)]));
}

/** For keys that were already posted: the same content is the same transaction, other content is refused. */
async function existingFor(db: Db | Tx, keys: string[]): Promise<Map<string, LedgerTransaction>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select()
    .from(ledgerTransactions)
    .where(inArray(ledgerTransactions.idempotencyKey, keys));
  return new Map(rows.map((r) => [r.idempotencyKey, r]));
}

function outcome(prepared: Prepared, found: LedgerTransaction | undefined, created: boolean): Posted {
  if (!found || found.contentHash !== prepared.contentHash) throw new AppError("IDEMPOTENCY_CONFLICT");
  return { transaction: found, created };
}

/** Write inside the caller's database transaction: it commits with the caller's other changes. */
async function postInTransaction(tx: Tx, input: PostTransaction): Promise<Posted> {
  const prepared = await prepare(tx, input);
  const inserted = (await insertBatch(tx, [prepared])).get(prepared.idempotencyKey);
  if (inserted) return outcome(prepared, inserted, true);
  return outcome(
    prepared,
    (await existingFor(tx, [prepared.idempotencyKey])).get(prepared.idempotencyKey),
    false,
  );
}

type Waiting = { prepared: Prepared; resolve: (p: Posted) => void; reject: (e: unknown) => void };

/**
 * Group commit for transactions posted on their own (not inside a caller's
 * database transaction): callers that arrive while a batch is being written
 * wait and go together in the next one, so N concurrent writers cost about
 * one commit, not N (decision 010). No waiting when the ledger is idle.
 */
class GroupCommit {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 500,
    private readonly maxInFlight = 2,
  ) {}

  submit(prepared: Prepared): Promise<Posted> {
    return new Promise((resolve, reject) => {
      this.queue.push({ prepared, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Write on the next turn of the event loop rather than at once, so that
   * callers released by the previous batch (and any others arriving in the
   * same turn) join this one instead of starting a batch of their own.
   */
  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    // The first of each idempotency key is written; repeats in the batch share its outcome.
    const firsts = new Map<string, Prepared>();
    for (const w of batch)
      if (!firsts.has(w.prepared.idempotencyKey)) firsts.set(w.prepared.idempotencyKey, w.prepared);
    const failed = new Map<string, unknown>();
    let inserted = new Map<string, LedgerTransaction>();
    let existing = new Map<string, LedgerTransaction>();
    try {
      try {
        inserted = await withRetry(() => insertBatch(this.db, [...firsts.values()]));
      } catch (e) {
        if (firsts.size === 1) throw e;
        // One bad transaction must not fail its neighbours: write them one by one.
        await Promise.all(
          [...firsts].map(([key, prepared]) =>
            withRetry(() => insertBatch(this.db, [prepared])).then(
              (one) => {
                for (const [k, t] of one) inserted.set(k, t);
              },
              (error) => failed.set(key, error),
            ),
          ),
        );
      }
      const repeated = [...firsts.keys()].filter((k) => !inserted.has(k) && !failed.has(k));
      existing = await existingFor(this.db, repeated);
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    for (const w of batch) {
      const key = w.prepared.idempotencyKey;
      if (failed.has(key)) {
        w.reject(failed.get(key));
        continue;
      }
      const created = inserted.has(key) && firsts.get(key) === w.prepared;
      try {
        w.resolve(outcome(w.prepared, inserted.get(key) ?? existing.get(key), created));
      } catch (e) {
        w.reject(e);
      }
    }
  }
}

async function withRetry<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!isRetryable(e) || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
    }
  }
}

const writers = new WeakMap<Db, GroupCommit>();

/**
 * Post one balanced transaction. The same idempotency key with the same
 * content returns the transaction already posted; with different content it
 * is refused. Inside the caller's transaction it commits with it (so a
 * payment and its ledger entry commit together); on its own it joins the
 * group commit and retries the rare serialization failure or deadlock.
 */
export async function postTransaction(input: PostTransaction, db: Db | Tx): Promise<Posted> {
  if ("rollback" in db) return postInTransaction(db, input);
  const prepared = await prepare(db, input);
  let writer = writers.get(db);
  if (!writer) {
    writer = new GroupCommit(db);
    writers.set(db, writer);
  }
  return writer.submit(prepared);
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
