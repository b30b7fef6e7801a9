import { eq, inArray, sql } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import {
  type LedgerTransaction,
  ledgerAccounts,
  ledgerPostings,
  ledgerTransactions,
} from "#db/schema/index.ts";
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

async function postIn(
  tx: Tx,
  input: PostTransaction,
): Promise<{ transaction: LedgerTransaction; created: boolean }> {
  const accountIds = [...new Set(input.postings.map((p) => p.accountId))];
  const accounts = await tx
    .select({ id: ledgerAccounts.id, currency: ledgerAccounts.currency })
    .from(ledgerAccounts)
    .where(inArray(ledgerAccounts.id, accountIds));
  const currencyOf = new Map(accounts.map((a) => [a.id, a.currency]));
  if (currencyOf.size !== accountIds.length) throw new AppError("NOT_FOUND");
  // Sorted by account: every writer locks accounts in the same order, so two never deadlock.
  const postings = sortPostings(
    input.postings.map((p) => ({ ...p, currency: currencyOf.get(p.accountId)! })),
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
  const [inserted] = await tx
    .insert(ledgerTransactions)
    .values({ ...content, description: input.description ?? null, contentHash })
    .onConflictDoNothing({ target: ledgerTransactions.idempotencyKey })
    .returning();
  if (!inserted) {
    const [existing] = await tx
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.idempotencyKey, input.idempotencyKey));
    if (!existing || existing.contentHash !== contentHash) throw new AppError("IDEMPOTENCY_CONFLICT");
    return { transaction: existing, created: false };
  }
  await tx.insert(ledgerPostings).values(postings.map((p) => ({ ...p, transactionId: inserted.id })));
  return { transaction: inserted, created: true };
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
  if ("rollback" in db) return postIn(db as Tx, input);
  for (let attempt = 1; ; attempt++) {
    try {
      return await (db as Db).transaction((tx) => postIn(tx, input));
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
