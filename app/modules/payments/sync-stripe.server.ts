import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type Payment, payments, refunds, stripeEvents } from "#db/schema/index.ts";
import { capturePayment, refundPayment } from "./payment-ledger.server.ts";
import type { CardPayments } from "./stripe-client.server.ts";

/**
 * Stripe webhooks: an event is only a hint that something changed. It is
 * verified and recorded once (its id is the key), then a job reads the
 * object's *current* state from Stripe and applies it. So duplicates are
 * ignored, the order of delivery does not matter (a late "session completed"
 * after the refund finds the payment already captured), and the endpoint
 * answers at once.
 */

const SYSTEM = { userId: null, ip: null };

/** Verify the signature on the raw body and record the event once. */
export async function receiveStripeWebhook(
  input: { rawBody: Buffer; signature: string | null },
  deps: { db: Db; card: CardPayments },
): Promise<{ eventId: string; duplicate: boolean }> {
  let event: Stripe.Event;
  try {
    event = deps.card.stripe.webhooks.constructEvent(
      input.rawBody,
      input.signature ?? "",
      deps.card.webhookSecret,
    );
  } catch (e) {
    throw new AppError("WEBHOOK_SIGNATURE_INVALID", {}, { cause: e });
  }
  const object = event.data.object as { id?: string };
  const inserted = await deps.db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type, objectId: object.id ?? null })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  return { eventId: event.id, duplicate: inserted.length === 0 };
}

/** Apply recorded events not applied yet, oldest first; a failure is retried on the next run. */
export async function processStripeEvents(
  deps: { db: Db; card: CardPayments },
  limit = 100,
): Promise<{ applied: number; failed: number }> {
  let applied = 0;
  let failed = 0;
  const pending = await deps.db
    .select()
    .from(stripeEvents)
    .where(and(isNull(stripeEvents.processedAt), sql`${stripeEvents.attempts} < 20`))
    .orderBy(asc(stripeEvents.receivedAt))
    .limit(limit);
  for (const event of pending) {
    try {
      await applyEvent(event.type, event.objectId, deps);
      await deps.db
        .update(stripeEvents)
        .set({ processedAt: new Date(), attempts: sql`${stripeEvents.attempts} + 1`, lastError: null })
        .where(eq(stripeEvents.id, event.id));
      applied++;
    } catch (e) {
      failed++;
      await deps.db
        .update(stripeEvents)
        .set({
          attempts: sql`${stripeEvents.attempts} + 1`,
          lastError: String((e as Error).message).slice(0, 500),
        })
        .where(eq(stripeEvents.id, event.id));
    }
  }
  return { applied, failed };
}

async function applyEvent(type: string, objectId: string | null, deps: { db: Db; card: CardPayments }) {
  if (!objectId) return;
  const { stripe } = deps.card;
  if (type.startsWith("checkout.session.")) {
    await applyCheckoutSession(await stripe.checkout.sessions.retrieve(objectId), deps);
  } else if (type.startsWith("payment_intent.")) {
    await applyPaymentIntent(await stripe.paymentIntents.retrieve(objectId), deps);
  } else if (type.startsWith("refund.") || type === "charge.refund.updated") {
    await applyRefund(await stripe.refunds.retrieve(objectId), deps);
  } else if (type.startsWith("charge.")) {
    const charge = await stripe.charges.retrieve(objectId);
    const intentId =
      typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
    if (!intentId) return;
    await applyPaymentIntent(await stripe.paymentIntents.retrieve(intentId), deps);
    if (charge.amount_refunded > 0)
      for await (const refund of stripe.refunds.list({ payment_intent: intentId, limit: 100 }))
        await applyRefund(refund, deps);
  }
}

async function paymentNamed(db: Db, metadata: Stripe.Metadata | null): Promise<Payment | undefined> {
  const id = metadata?.payment_id;
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return db.query.payments.findFirst({ where: eq(payments.id, id) });
}

/** A Checkout Session as Stripe has it now: paid → the payment is captured; expired → a new session may start. */
export async function applyCheckoutSession(
  session: Stripe.Checkout.Session,
  deps: { db: Db; card: CardPayments },
) {
  if (session.payment_status === "paid" && session.payment_intent) {
    const intentId =
      typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent.id;
    await applyPaymentIntent(await deps.card.stripe.paymentIntents.retrieve(intentId), deps);
  } else if (session.status === "expired") {
    const payment = await paymentNamed(deps.db, session.metadata);
    if (payment?.status === "pending" && payment.stripeSessionId === session.id)
      await deps.db
        .update(payments)
        .set({ stripeSessionId: null })
        .where(and(eq(payments.id, payment.id), eq(payments.stripeSessionId, session.id)));
  }
}

/** A PaymentIntent that succeeded captures its payment, once, if amount and currency are the ones due. */
export async function applyPaymentIntent(intent: Stripe.PaymentIntent, deps: { db: Db; card: CardPayments }) {
  if (intent.status !== "succeeded") return;
  const payment = await paymentNamed(deps.db, intent.metadata);
  if (!payment) return;
  const received = BigInt(intent.amount_received || intent.amount);
  if (received !== payment.amount || intent.currency !== payment.currency.toLowerCase())
    throw new Error(
      `payment ${payment.id}: Stripe received ${received} ${intent.currency}, not the amount due`,
    );
  if (payment.status === "pending") {
    await capturePayment(
      { paymentId: payment.id, providerReference: intent.id, method: "stripe", actor: SYSTEM },
      deps.db,
    );
  } else if (payment.status === "captured" && payment.providerReference !== intent.id) {
    // Paid twice (say, by transfer and then by card): keep the money visible for the finance officer to refund.
    await deps.db.transaction((tx) =>
      recordAudit(tx, {
        actorUserId: null,
        organisationId: payment.payeeId,
        action: "payment.paid_twice",
        objectType: "payment",
        objectId: payment.id,
        details: { stripePaymentIntent: intent.id, amount: received.toString() },
      }),
    );
  }
}

const REASONS = new Set(["tender_cancelled", "complaint_upheld", "duplicate_payment", "other"]);

/**
 * A refund as Stripe has it now. One we asked for is already recorded (its
 * key comes back in the metadata); one made in Stripe's dashboard, or whose
 * recording was interrupted, is recorded here so the ledger matches Stripe.
 */
export async function applyRefund(refund: Stripe.Refund, deps: { db: Db; card: CardPayments }) {
  if (refund.status !== "succeeded" && refund.status !== "pending") return;
  const known = await deps.db.query.refunds.findFirst({ where: eq(refunds.providerReference, refund.id) });
  if (known) return;
  const intentId =
    typeof refund.payment_intent === "string" ? refund.payment_intent : refund.payment_intent?.id;
  if (!intentId) return;
  const intent = await deps.card.stripe.paymentIntents.retrieve(intentId);
  // A refund can be delivered before the payment's own events: a refunded
  // payment was paid, so apply that first.
  await applyPaymentIntent(intent, deps);
  const payment = await paymentNamed(deps.db, intent.metadata);
  if (payment?.status !== "captured") return;
  const reason = REASONS.has(refund.metadata?.reason ?? "") ? refund.metadata!.reason : "other";
  await refundPayment(
    {
      paymentId: payment.id,
      amount: BigInt(refund.amount),
      reason: reason as "other",
      method: "stripe",
      providerReference: refund.id,
      idempotencyKey: refund.metadata?.refund_key || `stripe:${refund.id}`,
      actor: SYSTEM,
    },
    deps.db,
  );
}
