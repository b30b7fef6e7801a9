import { eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { ledgerAccounts, ledgerTransactions, payments, refunds, stripeEvents } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { type FakeStripe, signedWebhook, startFakeStripe } from "#tests/fakes/stripe-api.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { issueRefund } from "./issue-refund.server.ts";
import { openPayment } from "./payment-ledger.server.ts";
import { startCardPayment } from "./start-card-payment.server.ts";
import type { CardPayments } from "./stripe-client.server.ts";
import { processStripeEvents, receiveStripeWebhook } from "./sync-stripe.server.ts";

const { db } = testDatabase();
const WEBHOOK_SECRET = "whsec_shafafTestSecret";
let fake: FakeStripe;
let card: CardPayments;
let payerId: string;
let agencyId: string;
let owner: ReturnType<typeof actorOf>;
let officer: ReturnType<typeof actorOf>;

beforeAll(async () => {
  fake = await startFakeStripe();
  card = { stripe: fake.client(), webhookSecret: WEBHOOK_SECRET };
  const business = await createOrganisation(db, businessData({ currency: "KWD" }));
  const agency = await createOrganisation(db, agencyData({ currency: "KWD" }));
  payerId = business.id;
  agencyId = agency.id;
  owner = actorOf(await createUser(db), { organisationId: business.id, kind: "business", roles: ["owner"] });
  officer = actorOf(await createUser(db), {
    organisationId: agency.id,
    kind: "agency",
    roles: ["finance_officer"],
  });
});
afterAll(() => fake.close());

/** A card payment of 12.500 KWD paid through Checkout, then partly refunded by us and in Stripe's dashboard. */
async function paidAndRefundedPayment(): Promise<{ paymentId: string; events: Stripe.Event[] }> {
  const payment = await openPayment(
    {
      payerId,
      payeeId: agencyId,
      feeType: "tender_document",
      currency: "KWD",
      amount: 12_500n,
      method: "bank_transfer",
    },
    db,
  );
  const { url } = await startCardPayment(
    { actor: owner, paymentId: payment.id, baseUrl: "http://shafaf.test", productName: "Tender documents" },
    { db, card },
  );
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const { stripeSessionId } = (await db.query.payments.findFirst({ where: eq(payments.id, payment.id) }))!;
  const before = fake.events.length;
  const completed = fake.completeCheckout(stripeSessionId!);
  // The dashboard refund happens at Stripe before we hear of anything.
  const dashboard = fake.refundFromDashboard(completed.paymentIntent.id, 2_000);
  expect(fake.events.length).toBeGreaterThan(before);
  return { paymentId: payment.id, events: [...completed.events, ...dashboard.events] };
}

type Delivery = { event: Stripe.Event; timestamp?: number; tamper?: boolean; secret?: string };

async function deliver(
  plan: Delivery[],
): Promise<{ accepted: number; duplicates: number; rejected: number }> {
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const d of plan) {
    const { body, signature } = signedWebhook(d.event, d.secret ?? WEBHOOK_SECRET, {
      timestamp: d.timestamp,
    });
    const tampered = body.replace(/"livemode": false/, '"livemode": true');
    if (d.tamper) expect(tampered).not.toBe(body);
    const raw = Buffer.from(d.tamper ? tampered : body);
    try {
      const result = await receiveStripeWebhook({ rawBody: raw, signature }, { db, card });
      if (result.duplicate) duplicates++;
      else accepted++;
    } catch (e) {
      expect(e).toMatchObject({ code: "WEBHOOK_SIGNATURE_INVALID", status: 400 });
      rejected++;
    }
  }
  const { failed } = await processStripeEvents({ db, card });
  expect(failed).toBe(0);
  return { accepted, duplicates, rejected };
}

/** Everything the payment changed, without ids or times: two deliveries that end the same compare equal. */
async function stateOf(paymentId: string) {
  const payment = (await db.query.payments.findFirst({ where: eq(payments.id, paymentId) }))!;
  const refundRows = await db.select().from(refunds).where(eq(refunds.paymentId, paymentId));
  const txs = await db
    .select({ kind: ledgerTransactions.kind })
    .from(ledgerTransactions)
    .where(
      sql`(${ledgerTransactions.referenceType} = 'payment' and ${ledgerTransactions.referenceId} = ${paymentId})
        or (${ledgerTransactions.referenceType} = 'refund' and ${ledgerTransactions.referenceId} in (
          select id::text from refunds where payment_id = ${paymentId}))`,
    );
  return {
    status: payment.status,
    method: payment.method,
    captured: payment.capturedAmount,
    refunded: payment.refundedAmount,
    refunds: refundRows.map((r) => `${r.method}:${r.amount}`).sort(),
    ledger: txs.map((t) => t.kind).sort(),
  };
}

describe("Stripe webhooks", () => {
  let clean: Awaited<ReturnType<typeof stateOf>>;

  test("one clean, in-order delivery captures the payment and records the dashboard refund", async () => {
    const { paymentId, events } = await paidAndRefundedPayment();
    expect(await deliver(events.map((event) => ({ event })))).toMatchObject({ accepted: events.length });
    clean = await stateOf(paymentId);
    expect(clean).toEqual({
      status: "captured",
      method: "stripe",
      captured: 12_500n,
      refunded: 2_000n,
      refunds: ["stripe:2000"],
      ledger: ["payment_captured", "refund"],
    });
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("every event delivered three times ends in the same state; the repeats are acknowledged and ignored", async () => {
    const { paymentId, events } = await paidAndRefundedPayment();
    const result = await deliver([...events, ...events, ...events].map((event) => ({ event })));
    expect(result).toEqual({ accepted: events.length, duplicates: events.length * 2, rejected: 0 });
    expect(await stateOf(paymentId)).toEqual(clean);
  });

  test("property: any order of delivery, with repeats, ends in the same state", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), async (seed, repeat) => {
        const { paymentId, events } = await paidAndRefundedPayment();
        const plan = repeat ? [...events, ...events.slice(0, 2)] : [...events];
        // A seeded Fisher–Yates shuffle: fast-check shrinks the seed when a case fails.
        let s = seed;
        for (let i = plan.length - 1; i > 0; i--) {
          s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
          const j = s % (i + 1);
          [plan[i], plan[j]] = [plan[j]!, plan[i]!];
        }
        await deliver(plan.map((event) => ({ event })));
        expect(await stateOf(paymentId)).toEqual(clean);
      }),
      { numRuns: 12 },
    );
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("a bad signature, a tampered body and a stale timestamp are refused with no side effect; the genuine events then land as usual", async () => {
    const { paymentId, events } = await paidAndRefundedPayment();
    const ledgerBefore = await db.select().from(ledgerAccounts);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    const bad = await deliver([
      ...events.map((event) => ({ event, secret: "whsec_someoneElse" })),
      ...events.map((event) => ({ event, tamper: true })),
      ...events.map((event) => ({ event, timestamp: stale })),
    ]);
    expect(bad).toEqual({ accepted: 0, duplicates: 0, rejected: events.length * 3 });
    const recorded = await db
      .select()
      .from(stripeEvents)
      .where(
        inArray(
          stripeEvents.id,
          events.map((e) => e.id),
        ),
      );
    expect(recorded).toEqual([]);
    expect(await stateOf(paymentId)).toMatchObject({ status: "pending", refunds: [], ledger: [] });
    expect(await db.select().from(ledgerAccounts)).toEqual(ledgerBefore);

    await deliver(events.map((event) => ({ event })));
    expect(await stateOf(paymentId)).toEqual(clean);
  });

  test("a refund we issue goes through Stripe with our idempotency key and is recorded once, whatever the webhook does", async () => {
    const { paymentId, events } = await paidAndRefundedPayment();
    await deliver(events.map((event) => ({ event })));
    const refundInput = {
      actor: officer,
      paymentId,
      amount: "3.000",
      reason: "complaint_upheld",
      idempotencyKey: "form-key-0123456789abcdef",
    };
    const first = await issueRefund(refundInput, { db, card });
    const again = await issueRefund(refundInput, { db, card }); // the same form submitted twice
    expect(again.id).toBe(first.id);
    const calls = fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/refunds");
    expect(calls.at(-1)?.idempotencyKey).toBe(`refund:${paymentId}:form-key-0123456789abcdef`);
    expect(fake.refunds.size).toBeGreaterThan(0);
    // Stripe's own events about our refund change nothing more.
    await deliver(
      fake.events
        .filter((e) => e.type.startsWith("refund.") || e.type === "charge.refunded")
        .map((event) => ({ event })),
    );
    const state = await stateOf(paymentId);
    expect(state.refunded).toBe(5_000n);
    expect(state.refunds).toEqual(["stripe:2000", "stripe:3000"]);
    await expect(
      issueRefund(
        { ...refundInput, amount: "8.000", idempotencyKey: "form-key-fedcba9876543210" },
        { db, card },
      ),
    ).rejects.toMatchObject({ code: "REFUND_EXCEEDS_CAPTURED" });
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("starting a card payment twice gives the same Checkout session; Stripe being down is a clear 503", async () => {
    const payment = await openPayment(
      {
        payerId,
        payeeId: agencyId,
        feeType: "tender_document",
        currency: "KWD",
        amount: 5_000n,
        method: "bank_transfer",
      },
      db,
    );
    const input = { actor: owner, paymentId: payment.id, baseUrl: "http://shafaf.test", productName: "Fee" };
    const a = await startCardPayment(input, { db, card });
    const b = await startCardPayment(input, { db, card });
    expect(b.url).toBe(a.url);
    const odd = await openPayment(
      {
        payerId,
        payeeId: agencyId,
        feeType: "tender_document",
        currency: "KWD",
        amount: 5_005n,
        method: "bank_transfer",
      },
      db,
    );
    // Stripe takes KWD only in multiples of 10 fils: that payment is for the bank or the counter.
    await expect(startCardPayment({ ...input, paymentId: odd.id }, { db, card })).rejects.toMatchObject({
      code: "CARD_PAYMENTS_UNAVAILABLE",
    });
    const down = {
      stripe: fake.client(undefined, { port: 9, maxNetworkRetries: 0 }),
      webhookSecret: WEBHOOK_SECRET,
    };
    const third = await openPayment(
      {
        payerId,
        payeeId: agencyId,
        feeType: "tender_document",
        currency: "KWD",
        amount: 5_000n,
        method: "bank_transfer",
      },
      db,
    );
    await expect(
      startCardPayment({ ...input, paymentId: third.id }, { db, card: down }),
    ).rejects.toMatchObject({
      code: "PAYMENT_PROVIDER_UNAVAILABLE",
      status: 503,
    });
  });
});
