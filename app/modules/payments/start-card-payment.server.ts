import { and, eq, isNull, or } from "drizzle-orm";
import Stripe from "stripe";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { payments } from "#db/schema/index.ts";
import { type CardPayments, cardAmountAllowed, stripeCurrency } from "./stripe-client.server.ts";
import { applyCheckoutSession } from "./sync-stripe.server.ts";

/** Stripe's own trouble (unreachable, overloaded, our key refused) is not the payer's fault. */
export function providerError(e: unknown): never {
  if (e instanceof Stripe.errors.StripeError && !(e instanceof Stripe.errors.StripeCardError))
    throw new AppError("PAYMENT_PROVIDER_UNAVAILABLE", {}, { cause: e });
  throw e;
}

/**
 * Send the payer to Stripe Checkout for a pending payment and return the
 * address to go to. A second click while a session is open returns the same
 * session; after one expired, a new one. Every Stripe call carries our
 * idempotency key, derived from the payment and the session it replaces, so a
 * retried request never creates a second session.
 */
export async function startCardPayment(
  input: { actor: Actor; paymentId: string; baseUrl: string; productName: string },
  deps: { db: Db; card: CardPayments | null },
): Promise<{ url: string }> {
  assertCan(input.actor, "payments:pay");
  const { db, card } = deps;
  const payment = await db.query.payments.findFirst({
    where: and(
      eq(payments.id, input.paymentId),
      eq(payments.payerId, input.actor.membership!.organisationId),
    ),
  });
  if (!payment) throw new AppError("NOT_FOUND");
  const billingUrl = `${input.baseUrl}/billing/payments/${payment.id}`;
  if (payment.status !== "pending") throw new AppError("PAYMENT_NOT_PENDING");
  if (!card || !cardAmountAllowed(payment.amount, payment.currency))
    throw new AppError("CARD_PAYMENTS_UNAVAILABLE");

  const previous = payment.stripeSessionId;
  if (previous) {
    const session = await card.stripe.checkout.sessions.retrieve(previous).catch(providerError);
    if (session.status === "open" && session.url) return { url: session.url };
    if (session.status === "complete") {
      await applyCheckoutSession(session, { db, card });
      return { url: `${billingUrl}?notice=cardPaid` };
    }
  }
  const metadata = { payment_id: payment.id, reference: payment.reference };
  const session = await card.stripe.checkout.sessions
    .create(
      {
        mode: "payment",
        client_reference_id: payment.id,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: stripeCurrency(payment.currency),
              unit_amount: Number(payment.amount),
              product_data: { name: `${input.productName} – ${payment.reference}` },
            },
          },
        ],
        metadata,
        payment_intent_data: { metadata, description: payment.reference },
        customer_email: input.actor.type === "user" ? input.actor.email : undefined,
        success_url: `${billingUrl}?notice=cardReturned`,
        cancel_url: billingUrl,
      },
      { idempotencyKey: `checkout:${payment.id}:${previous ?? "first"}` },
    )
    .catch(providerError);
  // Only replace the session we looked at: two clicks at once agree on one session anyway (same key).
  await db
    .update(payments)
    .set({ stripeSessionId: session.id })
    .where(
      and(
        eq(payments.id, payment.id),
        previous
          ? eq(payments.stripeSessionId, previous)
          : or(isNull(payments.stripeSessionId), eq(payments.stripeSessionId, session.id)),
      ),
    );
  if (!session.url) throw new AppError("PAYMENT_PROVIDER_UNAVAILABLE");
  return { url: session.url };
}
