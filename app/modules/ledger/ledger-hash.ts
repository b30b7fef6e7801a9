import { createHash } from "node:crypto";
import { canonicalJson } from "#app/modules/audit/audit-hash.ts";

export interface TransactionContent {
  idempotencyKey: string;
  kind: string;
  referenceType: string | null;
  referenceId: string | null;
  reverses: string | null;
  postings: Array<{ accountId: string; currency: string; amount: bigint }>;
}

/** Postings in one canonical order, so the same transaction always hashes the same. */
export function sortPostings<T extends { accountId: string; amount: bigint }>(postings: T[]): T[] {
  return [...postings].sort((a, b) =>
    a.accountId < b.accountId
      ? -1
      : a.accountId > b.accountId
        ? 1
        : a.amount < b.amount
          ? -1
          : a.amount > b.amount
            ? 1
            : 0,
  );
}

/** SHA-256 of what a transaction says: who pays whom how much, for what. */
export function transactionHash(content: TransactionContent): string {
  return createHash("sha256")
    .update(
      canonicalJson({
        ...content,
        postings: sortPostings(content.postings).map((p) => ({ ...p, amount: p.amount.toString() })),
      }),
    )
    .digest("hex");
}

/** Does every currency sum to zero, with at least two non-zero postings? */
export function isBalanced(postings: Array<{ currency: string; amount: bigint }>): boolean {
  if (postings.length < 2 || postings.some((p) => p.amount === 0n)) return false;
  const totals = new Map<string, bigint>();
  for (const p of postings) totals.set(p.currency, (totals.get(p.currency) ?? 0n) + p.amount);
  return [...totals.values()].every((t) => t === 0n);
}
