import { and, asc, desc, eq, gt, lte, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { type Language, translatorFor } from "#app/modules/i18n/i18n.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  type LedgerCheckpoint,
  type LedgerTransaction,
  ledgerCheckpoints,
  ledgerTransactions,
  organisations,
  type Payment,
  payments,
  type Refund,
  refunds,
} from "#db/schema/index.ts";
import type { ReceiptDocument } from "./render-receipt-pdf.server.ts";

/**
 * Receipt numbers. A captured payment's receipt number is its reference
 * ("SHF-AB12-CD34"); its refunds are numbered after it, in the order they were
 * made: "SHF-AB12-CD34-R1", "-R2", ... (by created time, then id).
 * A pending or failed payment has no receipt.
 */
const RECEIPT_NUMBER = /^(SHF-[A-Z0-9]{4}-[A-Z0-9]{4})(?:-R([1-9][0-9]{0,5}))?$/;

export interface ParsedReceiptNumber {
  /** The normalised number (trimmed, upper case). */
  number: string;
  paymentReference: string;
  /** 1-based position of the refund among the payment's refunds; null for the payment itself. */
  refundPosition: number | null;
}

/** Read a receipt number as typed or printed; null when it cannot be one. */
export function parseReceiptNumber(input: string): ParsedReceiptNumber | null {
  const number = input.trim().toUpperCase();
  const match = RECEIPT_NUMBER.exec(number);
  if (!match) return null;
  return { number, paymentReference: match[1]!, refundPosition: match[2] ? Number(match[2]) : null };
}

export function refundReceiptNumber(paymentReference: string, position: number): string {
  return `${paymentReference}-R${position}`;
}

/** The receipt number of a refund, for pages that link to its receipt. */
export async function receiptNumberOfRefund(refundId: string, db: Queryable): Promise<string | null> {
  const [row] = await db
    .select({
      reference: payments.reference,
      position: sql<number>`(
        select count(*)::int from ${refunds} r
        where r.payment_id = ${refunds.paymentId}
          and (r.created_at, r.id) <= (${refunds.createdAt}, ${refunds.id})
      )`,
    })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(eq(refunds.id, refundId), eq(payments.status, "captured")));
  return row ? refundReceiptNumber(row.reference, row.position) : null;
}

/** What stands behind a receipt number, read without any authorisation: callers decide who sees what. */
export interface ReceiptRecord {
  kind: "payment" | "refund";
  number: string;
  payment: Payment;
  refund: Refund | null;
  /** The ledger transaction that recorded it. */
  transaction: LedgerTransaction;
  /** The signed checkpoint that closes that transaction; null until one does. */
  checkpoint: LedgerCheckpoint | null;
}

export async function findReceipt(input: string, db: Queryable): Promise<ReceiptRecord | null> {
  const parsed = parseReceiptNumber(input);
  if (!parsed) return null;
  const [payment] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.reference, parsed.paymentReference), eq(payments.status, "captured")));
  if (!payment) return null;

  let refund: Refund | null = null;
  if (parsed.refundPosition !== null) {
    const [found] = await db
      .select()
      .from(refunds)
      .where(eq(refunds.paymentId, payment.id))
      .orderBy(asc(refunds.createdAt), asc(refunds.id))
      .limit(1)
      .offset(parsed.refundPosition - 1);
    if (!found) return null;
    refund = found;
  }

  const [transaction] = await db
    .select()
    .from(ledgerTransactions)
    .where(
      refund
        ? and(eq(ledgerTransactions.referenceType, "refund"), eq(ledgerTransactions.referenceId, refund.id))
        : and(
            eq(ledgerTransactions.referenceType, "payment"),
            eq(ledgerTransactions.referenceId, payment.id),
            eq(ledgerTransactions.kind, "payment_captured"),
          ),
    )
    .orderBy(asc(ledgerTransactions.seq))
    .limit(1);
  // Captures and refunds post their ledger transaction in the same database
  // transaction: a missing one means the data is damaged, not a user error.
  if (!transaction) throw new Error(`receipt ${parsed.number}: its ledger transaction is missing`);

  const [checkpoint] = await db
    .select()
    .from(ledgerCheckpoints)
    .where(
      and(
        lte(ledgerCheckpoints.xidFrom, transaction.createdXid),
        gt(ledgerCheckpoints.xidTo, transaction.createdXid),
      ),
    )
    .orderBy(desc(ledgerCheckpoints.id))
    .limit(1);

  return {
    kind: refund ? "refund" : "payment",
    number: parsed.number,
    payment,
    refund,
    transaction,
    checkpoint: checkpoint ?? null,
  };
}

// Receipts are bilingual whatever the reader's language: one fixed `t` per language.
function tIn(lang: Language) {
  return translatorFor(lang);
}

type Bilingual = { ar: string; en: string };

function bilingual(group: "fees" | "methods" | "reasons", value: string): Bilingual {
  const label = (lang: Language) => {
    const t = tIn(lang);
    const key = `receipts.${group}.${value}`;
    return t(key, { defaultValue: t(`receipts.${group}.other`) });
  };
  return { ar: label("ar"), en: label("en") };
}

/** "رسوم وثائق المناقصة" / "Tender document fee" */
export const feeLabel = (feeType: string) => bilingual("fees", feeType);
/** "حوالة بنكية" / "Bank transfer" */
export const methodLabel = (method: string) => bilingual("methods", method);
export const refundReasonLabel = (reason: string) => bilingual("reasons", reason);

/**
 * May this actor hold the receipt? Members of the paying business who can
 * read its billing, or of the agency paid who can read its payments. Both
 * act for that organisation at the moment of asking.
 */
function mayHold(actor: Extract<Actor, { type: "user" }>, payment: Payment): boolean {
  const acting = actor.membership?.organisationId;
  return (
    (acting === payment.payerId && can(actor, "billing:read")) ||
    (acting === payment.payeeId && can(actor, "payments:read"))
  );
}

/**
 * The printable receipt for a captured payment or a refund. Anyone else gets
 * NOT_FOUND, exactly as for a number that does not exist, so a receipt's
 * existence does not leak.
 */
export async function receiptFor(
  actor: Actor,
  number: string,
  db: Queryable,
  options: { baseUrl: string },
): Promise<ReceiptDocument> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const record = await findReceipt(number, db);
  if (!record || !mayHold(actor, record.payment)) throw new AppError("NOT_FOUND");
  const { payment, refund, transaction, checkpoint } = record;

  const [payer, payee] = await Promise.all(
    [payment.payerId, payment.payeeId].map((id) =>
      db.query.organisations.findFirst({ where: eq(organisations.id, id) }),
    ),
  );
  if (!payer || !payee) throw new Error(`receipt ${record.number}: an organisation is missing`);

  const reason = refund
    ? (() => {
        const label = refundReasonLabel(refund.reason);
        const note = refund.note?.trim();
        return note ? { ar: `${label.ar}: ${note}`, en: `${label.en}: ${note}` } : label;
      })()
    : null;

  return {
    kind: record.kind,
    number: record.number,
    issuedAt: refund ? refund.createdAt : (payment.capturedAt ?? transaction.createdAt),
    payer: { nameAr: payer.nameAr, nameEn: payer.nameEn, registrationNumber: payer.registrationNumber },
    payee: { nameAr: payee.nameAr, nameEn: payee.nameEn },
    feeLabel: feeLabel(payment.feeType),
    amount: toDecimalString({ amount: refund ? refund.amount : payment.amount, currency: payment.currency }),
    currency: payment.currency,
    method: methodLabel(refund ? refund.method : payment.method),
    reason,
    paymentReference: payment.reference,
    ledgerTransactionId: transaction.id,
    ledgerContentHash: transaction.contentHash,
    checkpoint: checkpoint
      ? { id: checkpoint.id.toString(), hash: checkpoint.hash, createdAt: checkpoint.createdAt }
      : null,
    verifyUrl: `${options.baseUrl.replace(/\/+$/, "")}/verify/receipt/${encodeURIComponent(record.number)}`,
  };
}
