import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, type FakeStripe, signedWebhook, startFakeStripe } from "#tests/fakes/stripe-api.ts";

const WEBHOOK_SECRET = "whsec_test_fake_secret";
const T0 = 1_800_000_000;

let clock = T0;
let fake: FakeStripe;
let stripe: Stripe;

beforeAll(async () => {
  fake = await startFakeStripe({ now: () => clock });
  stripe = fake.client();
});

afterAll(async () => {
  await fake.close();
});

function sessionParams(
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [
      {
        price_data: {
          currency: "kwd",
          unit_amount: 12_500,
          product_data: { name: "Tender document T-2026-17" },
        },
        quantity: 2,
      },
    ],
    success_url: "https://shafaf.test/payments/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "https://shafaf.test/payments/cancel",
    client_reference_id: "payment-1",
    customer_email: "buyer@example.com",
    locale: "en",
    metadata: { payment_id: "payment-1" },
    payment_intent_data: { metadata: { payment_id: "payment-1" }, description: "Tender document fee" },
    ...overrides,
  };
}

async function paidSession(amount = 12_500, quantity = 2) {
  const session = await stripe.checkout.sessions.create(
    sessionParams({
      line_items: [
        { price_data: { currency: "kwd", unit_amount: amount, product_data: { name: "Fee" } }, quantity },
      ],
    }),
  );
  return fake.completeCheckout(session.id);
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Stripe.errors.StripeError);
    return error as Stripe.errors.StripeError;
  }
  throw new Error("expected the Stripe call to fail");
}

describe("Checkout Sessions", () => {
  it("creates an open, unpaid session and replays it for the same idempotency key", async () => {
    const before = fake.sessions.size;
    const first = await stripe.checkout.sessions.create(sessionParams(), {
      idempotencyKey: "create-payment-1",
    });
    const second = await stripe.checkout.sessions.create(sessionParams(), {
      idempotencyKey: "create-payment-1",
    });

    expect(second.id).toBe(first.id);
    expect(fake.sessions.size).toBe(before + 1);
    expect(first).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: 25_000,
      currency: "kwd",
      client_reference_id: "payment-1",
      customer_email: "buyer@example.com",
      metadata: { payment_id: "payment-1" },
      payment_intent: null,
    });
    expect(first.id).toMatch(/^cs_test_/);
    expect(first.url).toBe(`${fake.url}/c/pay/${first.id}`);
    expect(first.expires_at).toBe(T0 + 24 * 60 * 60);

    const [created, replayed] = fake.requests.filter((r) => r.idempotencyKey === "create-payment-1");
    expect(created).toMatchObject({
      method: "POST",
      path: "/v1/checkout/sessions",
      status: 200,
      replayed: false,
    });
    expect(replayed).toMatchObject({ status: 200, replayed: true });
    expect(created!.stripeVersion).toBe(Stripe.API_VERSION);
    // What the SDK sent, decoded from its bracket notation.
    expect(created!.body).toMatchObject({
      line_items: [{ price_data: { currency: "kwd", unit_amount: "12500" }, quantity: "2" }],
      metadata: { payment_id: "payment-1" },
      payment_intent_data: { metadata: { payment_id: "payment-1" } },
    });
  });

  it("refuses the same idempotency key with different parameters", async () => {
    await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "create-payment-2" });
    const size = fake.sessions.size;
    const error = await rejection(
      stripe.checkout.sessions.create(sessionParams({ client_reference_id: "payment-other" }), {
        idempotencyKey: "create-payment-2",
      }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain("create-payment-2");
    expect(fake.sessions.size).toBe(size);
  });

  it("rejects KWD amounts whose last digit is not 0, unknown parameters and unsupported locales", async () => {
    const kwd = await rejection(
      stripe.checkout.sessions.create(
        sessionParams({
          line_items: [
            {
              price_data: { currency: "kwd", unit_amount: 1_255, product_data: { name: "Fee" } },
              quantity: 1,
            },
          ],
        }),
      ),
    );
    expect(kwd).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(kwd.code).toBe("invalid_charge_amount");
    expect(kwd.param).toBe("line_items[0][price_data][unit_amount]");

    const unknown = await rejection(
      stripe.checkout.sessions.create({
        ...sessionParams(),
        colour: "blue",
      } as Stripe.Checkout.SessionCreateParams),
    );
    expect(unknown).toMatchObject({ code: "parameter_unknown", param: "colour" });

    // Stripe Checkout has no Arabic locale.
    const locale = await rejection(stripe.checkout.sessions.create(sessionParams({ locale: "ar" as "en" })));
    expect(locale).toMatchObject({ param: "locale", statusCode: 400 });

    const missing = await rejection(
      stripe.checkout.sessions.create(sessionParams({ line_items: undefined })),
    );
    expect(missing).toMatchObject({ code: "parameter_missing", param: "line_items" });
  });

  it("completes a session: paid, with the PaymentIntent, charge and balance transaction", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const { events, charge, balanceTransaction } = fake.completeCheckout(session.id);
    expect(events.map((e) => e.type)).toEqual([
      "checkout.session.completed",
      "payment_intent.succeeded",
      "charge.succeeded",
    ]);
    const completed = events[0]!.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({
      id: session.id,
      status: "complete",
      payment_status: "paid",
      url: null,
    });
    expect(typeof completed.payment_intent).toBe("string");

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ["payment_intent.latest_charge"],
    });
    expect(retrieved).toMatchObject({ status: "complete", payment_status: "paid", amount_total: 25_000 });
    const intent = retrieved.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      object: "payment_intent",
      status: "succeeded",
      amount: 25_000,
      amount_received: 25_000,
      currency: "kwd",
      // payment_intent_data[metadata] reaches the PaymentIntent; session metadata does not.
      metadata: { payment_id: "payment-1" },
      description: "Tender document fee",
    });
    expect(intent.id).toMatch(/^pi_/);
    const latest = intent.latest_charge as Stripe.Charge;
    expect(latest).toMatchObject({
      id: charge.id,
      object: "charge",
      status: "succeeded",
      paid: true,
      amount: 25_000,
    });
    expect(latest.balance_transaction).toBe(balanceTransaction.id);

    const viaIntent = await stripe.paymentIntents.retrieve(intent.id, {
      expand: ["latest_charge.balance_transaction"],
    });
    const transaction = (viaIntent.latest_charge as Stripe.Charge)
      .balance_transaction as Stripe.BalanceTransaction;
    expect(transaction).toMatchObject({
      object: "balance_transaction",
      type: "charge",
      reporting_category: "charge",
      amount: 25_000,
      currency: "kwd",
      source: charge.id,
    });
    expect(transaction.id).toMatch(/^txn_/);
    expect(transaction.fee).toBeGreaterThan(0);
    expect(transaction.fee % 10).toBe(0);
    expect(transaction.net).toBe(transaction.amount - transaction.fee);

    const event = await stripe.events.retrieve(events[2]!.id);
    expect(event).toMatchObject({ type: "charge.succeeded", data: { object: { id: charge.id } } });
  });

  it("keeps a session open after a declined card, then completes it on the same PaymentIntent", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const failed = fake.failPayment(session.id);
    expect(failed.events.map((e) => e.type)).toEqual(["payment_intent.payment_failed", "charge.failed"]);
    expect(failed.paymentIntent.last_payment_error).toMatchObject({
      code: "card_declined",
      type: "card_error",
    });
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

    const paid = fake.completeCheckout(session.id);
    expect(paid.paymentIntent.id).toBe(failed.paymentIntent.id);
    expect(paid.paymentIntent.latest_charge).toBe(paid.charge.id);
  });

  it("expires sessions, by control or through the API", async () => {
    const a = await stripe.checkout.sessions.create(sessionParams());
    const { events } = fake.expireCheckout(a.id);
    expect(events.map((e) => e.type)).toEqual(["checkout.session.expired"]);
    expect(events[0]!.data.object).toMatchObject({ status: "expired", url: null });

    const b = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(b.id);
    expect(expired.status).toBe("expired");
    const again = await rejection(stripe.checkout.sessions.expire(b.id));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(() => fake.completeCheckout(b.id)).toThrow(/expired/);

    const missing = await rejection(stripe.checkout.sessions.retrieve("cs_test_missing"));
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});

describe("Refunds", () => {
  it("refunds in parts, then refuses more than what remains", async () => {
    const { paymentIntent, charge } = await paidSession(10_000, 1);
    const first = await stripe.refunds.create(
      {
        payment_intent: paymentIntent.id,
        amount: 3_000,
        reason: "requested_by_customer",
        metadata: { refund_id: "r1" },
      },
      { idempotencyKey: "refund-r1" },
    );
    expect(first).toMatchObject({
      object: "refund",
      status: "succeeded",
      amount: 3_000,
      currency: "kwd",
      charge: charge.id,
      payment_intent: paymentIntent.id,
      metadata: { refund_id: "r1" },
    });
    expect(first.id).toMatch(/^re_/);
    // A retried refund request is a replay, not a second refund.
    const retried = await stripe.refunds.create(
      {
        payment_intent: paymentIntent.id,
        amount: 3_000,
        reason: "requested_by_customer",
        metadata: { refund_id: "r1" },
      },
      { idempotencyKey: "refund-r1" },
    );
    expect(retried.id).toBe(first.id);

    await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 5_000 });
    const tooMuch = await rejection(
      stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 2_010 }),
    );
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch.param).toBe("amount");
    expect(tooMuch.message).toMatch(/greater than unrefunded amount on charge/);

    const kwd = await rejection(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1_005 }));
    expect(kwd.code).toBe("invalid_charge_amount");

    const retrieved = await stripe.refunds.retrieve(first.id, { expand: ["balance_transaction"] });
    expect(retrieved.balance_transaction).toMatchObject({
      type: "refund",
      reporting_category: "refund",
      amount: -3_000,
      fee: 0,
      net: -3_000,
      source: first.id,
    });
    expect(fake.charges.get(charge.id)).toMatchObject({ amount_refunded: 8_000, refunded: false });

    // The rest, without an amount, then nothing is left.
    const rest = await stripe.refunds.create({ payment_intent: paymentIntent.id });
    expect(rest.amount).toBe(2_000);
    expect(fake.charges.get(charge.id)).toMatchObject({ amount_refunded: 10_000, refunded: true });
    const done = await rejection(stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 10 }));
    expect(done.code).toBe("charge_already_refunded");

    const refundEvents = fake.events.filter((e) => e.type === "refund.created");
    expect(refundEvents.some((e) => e.request?.idempotency_key === "refund-r1")).toBe(true);
  });

  it("refuses to refund an unpaid session's PaymentIntent", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const { paymentIntent } = fake.failPayment(session.id);
    const error = await rejection(stripe.refunds.create({ payment_intent: paymentIntent.id }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const missing = await rejection(stripe.refunds.create({ payment_intent: "pi_missing" }));
    expect(missing.code).toBe("resource_missing");
  });
});

describe("Balance transactions", () => {
  it("lists newest first, with cursors, filters and the SDK's auto-pagination", async () => {
    clock = T0 + 10_000;
    const since = clock;
    const { paymentIntent } = await paidSession(5_000, 1);
    clock += 60;
    await paidSession(7_000, 1);
    clock += 60;
    await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1_000 });

    const firstPage = await stripe.balanceTransactions.list({ limit: 2, created: { gte: since } });
    expect(firstPage.object).toBe("list");
    expect(firstPage.has_more).toBe(true);
    expect(firstPage.data.map((t) => t.type)).toEqual(["refund", "charge"]);
    expect(firstPage.data[1]!.amount).toBe(7_000);
    const secondPage = await stripe.balanceTransactions.list({
      limit: 2,
      created: { gte: since },
      starting_after: firstPage.data[1]!.id,
    });
    expect(secondPage.has_more).toBe(false);
    expect(secondPage.data.map((t) => t.amount)).toEqual([5_000]);

    const all = await stripe.balanceTransactions
      .list({ limit: 1, created: { gte: since } })
      .autoPagingToArray({ limit: 10 });
    expect(all.map((t) => t.amount)).toEqual([-1_000, 7_000, 5_000]);

    const refunds = await stripe.balanceTransactions.list({ type: "refund", created: { gte: since } });
    expect(refunds.data.map((t) => t.amount)).toEqual([-1_000]);

    const one = await stripe.balanceTransactions.retrieve(all[0]!.id, { expand: ["source"] });
    expect((one.source as Stripe.Refund).object).toBe("refund");
  });
});

describe("Authentication and routing", () => {
  it("rejects a wrong API key as Stripe does", async () => {
    const error = await rejection(
      fake.client("sk_test_wrong_key_1234").checkout.sessions.create(sessionParams()),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);
  });

  it("answers 404 for endpoints it does not implement", async () => {
    const error = await rejection(stripe.customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
  });
});

describe("signedWebhook", () => {
  it("signs events that the SDK verifies, and only untampered, fresh ones", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const [completed] = fake.completeCheckout(session.id).events;
    const { body, signature } = signedWebhook(completed!, WEBHOOK_SECRET);

    const event = stripe.webhooks.constructEvent(body, signature, WEBHOOK_SECRET);
    expect(event).toMatchObject({ id: completed!.id, type: "checkout.session.completed" });

    const tampered = body.replace('"payment_status": "paid"', '"payment_status": "unpaid"');
    expect(tampered).not.toBe(body);
    expect(() => stripe.webhooks.constructEvent(tampered, signature, WEBHOOK_SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    // Verifying a re-serialised body instead of the raw one fails too.
    expect(() =>
      stripe.webhooks.constructEvent(JSON.stringify(JSON.parse(body)), signature, WEBHOOK_SECRET),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(body, signature, "whsec_other")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );

    const stale = signedWebhook(completed!, WEBHOOK_SECRET, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(() => stripe.webhooks.constructEvent(stale.body, stale.signature, WEBHOOK_SECRET)).toThrow(
      /Timestamp outside the tolerance zone/,
    );
    const recent = signedWebhook(completed!, WEBHOOK_SECRET, {
      timestamp: Math.floor(Date.now() / 1000) - 200,
    });
    expect(stripe.webhooks.constructEvent(recent.body, recent.signature, WEBHOOK_SECRET).id).toBe(
      completed!.id,
    );
  });
});

describe("hosted checkout page and webhook delivery", () => {
  it("pays from the page, delivers the signed events through onEvents, then redirects to success_url", async () => {
    const received: Stripe.Event[] = [];
    const endpoint = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        try {
          const body = Buffer.concat(chunks).toString("utf8");
          received.push(
            stripe.webhooks.constructEvent(body, req.headers["stripe-signature"]!, WEBHOOK_SECRET),
          );
          res.writeHead(200).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    const endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/webhooks/stripe`;
    const delivering = await startFakeStripe({
      onEvents: async (events) => {
        for (const event of events) await deliverWebhook(endpointUrl, event, WEBHOOK_SECRET);
      },
    });
    try {
      const session = await delivering.client().checkout.sessions.create(sessionParams());
      const page = await fetch(session.url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("KWD 25.000");

      const paid = await fetch(`${session.url}/pay`, { method: "POST", redirect: "manual" });
      expect(paid.status).toBe(303);
      expect(paid.headers.get("location")).toBe(
        `https://shafaf.test/payments/success?session_id=${session.id}`,
      );
      expect(received.map((e) => e.type)).toEqual([
        "checkout.session.completed",
        "payment_intent.succeeded",
        "charge.succeeded",
      ]);
      expect(received.map((e) => e.id)).toEqual(delivering.events.map((e) => e.id));
      expect((await deliverWebhook(endpointUrl, received[0]!, "whsec_wrong")).status).toBe(400);
    } finally {
      await delivering.close();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });
});
