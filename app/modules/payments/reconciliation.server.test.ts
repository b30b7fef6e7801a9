import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { payments } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { type FakeStripe, signedWebhook, startFakeStripe } from "#tests/fakes/stripe-api.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { importBankStatement } from "./import-bank-statement.server.ts";
import { capturePayment, openPayment } from "./payment-ledger.server.ts";
import { reconcile } from "./reconciliation.server.ts";
import { recordReceipt } from "./record-receipt.server.ts";
import { startCardPayment } from "./start-card-payment.server.ts";
import type { CardPayments } from "./stripe-client.server.ts";
import { processStripeEvents, receiveStripeWebhook } from "./sync-stripe.server.ts";

const { db } = testDatabase();
const SECRET = "whsec_reconcile";
let fake: FakeStripe;
let card: CardPayments;
let agencyId: string;
let otherAgencyId: string;
let payerId: string;
let owner: ReturnType<typeof actorOf>;
let officer: ReturnType<typeof actorOf>;
const today = new Date().toISOString().slice(0, 10);
const period = { from: today, to: today };

beforeAll(async () => {
  fake = await startFakeStripe();
  card = { stripe: fake.client(), webhookSecret: SECRET };
  agencyId = (await createOrganisation(db, agencyData({ currency: "KWD" }))).id;
  otherAgencyId = (await createOrganisation(db, agencyData({ currency: "KWD" }))).id;
  payerId = (await createOrganisation(db, businessData())).id;
  owner = actorOf(await createUser(db), { organisationId: payerId, kind: "business", roles: ["owner"] });
  officer = actorOf(await createUser(db), {
    organisationId: agencyId,
    kind: "agency",
    roles: ["finance_officer"],
  });
});
afterAll(() => fake.close());

async function cardPayment(payeeId: string, amount: bigint, deliver: boolean) {
  const payment = await openPayment(
    { payerId, payeeId, feeType: "tender_document", currency: "KWD", amount, method: "bank_transfer" },
    db,
  );
  await startCardPayment(
    { actor: owner, paymentId: payment.id, baseUrl: "http://x.test", productName: "Fee" },
    { db, card },
  );
  const row = await db.query.payments.findFirst({ where: eq(payments.id, payment.id) });
  const done = fake.completeCheckout(row!.stripeSessionId!);
  if (deliver) {
    for (const event of done.events) {
      const { body, signature } = signedWebhook(event, SECRET);
      await receiveStripeWebhook({ rawBody: Buffer.from(body), signature }, { db, card });
    }
    await processStripeEvents({ db, card });
  }
  return { payment, intent: done.paymentIntent.id };
}

describe("reconciliation report", () => {
  test("lists every difference between Stripe, the bank statement and the ledger, and nothing else", async () => {
    const agreed = await cardPayment(agencyId, 10_000n, true); // both sides agree
    const notHeard = await cardPayment(agencyId, 20_000n, false); // paid at Stripe, webhook never arrived
    await cardPayment(otherAgencyId, 30_000n, false); // another agency's: not in this report
    // Recorded here as a card payment that Stripe never saw.
    const phantom = await openPayment(
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
    await capturePayment(
      {
        paymentId: phantom.id,
        providerReference: "pi_notAtStripe",
        method: "stripe",
        actor: { userId: null },
      },
      db,
    );
    // Refunded in Stripe's dashboard; the event never reached us.
    const refund = fake.refundFromDashboard(agreed.intent, 1_000);

    // Bank: one transfer typed by hand, one statement with a matched and an unmatched line.
    const byHand = await openPayment(
      {
        payerId,
        payeeId: agencyId,
        feeType: "tender_document",
        currency: "KWD",
        amount: 7_000n,
        method: "bank_transfer",
      },
      db,
    );
    await recordReceipt(
      { actor: officer, paymentId: byHand.id, amount: "7.000", bankReference: "CTR-1", receivedOn: today },
      db,
    );
    const transferred = await openPayment(
      {
        payerId,
        payeeId: agencyId,
        feeType: "tender_document",
        currency: "KWD",
        amount: 8_000n,
        method: "bank_transfer",
      },
      db,
    );
    await importBankStatement(
      {
        actor: officer,
        fileName: "statement.csv",
        content: Buffer.from(
          `Date,Description,Amount,Transaction ID\n${today},Transfer ${transferred.reference},8.000,T-1\n${today},Unknown payer,3.000,T-2\n`,
        ),
      },
      db,
    );

    const report = await reconcile({ actor: officer, period }, { db, card });
    expect(report.bank.matchedLines).toBe(1);
    expect(report.bank.unmatchedLines.map((l) => l.bankTransactionId)).toEqual(["T-2"]);
    expect(report.bank.receiptsWithoutStatement.map((r) => r.reference)).toEqual([byHand.reference]);
    expect(report.stripe.status).toBe("checked");
    if (report.stripe.status !== "checked") return;
    const found = report.stripe.mismatches.map((m) => `${m.kind}:${m.object}:${m.reference}`).sort();
    expect(found).toEqual(
      [
        `missing_in_ledger:charge:${notHeard.payment.reference}`,
        `missing_at_provider:charge:${phantom.reference}`,
        `missing_in_ledger:refund:${agreed.payment.reference}`,
      ].sort(),
    );
    expect(report.stripe.mismatches.find((m) => m.object === "refund")?.providerId).toBe(refund.refund.id);

    // Once the missing events are delivered, the card side agrees except for the phantom.
    for (const event of fake.events) {
      const { body, signature } = signedWebhook(event, SECRET);
      await receiveStripeWebhook({ rawBody: Buffer.from(body), signature }, { db, card });
    }
    await processStripeEvents({ db, card });
    const after = await reconcile({ actor: officer, period }, { db, card });
    expect(after.stripe.status === "checked" && after.stripe.mismatches.map((m) => m.reference)).toEqual([
      phantom.reference,
    ]);
  });

  test("Stripe unreachable: the bank part still reports, and the card part says why", async () => {
    const down = { stripe: fake.client(undefined, { port: 9 }), webhookSecret: SECRET };
    const report = await reconcile({ actor: officer, period }, { db, card: down });
    expect(report.stripe.status).toBe("unavailable");
    expect(report.bank.matchedLines).toBeGreaterThanOrEqual(0);
    expect((await reconcile({ actor: officer, period }, { db, card: null })).stripe).toEqual({
      status: "off",
    });
  });

  test("only the agency's finance staff may read it", async () => {
    await expect(reconcile({ actor: owner, period }, { db, card })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
