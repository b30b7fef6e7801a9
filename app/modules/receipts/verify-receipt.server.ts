import { eq } from "drizzle-orm";
import { transactionHash } from "#app/modules/ledger/ledger-hash.ts";
import type { Queryable } from "#db/client.server.ts";
import { ledgerPostings, ledgerTransactions, organisations } from "#db/schema/index.ts";
import { feeLabel, findReceipt } from "./receipt-data.server.ts";

/**
 * What the public verification page shows for a receipt number: only what
 * the receipt itself already shows to whoever holds it, minus the payer (a
 * business's payments are not public). Unknown and malformed numbers get the
 * same answer: null.
 */
export interface ReceiptVerification {
  number: string;
  kind: "payment" | "refund";
  /** For a refund, the payment it returns money from. */
  paymentReference: string;
  agency: { nameAr: string; nameEn: string };
  feeType: string;
  feeLabel: { ar: string; en: string };
  /** Minor units of `currency`. */
  amount: bigint;
  currency: string;
  issuedAt: Date;
  /** A receipt that is found is valid: the payment was captured, the refund made. */
  status: "valid";
  /** Payments only: the total refunded from it so far. */
  refundedSoFar: bigint | null;
  ledger: {
    transactionId: string;
    contentHash: string;
    /** The entry recomputed from its postings still gives its stored hash. */
    matchesHash: boolean;
  };
  checkpoint: { id: bigint; createdAt: Date; hash: string; signature: string; keyId: string } | null;
}

export async function verifyReceipt(number: string, db: Queryable): Promise<ReceiptVerification | null> {
  const record = await findReceipt(number, db);
  if (!record) return null;
  const { payment, refund, transaction, checkpoint } = record;
  const agency = await db.query.organisations.findFirst({
    where: eq(organisations.id, payment.payeeId),
    columns: { nameAr: true, nameEn: true },
  });
  if (!agency) throw new Error(`receipt ${record.number}: its agency is missing`);
  return {
    number: record.number,
    kind: record.kind,
    paymentReference: payment.reference,
    agency,
    feeType: payment.feeType,
    feeLabel: feeLabel(payment.feeType),
    amount: refund ? refund.amount : payment.amount,
    currency: payment.currency,
    issuedAt: refund ? refund.createdAt : (payment.capturedAt ?? transaction.createdAt),
    status: "valid",
    refundedSoFar: refund ? null : payment.refundedAmount,
    ledger: {
      transactionId: transaction.id,
      contentHash: transaction.contentHash,
      matchesHash: await ledgerEntryMatchesHash(transaction.id, db),
    },
    checkpoint: checkpoint
      ? {
          id: checkpoint.id,
          createdAt: checkpoint.createdAt,
          hash: checkpoint.hash,
          signature: checkpoint.signature,
          keyId: checkpoint.keyId,
        }
      : null,
  };
}

/**
 * Recompute a ledger transaction's content hash from its postings (as
 * `ledger:verify` does) and compare it with the hash stored when it was
 * written, the one printed on the receipt and chained into the checkpoint.
 */
export async function ledgerEntryMatchesHash(transactionId: string, db: Queryable): Promise<boolean> {
  const [t] = await db.select().from(ledgerTransactions).where(eq(ledgerTransactions.id, transactionId));
  if (!t) return false;
  const postings = await db
    .select({
      accountId: ledgerPostings.accountId,
      currency: ledgerPostings.currency,
      amount: ledgerPostings.amount,
    })
    .from(ledgerPostings)
    .where(eq(ledgerPostings.transactionId, t.id));
  const recomputed = transactionHash({
    idempotencyKey: t.idempotencyKey,
    kind: t.kind,
    referenceType: t.referenceType,
    referenceId: t.referenceId,
    reverses: t.reverses,
    postings,
  });
  return recomputed === t.contentHash;
}
