import { and, eq } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { parseAmount } from "#app/modules/ledger/money.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { payments, REFUND_REASONS, type Refund } from "#db/schema/index.ts";
import { financeAgencyOf } from "./agency-scope.server.ts";
import { refundPayment } from "./payment-ledger.server.ts";
import { providerError } from "./start-card-payment.server.ts";
import type { CardPayments } from "./stripe-client.server.ts";

/**
 * A finance officer refunds part or all of a payment, with a reason. A card
 * payment goes back through Stripe (our key on the call, so a retried click
 * refunds once; Stripe's answer carries the key back for the webhook); a
 * transfer or counter payment is refunded by the agency's bank and recorded
 * here with the transfer's reference. Either way the ledger entry follows.
 */
export async function issueRefund(
  input: {
    actor: Actor;
    paymentId: string;
    amount: string;
    reason: string;
    note?: string;
    bankReference?: string;
    /** From the form: the same submission twice refunds once. */
    idempotencyKey: string;
    ip?: string | null;
  },
  deps: { db: Db; card: CardPayments | null },
): Promise<Refund> {
  const { agency, userId } = await financeAgencyOf(input.actor, "payments:reconcile", deps.db);
  const payment = await deps.db.query.payments.findFirst({
    where: and(eq(payments.id, input.paymentId), eq(payments.payeeId, agency.id)),
  });
  if (!payment) throw new AppError("NOT_FOUND");
  if (!REFUND_REASONS.includes(input.reason as (typeof REFUND_REASONS)[number]))
    throw new AppError("VALIDATION", {}, { field: "reason" });
  const reason = input.reason as (typeof REFUND_REASONS)[number];
  const note = input.note?.trim().slice(0, 500) || undefined;
  if (reason === "other" && !note) throw new AppError("REASON_REQUIRED", {}, { field: "note" });
  const amount = parseAmount(input.amount, payment.currency);
  if (amount === null || amount <= 0n) throw new AppError("AMOUNT_INVALID", {}, { field: "amount" });
  if (!/^[\w-]{16,100}$/.test(input.idempotencyKey)) throw new AppError("VALIDATION");
  if (payment.status !== "captured") throw new AppError("PAYMENT_NOT_CAPTURED");
  const left = payment.capturedAmount - payment.refundedAmount;
  if (amount > left)
    throw new AppError("REFUND_EXCEEDS_CAPTURED", { left: left.toString() }, { field: "amount" });
  const actor = { userId, ip: input.ip ?? null };
  const key = `refund:${payment.id}:${input.idempotencyKey}`;

  if (payment.method === "stripe") {
    if (!deps.card || !payment.providerReference) throw new AppError("CARD_PAYMENTS_UNAVAILABLE");
    const refund = await deps.card.stripe.refunds
      .create(
        {
          payment_intent: payment.providerReference,
          amount: Number(amount),
          reason: reason === "duplicate_payment" ? "duplicate" : "requested_by_customer",
          metadata: { refund_key: key, reason, payment_id: payment.id },
        },
        { idempotencyKey: key },
      )
      .catch(providerError);
    return refundPayment(
      {
        paymentId: payment.id,
        amount,
        reason,
        note,
        method: "stripe",
        providerReference: refund.id,
        idempotencyKey: key,
        actor,
      },
      deps.db,
    );
  }
  const bankReference = input.bankReference?.trim() ?? "";
  if (bankReference.length < 2 || bankReference.length > 100)
    throw new AppError("VALIDATION", {}, { field: "bankReference" });
  return refundPayment(
    {
      paymentId: payment.id,
      amount,
      reason,
      note,
      method: "bank_transfer",
      providerReference: bankReference,
      idempotencyKey: key,
      actor,
    },
    deps.db,
  );
}
