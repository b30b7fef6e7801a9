import { eq } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { type Payment, payments, type Refund, type RefundReason, refunds } from "#db/schema/index.ts";
import { refundPayment } from "./payment-ledger.server.ts";
import { providerError } from "./start-card-payment.server.ts";
import type { CardPayments } from "./stripe-client.server.ts";

/**
 * A refund the platform makes by rule, not by a finance officer's hand: an
 * upheld complaint's fee, the document fees of a cancelled tender. What is
 * left of the payment goes back in full, once per `key`:
 *
 * - asked again with the same key, it returns the refund already made (or
 *   null when nothing is left), so running a cancellation twice refunds once;
 * - a card payment goes back through Stripe with `key` as its idempotency key
 *   (and as `refund_key` in the metadata, which the webhook recognises), so a
 *   retry after a failure never refunds twice;
 * - a transfer or counter payment is recorded for the agency's bank to pay out
 *   (no bank reference yet; the finance officer sees it among the refunds).
 */
export async function refundAutomatically(
  input: {
    payment: Payment;
    reason: RefundReason;
    key: string;
    note?: string;
    actor: { userId: string | null; ip?: string | null };
  },
  deps: { db: Queryable; card: CardPayments | null },
): Promise<Refund | null> {
  const [already] = await deps.db.select().from(refunds).where(eq(refunds.idempotencyKey, input.key));
  if (already) return already;
  const [payment] = await deps.db.select().from(payments).where(eq(payments.id, input.payment.id));
  if (payment?.status !== "captured") return null;
  const left = payment.capturedAmount - payment.refundedAmount;
  if (left <= 0n) return null;
  if (payment.method === "stripe") {
    if (!deps.card || !payment.providerReference) throw new AppError("CARD_PAYMENTS_UNAVAILABLE");
    const refund = await deps.card.stripe.refunds
      .create(
        {
          payment_intent: payment.providerReference,
          amount: Number(left),
          reason: "requested_by_customer",
          metadata: { refund_key: input.key, reason: input.reason, payment_id: payment.id },
        },
        { idempotencyKey: input.key },
      )
      .catch(providerError);
    return refundPayment(
      {
        paymentId: payment.id,
        amount: left,
        reason: input.reason,
        note: input.note,
        method: "stripe",
        providerReference: refund.id,
        idempotencyKey: input.key,
        actor: input.actor,
      },
      deps.db,
    );
  }
  return refundPayment(
    {
      paymentId: payment.id,
      amount: left,
      reason: input.reason,
      note: input.note,
      method: "bank_transfer",
      providerReference: null,
      idempotencyKey: input.key,
      actor: input.actor,
    },
    deps.db,
  );
}
