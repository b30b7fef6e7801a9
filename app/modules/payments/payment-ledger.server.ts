import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { ensureAccount, postTransaction } from "#app/modules/ledger/post-transaction.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import {
  type BidSecurityHold,
  bidSecurityHolds,
  type Payment,
  payments,
  type Refund,
  refunds,
} from "#db/schema/index.ts";

/**
 * The money movements behind payments, refunds and bid securities. Each one
 * changes its row and posts its ledger transaction in one database
 * transaction, with an audit event. Signs: positive is a debit.
 *
 *   capture   business_payments(payer) +A   agency_revenue(payee, fee) −A
 *   refund    agency_revenue(payee, fee) +R  business_payments(payer) −R
 *   hold      business_payments(business) +H  bid_security_escrow(agency) −H
 *   release   bid_security_escrow(agency) +H  business_payments(business) −H
 *   forfeit   bid_security_escrow(agency) +H  agency_revenue(agency, bid_security_forfeit) −H
 *
 * Authorisation (who may record a receipt, who may refund) is checked by the
 * use cases that call these, in the payments pages and webhooks.
 */

type Actor = { userId: string | null; ip?: string | null };

/** A human-friendly payment reference for bank transfers and counters: "SHF-" and two groups of four letters or digits. */
export function newPaymentReference(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
  return `SHF-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export async function openPayment(
  input: {
    payerId: string;
    payeeId: string;
    feeType: string;
    currency: string;
    amount: bigint;
    method: string;
  },
  db: Db | Tx,
): Promise<Payment> {
  const [payment] = await db
    .insert(payments)
    .values({ ...input, reference: newPaymentReference() })
    .returning();
  return payment!;
}

/** The payer's account and the payee's revenue account for this fee. */
async function paymentAccounts(db: Db | Tx, payment: Payment): Promise<{ payer: string; revenue: string }> {
  const payer = await ensureAccount(db, {
    organisationId: payment.payerId,
    purpose: "business_payments",
    currency: payment.currency,
  });
  const revenue = await ensureAccount(db, {
    organisationId: payment.payeeId,
    purpose: "agency_revenue",
    feeType: payment.feeType,
    currency: payment.currency,
  });
  return { payer, revenue };
}

/** Money received: the payment is captured (once) and the agency's revenue recognised. */
export async function capturePayment(
  input: { paymentId: string; providerReference?: string; method?: Payment["method"]; actor: Actor },
  db: Db | Tx,
): Promise<Payment> {
  return db.transaction(async (tx) => {
    const [payment] = await tx
      .update(payments)
      .set({
        status: "captured",
        capturedAmount: sql`${payments.amount}`,
        capturedAt: sql`now()`,
        providerReference: input.providerReference ?? null,
        ...(input.method ? { method: input.method } : {}),
      })
      .where(and(eq(payments.id, input.paymentId), eq(payments.status, "pending")))
      .returning();
    if (!payment) {
      const existing = await tx.query.payments.findFirst({ where: eq(payments.id, input.paymentId) });
      if (existing?.status === "captured") return existing; // a repeated notice changes nothing
      throw new AppError("NOT_FOUND");
    }
    const { payer, revenue } = await paymentAccounts(tx, payment);
    await postTransaction(
      {
        idempotencyKey: `payment:${payment.id}:capture`,
        kind: "payment_captured",
        reference: { type: "payment", id: payment.id },
        postings: [
          { accountId: payer, amount: payment.amount },
          { accountId: revenue, amount: -payment.amount },
        ],
      },
      tx,
    );
    await recordAudit(tx, {
      actorUserId: input.actor.userId,
      organisationId: payment.payeeId,
      action: "payment.captured",
      objectType: "payment",
      objectId: payment.id,
      ip: input.actor.ip ?? null,
      details: { amount: payment.amount.toString(), currency: payment.currency },
    });
    return payment;
  });
}

/**
 * Refund part or all of a captured payment. The payment row is locked, so
 * concurrent refunds queue and the total can never pass what was captured
 * (the database's CHECK says so too). The same idempotency key refunds once.
 */
export async function refundPayment(
  input: {
    paymentId: string;
    amount: bigint;
    reason: Refund["reason"];
    note?: string;
    /** How the money goes back: through Stripe to the card, or by a transfer the agency makes. */
    method?: Refund["method"];
    providerReference?: string | null;
    idempotencyKey: string;
    actor: Actor;
  },
  db: Db | Tx,
): Promise<Refund> {
  if (input.amount <= 0n) throw new AppError("VALIDATION");
  return db.transaction(async (tx) => {
    const [payment] = await tx.select().from(payments).where(eq(payments.id, input.paymentId)).for("update");
    if (!payment) throw new AppError("NOT_FOUND");
    const [already] = await tx.select().from(refunds).where(eq(refunds.idempotencyKey, input.idempotencyKey));
    if (already) {
      if (already.paymentId !== payment.id || already.amount !== input.amount)
        throw new AppError("IDEMPOTENCY_CONFLICT");
      return already;
    }
    if (payment.status !== "captured") throw new AppError("PAYMENT_NOT_CAPTURED");
    const left = payment.capturedAmount - payment.refundedAmount;
    if (input.amount > left) throw new AppError("REFUND_EXCEEDS_CAPTURED", { left: left.toString() });
    const [refund] = await tx
      .insert(refunds)
      .values({
        paymentId: payment.id,
        amount: input.amount,
        reason: input.reason,
        note: input.note ?? null,
        method: input.method ?? "bank_transfer",
        providerReference: input.providerReference ?? null,
        recordedBy: input.actor.userId,
        idempotencyKey: input.idempotencyKey,
      })
      .returning();
    await tx
      .update(payments)
      .set({ refundedAmount: sql`${payments.refundedAmount} + ${input.amount}` })
      .where(eq(payments.id, payment.id));
    const { payer, revenue } = await paymentAccounts(tx, payment);
    await postTransaction(
      {
        idempotencyKey: `refund:${refund!.id}`,
        kind: "refund",
        reference: { type: "refund", id: refund!.id },
        description: input.reason,
        postings: [
          { accountId: revenue, amount: input.amount },
          { accountId: payer, amount: -input.amount },
        ],
      },
      tx,
    );
    await recordAudit(tx, {
      actorUserId: input.actor.userId,
      organisationId: payment.payeeId,
      action: "payment.refunded",
      objectType: "refund",
      objectId: refund!.id,
      ip: input.actor.ip ?? null,
      details: { paymentId: payment.id, amount: input.amount.toString(), reason: input.reason },
    });
    return refund!;
  });
}

export async function holdBidSecurity(
  input: {
    businessId: string;
    agencyId: string;
    currency: string;
    amount: bigint;
    subject: string;
    actor: Actor;
  },
  db: Db | Tx,
): Promise<BidSecurityHold> {
  if (input.amount <= 0n) throw new AppError("VALIDATION");
  return db.transaction(async (tx) => {
    const [hold] = await tx
      .insert(bidSecurityHolds)
      .values({
        businessId: input.businessId,
        agencyId: input.agencyId,
        currency: input.currency,
        amount: input.amount,
        subject: input.subject,
      })
      .returning();
    const business = await ensureAccount(tx, {
      organisationId: input.businessId,
      purpose: "business_payments",
      currency: input.currency,
    });
    const escrow = await ensureAccount(tx, {
      organisationId: input.agencyId,
      purpose: "bid_security_escrow",
      currency: input.currency,
    });
    await postTransaction(
      {
        idempotencyKey: `hold:${hold!.id}`,
        kind: "bid_security_held",
        reference: { type: "bid_security", id: hold!.id },
        postings: [
          { accountId: business, amount: input.amount },
          { accountId: escrow, amount: -input.amount },
        ],
      },
      tx,
    );
    await recordAudit(tx, {
      actorUserId: input.actor.userId,
      organisationId: input.agencyId,
      action: "bid_security.held",
      objectType: "bid_security",
      objectId: hold!.id,
      details: { amount: input.amount.toString(), currency: input.currency, subject: input.subject },
    });
    return hold!;
  });
}

/** Release or forfeit a held security, exactly once: the status change is the lock. */
export async function resolveBidSecurity(
  input: { holdId: string; outcome: "released" | "forfeited"; actor: Actor },
  db: Db | Tx,
): Promise<BidSecurityHold> {
  return db.transaction(async (tx) => {
    const [hold] = await tx
      .update(bidSecurityHolds)
      .set({ status: input.outcome, resolvedAt: sql`now()` })
      .where(and(eq(bidSecurityHolds.id, input.holdId), eq(bidSecurityHolds.status, "held")))
      .returning();
    if (!hold) {
      const exists = await tx.query.bidSecurityHolds.findFirst({
        where: eq(bidSecurityHolds.id, input.holdId),
      });
      throw new AppError(exists ? "HOLD_ALREADY_RESOLVED" : "NOT_FOUND");
    }
    const escrow = await ensureAccount(tx, {
      organisationId: hold.agencyId,
      purpose: "bid_security_escrow",
      currency: hold.currency,
    });
    const counterpart =
      input.outcome === "released"
        ? await ensureAccount(tx, {
            organisationId: hold.businessId,
            purpose: "business_payments",
            currency: hold.currency,
          })
        : await ensureAccount(tx, {
            organisationId: hold.agencyId,
            purpose: "agency_revenue",
            feeType: "bid_security_forfeit",
            currency: hold.currency,
          });
    await postTransaction(
      {
        idempotencyKey: `hold:${hold.id}:${input.outcome}`,
        kind: input.outcome === "released" ? "bid_security_released" : "bid_security_forfeited",
        reference: { type: "bid_security", id: hold.id },
        postings: [
          { accountId: escrow, amount: hold.amount },
          { accountId: counterpart, amount: -hold.amount },
        ],
      },
      tx,
    );
    await recordAudit(tx, {
      actorUserId: input.actor.userId,
      organisationId: hold.agencyId,
      action: `bid_security.${input.outcome}`,
      objectType: "bid_security",
      objectId: hold.id,
      details: { amount: hold.amount.toString(), currency: hold.currency },
    });
    return hold;
  });
}
