import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { bidSecurityHolds, ledgerTransactions, payments, refunds } from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  capturePayment,
  holdBidSecurity,
  openPayment,
  refundPayment,
  resolveBidSecurity,
} from "./payment-ledger.server.ts";

const { db } = testDatabase();
const system = { userId: null };
let businessId: string;
let agencyId: string;
let n = 0;
const unique = () => `${Date.now()}-${n++}`;

beforeAll(async () => {
  businessId = (await createOrganisation(db, businessData())).id;
  agencyId = (await createOrganisation(db, agencyData())).id;
});

async function capturedPayment(amount: bigint, currency = "KWD") {
  const payment = await openPayment(
    {
      payerId: businessId,
      payeeId: agencyId,
      feeType: "tender_document",
      currency,
      amount,
      method: "bank_transfer",
    },
    db,
  );
  expect(payment.reference).toMatch(/^SHF-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  return capturePayment({ paymentId: payment.id, actor: system }, db);
}

describe("refunds", () => {
  test("full, partial and several refunds, never more than was captured", async () => {
    const payment = await capturedPayment(10_000n);
    await refundPayment(
      { paymentId: payment.id, amount: 2_500n, reason: "other", idempotencyKey: unique(), actor: system },
      db,
    );
    await refundPayment(
      {
        paymentId: payment.id,
        amount: 7_000n,
        reason: "duplicate_payment",
        idempotencyKey: unique(),
        actor: system,
      },
      db,
    );
    await expect(
      refundPayment(
        { paymentId: payment.id, amount: 501n, reason: "other", idempotencyKey: unique(), actor: system },
        db,
      ),
    ).rejects.toMatchObject({ code: "REFUND_EXCEEDS_CAPTURED", status: 409 });
    await refundPayment(
      { paymentId: payment.id, amount: 500n, reason: "other", idempotencyKey: unique(), actor: system },
      db,
    );
    const [after] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after!.refundedAmount).toBe(10_000n);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("the same refund request twice refunds once", async () => {
    const payment = await capturedPayment(1_000n);
    const key = unique();
    const a = await refundPayment(
      { paymentId: payment.id, amount: 400n, reason: "other", idempotencyKey: key, actor: system },
      db,
    );
    const b = await refundPayment(
      { paymentId: payment.id, amount: 400n, reason: "other", idempotencyKey: key, actor: system },
      db,
    );
    expect(b.id).toBe(a.id);
    expect((await db.select().from(refunds).where(eq(refunds.paymentId, payment.id))).length).toBe(1);
  });

  test("race: 50 concurrent refunds of one payment never refund more than was captured", async () => {
    const payment = await capturedPayment(1_000n);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        refundPayment(
          { paymentId: payment.id, amount: 30n, reason: "other", idempotencyKey: unique(), actor: system },
          db,
        ),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    expect(ok).toBe(33); // 33 × 30 = 990 ≤ 1,000 < 34 × 30
    for (const r of results)
      if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "REFUND_EXCEEDS_CAPTURED" });
    const [after] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after!.refundedAmount).toBe(990n);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("a payment not yet received cannot be refunded", async () => {
    const payment = await openPayment(
      {
        payerId: businessId,
        payeeId: agencyId,
        feeType: "permit",
        currency: "SAR",
        amount: 500n,
        method: "counter",
      },
      db,
    );
    await expect(
      refundPayment(
        { paymentId: payment.id, amount: 1n, reason: "other", idempotencyKey: unique(), actor: system },
        db,
      ),
    ).rejects.toMatchObject({ code: "PAYMENT_NOT_CAPTURED" });
  });
});

describe("bid securities", () => {
  test("held, then released or forfeited exactly once", async () => {
    const hold = await holdBidSecurity(
      { businessId, agencyId, currency: "KWD", amount: 5_000n, subject: `bid-${unique()}`, actor: system },
      db,
    );
    await resolveBidSecurity({ holdId: hold.id, outcome: "released", actor: system }, db);
    await expect(
      resolveBidSecurity({ holdId: hold.id, outcome: "forfeited", actor: system }, db),
    ).rejects.toMatchObject({
      code: "HOLD_ALREADY_RESOLVED",
    });
    const both = await Promise.allSettled([
      holdBidSecurity(
        { businessId, agencyId, currency: "KWD", amount: 1n, subject: `bid-${unique()}`, actor: system },
        db,
      ).then((h) =>
        Promise.allSettled([
          resolveBidSecurity({ holdId: h.id, outcome: "released", actor: system }, db),
          resolveBidSecurity({ holdId: h.id, outcome: "forfeited", actor: system }, db),
        ]),
      ),
    ]);
    const outcomes = (both[0] as PromiseFulfilledResult<PromiseSettledResult<unknown>[]>).value.map(
      (r) => r.status,
    );
    expect(outcomes.sort()).toEqual(["fulfilled", "rejected"]);
  });
});

describe("property", () => {
  test("random payments, refunds, holds, releases and forfeits keep every invariant", async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("pay" as const),
        amount: fc.bigInt({ min: 1n, max: 1_000_000n }),
        currency: fc.constantFrom("KWD", "SAR"),
      }),
      fc.record({
        kind: fc.constant("refund" as const),
        pick: fc.nat(),
        amount: fc.bigInt({ min: 1n, max: 600_000n }),
      }),
      fc.record({ kind: fc.constant("hold" as const), amount: fc.bigInt({ min: 1n, max: 100_000n }) }),
      fc.record({ kind: fc.constantFrom("release" as const, "forfeit" as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const paid: string[] = [];
        const held: string[] = [];
        for (const o of ops) {
          if (o.kind === "pay") paid.push((await capturedPayment(o.amount, o.currency)).id);
          else if (o.kind === "hold")
            held.push(
              (
                await holdBidSecurity(
                  {
                    businessId,
                    agencyId,
                    currency: "KWD",
                    amount: o.amount,
                    subject: `bid-${unique()}`,
                    actor: system,
                  },
                  db,
                )
              ).id,
            );
          else if (o.kind === "refund" && paid.length) {
            await refundPayment(
              {
                paymentId: paid[o.pick % paid.length]!,
                amount: o.amount,
                reason: "other",
                idempotencyKey: unique(),
                actor: system,
              },
              db,
            ).catch((e) => expect(e).toMatchObject({ code: "REFUND_EXCEEDS_CAPTURED" }));
          } else if ((o.kind === "release" || o.kind === "forfeit") && held.length) {
            const outcome = o.kind === "release" ? "released" : "forfeited";
            await resolveBidSecurity(
              { holdId: held[o.pick % held.length]!, outcome, actor: system },
              db,
            ).catch((e) => expect(e).toMatchObject({ code: "HOLD_ALREADY_RESOLVED" }));
          }
        }
        // Postings sum to zero per currency and balances equal their postings.
        expect(await verifyLedger(db)).toMatchObject({ ok: true });
        // Refunds never exceed captures, and the refunded total is the sum of the refunds.
        const rows = await db
          .select({
            captured: payments.capturedAmount,
            refunded: payments.refundedAmount,
            sum: sql<string>`coalesce((select sum(r.amount) from refunds r where r.payment_id = payments.id), 0)::text`,
          })
          .from(payments);
        for (const r of rows) {
          expect(r.refunded <= r.captured).toBe(true);
          expect(BigInt(r.sum)).toBe(r.refunded);
        }
        // Each hold resolves at most once, and its ledger agrees with its status.
        const holds = await db.select().from(bidSecurityHolds);
        for (const h of holds) {
          const resolutions = await db
            .select()
            .from(ledgerTransactions)
            .where(
              sql`${ledgerTransactions.referenceId} = ${h.id} and ${ledgerTransactions.kind} in ('bid_security_released', 'bid_security_forfeited')`,
            );
          expect(resolutions.length).toBe(h.status === "held" ? 0 : 1);
        }
      }),
      { numRuns: 20 },
    );
  });
});
