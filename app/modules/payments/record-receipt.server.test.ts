import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { type Actor, ANONYMOUS } from "#app/modules/accounts/actor.ts";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { AppError, type ErrorCode } from "#app/utils/errors.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import {
  auditEvents,
  ledgerAccounts,
  ledgerTransactions,
  type Payment,
  paymentReceipts,
  payments,
} from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { savePaymentSettings } from "./fee-schedules.server.ts";
import { capturePayment, openPayment } from "./payment-ledger.server.ts";
import { decideReceipt, recordReceipt } from "./record-receipt.server.ts";

const { db } = testDatabase();

type UserActor = Extract<Actor, { type: "user" }>;
let agencyId: string;
let otherAgencyId: string;
let businessId: string;
let recorder: UserActor;
let second: UserActor;
let third: UserActor;
let otherAgencyOfficer: UserActor;
let procurementOfficer: UserActor;
let businessOwner: UserActor;

/** The agency's second-officer limit: 100 KWD. */
const LIMIT = "100";

async function financeOfficer(organisationId: string): Promise<UserActor> {
  const user = await createUser(db, { memberships: [{ organisationId, roles: ["finance_officer"] }] });
  return actorOf(user, { organisationId, kind: "agency", roles: ["finance_officer"] });
}

beforeAll(async () => {
  agencyId = (await createOrganisation(db, agencyData())).id;
  otherAgencyId = (await createOrganisation(db, agencyData())).id;
  businessId = (await createOrganisation(db, businessData())).id;
  recorder = await financeOfficer(agencyId);
  second = await financeOfficer(agencyId);
  third = await financeOfficer(agencyId);
  otherAgencyOfficer = await financeOfficer(otherAgencyId);
  procurementOfficer = actorOf(
    await createUser(db, { memberships: [{ organisationId: agencyId, roles: ["procurement_officer"] }] }),
    { organisationId: agencyId, kind: "agency", roles: ["procurement_officer"] },
  );
  businessOwner = actorOf(
    await createUser(db, { memberships: [{ organisationId: businessId, roles: ["owner", "finance"] }] }),
    { organisationId: businessId, kind: "business", roles: ["owner", "finance"] },
  );
  await savePaymentSettings(
    {
      actor: recorder,
      form: {
        bankName: "Bank",
        accountName: "Agency",
        iban: "KW81CBKU0000000000001234560101",
        counterAr: "",
        counterEn: "",
        secondOfficerFrom: LIMIT,
      },
    },
    db,
  );
});

/** A payment of the business to the agency, waiting for money by bank transfer. */
function pendingPayment(amount: bigint, payeeId = agencyId): Promise<Payment> {
  return openPayment(
    {
      payerId: businessId,
      payeeId,
      feeType: "tender_document",
      currency: "KWD",
      amount,
      method: "bank_transfer",
    },
    db,
  );
}

const record = (
  actor: Actor,
  payment: Payment,
  amount: string,
  bankReference = `TT-${randomUUID().slice(0, 8)}`,
) => recordReceipt({ actor, paymentId: payment.id, amount, bankReference, receivedOn: "2026-11-20" }, db);

const decide = (actor: Actor, receiptId: string, decision: "confirm" | "reject") =>
  decideReceipt({ actor, receiptId, decision }, db);

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, field?: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect({ code: (error as AppError).code, field: (error as AppError).field }).toEqual({ code, field });
  return error as AppError;
}

const paymentNow = async (id: string) => (await db.query.payments.findFirst({ where: eq(payments.id, id) }))!;
const receiptsOf = (paymentId: string) =>
  db.select().from(paymentReceipts).where(eq(paymentReceipts.paymentId, paymentId));
const capturesOf = (paymentId: string) =>
  db
    .select()
    .from(ledgerTransactions)
    .where(
      and(eq(ledgerTransactions.referenceType, "payment"), eq(ledgerTransactions.referenceId, paymentId)),
    );
const auditCount = async (objectId: string, action: string) =>
  (
    await db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, objectId), eq(auditEvents.action, action)))
  )[0]!.n;

/** The payer's account and the agency's tender-document revenue account (0 before any posting). */
async function balances() {
  const balanceOf = async (organisationId: string, purpose: string, feeType: string | null) => {
    const [row] = await db
      .select({ balance: ledgerAccounts.balance })
      .from(ledgerAccounts)
      .where(
        and(
          eq(ledgerAccounts.organisationId, organisationId),
          eq(ledgerAccounts.purpose, purpose),
          eq(ledgerAccounts.currency, "KWD"),
          feeType === null ? sql`${ledgerAccounts.feeType} is null` : eq(ledgerAccounts.feeType, feeType),
        ),
      );
    return row?.balance ?? 0n;
  };
  return {
    payer: await balanceOf(businessId, "business_payments", null),
    revenue: await balanceOf(agencyId, "agency_revenue", "tender_document"),
  };
}

describe("recording a receipt", () => {
  test("below the second-officer limit the payment is captured at once and the ledger moves", async () => {
    const payment = await pendingPayment(99_999n);
    const before = await balances();
    const { receipt, payment: after } = await record(recorder, payment, "99.999", " TT-001 ");
    expect(receipt).toMatchObject({
      paymentId: payment.id,
      amount: 99_999n,
      bankReference: "TT-001",
      receivedOn: "2026-11-20",
      source: "manual",
      status: "confirmed",
      recordedBy: recorder.userId,
      decidedBy: null,
    });
    expect(after).toMatchObject({ status: "captured", capturedAmount: 99_999n, providerReference: "TT-001" });
    expect(await paymentNow(payment.id)).toMatchObject({ status: "captured", capturedAmount: 99_999n });
    const moved = await balances();
    expect(moved.payer - before.payer).toBe(99_999n);
    expect(moved.revenue - before.revenue).toBe(-99_999n);
    expect(await capturesOf(payment.id)).toHaveLength(1);
    expect(await auditCount(payment.id, "payment.receipt_recorded")).toBe(1);
    expect(await auditCount(payment.id, "payment.captured")).toBe(1);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("at the limit the receipt waits for a different finance officer, then the payment is captured", async () => {
    const payment = await pendingPayment(100_000n);
    const before = await balances();
    const { receipt, payment: waiting } = await record(recorder, payment, "100.000");
    expect(receipt.status).toBe("awaiting_confirmation");
    expect(waiting.status).toBe("pending");
    expect(await paymentNow(payment.id)).toMatchObject({ status: "pending", capturedAmount: 0n });
    expect(await capturesOf(payment.id)).toHaveLength(0);
    expect(await balances()).toEqual(before);

    // The one who recorded it cannot confirm it.
    const refused = await expectAppError(decide(recorder, receipt.id, "confirm"), "SECOND_OFFICER_REQUIRED");
    expect(refused.status).toBe(409);
    expect(await paymentNow(payment.id)).toMatchObject({ status: "pending" });
    expect((await receiptsOf(payment.id))[0]).toMatchObject({
      status: "awaiting_confirmation",
      decidedBy: null,
    });

    const confirmed = await decide(second, receipt.id, "confirm");
    expect(confirmed).toMatchObject({
      status: "confirmed",
      recordedBy: recorder.userId,
      decidedBy: second.userId,
    });
    expect(confirmed.decidedAt).toBeInstanceOf(Date);
    expect(await paymentNow(payment.id)).toMatchObject({ status: "captured", capturedAmount: 100_000n });
    const moved = await balances();
    expect(moved.payer - before.payer).toBe(100_000n);
    expect(moved.revenue - before.revenue).toBe(-100_000n);
    expect(await capturesOf(payment.id)).toHaveLength(1);
    expect(await auditCount(payment.id, "payment.receipt_confirmed")).toBe(1);

    // Decided once: a second decision is refused and the ledger is untouched.
    await expectAppError(decide(third, receipt.id, "confirm"), "PAYMENT_NOT_PENDING");
    await expectAppError(decide(third, receipt.id, "reject"), "PAYMENT_NOT_PENDING");
    expect(await capturesOf(payment.id)).toHaveLength(1);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("a rejected receipt leaves the payment pending, and the money can be recorded again", async () => {
    const payment = await pendingPayment(250_000n);
    const { receipt: first } = await record(recorder, payment, "250");
    const rejected = await decide(second, first.id, "reject");
    expect(rejected).toMatchObject({ status: "rejected", decidedBy: second.userId });
    expect(await paymentNow(payment.id)).toMatchObject({ status: "pending" });
    expect(await auditCount(payment.id, "payment.receipt_rejected")).toBe(1);

    // The recorder withdraws their own second attempt (no second officer to name).
    const { receipt: withdrawnOne } = await record(recorder, payment, "250.000");
    const withdrawn = await decide(recorder, withdrawnOne.id, "reject");
    expect(withdrawn).toMatchObject({ status: "rejected", decidedBy: null });

    const { receipt: again } = await record(second, payment, "250.000");
    expect(again.status).toBe("awaiting_confirmation");
    await decide(recorder, again.id, "confirm");
    expect(await paymentNow(payment.id)).toMatchObject({ status: "captured", capturedAmount: 250_000n });
    expect((await receiptsOf(payment.id)).map((r) => r.status).sort()).toEqual([
      "confirmed",
      "rejected",
      "rejected",
    ]);
    expect(await capturesOf(payment.id)).toHaveLength(1);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("an amount other than the amount due is refused and nothing is stored", async () => {
    const payment = await pendingPayment(50_000n);
    for (const amount of ["49.999", "50.001", "500"]) {
      const error = await expectAppError(
        record(recorder, payment, amount),
        "RECEIPT_AMOUNT_MISMATCH",
        "amount",
      );
      expect(error.params).toEqual({ due: "50.000 KWD" });
    }
    expect(await receiptsOf(payment.id)).toHaveLength(0);
    expect(await paymentNow(payment.id)).toMatchObject({ status: "pending" });
    expect(await capturesOf(payment.id)).toHaveLength(0);
    expect(await auditCount(payment.id, "payment.receipt_recorded")).toBe(0);
  });

  test("a second receipt for the same payment is refused", async () => {
    const waiting = await pendingPayment(300_000n);
    await record(recorder, waiting, "300");
    await expectAppError(record(second, waiting, "300"), "RECEIPT_ALREADY_RECORDED");
    expect(await receiptsOf(waiting.id)).toHaveLength(1);

    const paid = await pendingPayment(1_000n);
    await record(recorder, paid, "1");
    await expectAppError(record(second, paid, "1"), "PAYMENT_NOT_PENDING");
    expect(await receiptsOf(paid.id)).toHaveLength(1);
    expect(await capturesOf(paid.id)).toHaveLength(1);
  });

  test("input is checked: amount, bank reference and a real calendar date", async () => {
    const payment = await pendingPayment(2_000n);
    const input = {
      actor: recorder,
      paymentId: payment.id,
      amount: "2",
      bankReference: "TT-9",
      receivedOn: "2026-11-20",
    };
    await expectAppError(recordReceipt({ ...input, amount: "0" }, db), "AMOUNT_INVALID", "amount");
    await expectAppError(recordReceipt({ ...input, amount: "-2" }, db), "AMOUNT_INVALID", "amount");
    await expectAppError(recordReceipt({ ...input, amount: "2.0001" }, db), "AMOUNT_INVALID", "amount");
    await expectAppError(
      recordReceipt({ ...input, bankReference: " x " }, db),
      "VALIDATION",
      "bankReference",
    );
    await expectAppError(
      recordReceipt({ ...input, bankReference: "x".repeat(101) }, db),
      "VALIDATION",
      "bankReference",
    );
    for (const receivedOn of ["20/11/2026", "2026-13-01", "2026-02-30", "2026-04-31", ""])
      await expectAppError(recordReceipt({ ...input, receivedOn }, db), "VALIDATION", "receivedOn");
    expect(await receiptsOf(payment.id)).toHaveLength(0);
    const { receipt } = await recordReceipt({ ...input, amount: "٢", receivedOn: "2028-02-29" }, db);
    expect(receipt).toMatchObject({ amount: 2_000n, receivedOn: "2028-02-29", status: "confirmed" });
  });
});

describe("who may record and decide", () => {
  test("a finance officer of another agency finds neither the payment nor the receipt", async () => {
    const payment = await pendingPayment(400_000n);
    await expectAppError(record(otherAgencyOfficer, payment, "400"), "NOT_FOUND");
    expect(await receiptsOf(payment.id)).toHaveLength(0);

    const { receipt } = await record(recorder, payment, "400");
    await expectAppError(decide(otherAgencyOfficer, receipt.id, "confirm"), "NOT_FOUND");
    await expectAppError(decide(otherAgencyOfficer, receipt.id, "reject"), "NOT_FOUND");
    await expectAppError(decide(second, randomUUID(), "confirm"), "NOT_FOUND");
    expect((await receiptsOf(payment.id))[0]).toMatchObject({ status: "awaiting_confirmation" });
    expect(await paymentNow(payment.id)).toMatchObject({ status: "pending" });
  });

  test("only finance officers: others are forbidden, the public unauthenticated", async () => {
    const payment = await pendingPayment(3_000n);
    await expectAppError(record(procurementOfficer, payment, "3"), "FORBIDDEN");
    await expectAppError(record(businessOwner, payment, "3"), "FORBIDDEN");
    await expectAppError(record(ANONYMOUS, payment, "3"), "UNAUTHENTICATED");
    await expectAppError(decide(procurementOfficer, randomUUID(), "confirm"), "FORBIDDEN");
    await expectAppError(decide(ANONYMOUS, randomUUID(), "confirm"), "UNAUTHENTICATED");
    expect(await receiptsOf(payment.id)).toHaveLength(0);
  });

  test("the database itself refuses a receipt decided by the one who recorded it", async () => {
    const payment = await pendingPayment(500_000n);
    const { receipt } = await record(recorder, payment, "500");
    const error = await db
      .execute(
        sql`update payment_receipts set decided_by = recorded_by, decided_at = now(), status = 'confirmed' where id = ${receipt.id}`,
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(postgresErrorOf(error)).toMatchObject({ code: "23514", constraint: "payment_receipts_four_eyes" });
    expect((await receiptsOf(payment.id))[0]).toMatchObject({
      status: "awaiting_confirmation",
      decidedBy: null,
    });
  });
});

describe("races", () => {
  test("two officers recording the same money at the same moment: one receipt, one capture", async () => {
    for (let round = 0; round < 5; round++) {
      const payment = await pendingPayment(7_000n);
      const results = await Promise.allSettled([
        record(recorder, payment, "7", "TT-A"),
        record(second, payment, "7", "TT-B"),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const failure = results.find((r) => r.status === "rejected")!;
      expect(failure.reason).toBeInstanceOf(AppError);
      expect(["PAYMENT_NOT_PENDING", "RECEIPT_ALREADY_RECORDED"]).toContain(
        (failure.reason as AppError).code,
      );
      expect(await receiptsOf(payment.id)).toHaveLength(1);
      expect(await capturesOf(payment.id)).toHaveLength(1);
      expect(await paymentNow(payment.id)).toMatchObject({ status: "captured", capturedAmount: 7_000n });
    }
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("above the limit too: one receipt waits, the other officer is told it is recorded", async () => {
    const payment = await pendingPayment(600_000n);
    const results = await Promise.allSettled([
      record(recorder, payment, "600"),
      record(second, payment, "600"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const failure = results.find((r) => r.status === "rejected")!;
    expect(failure.reason).toMatchObject({ code: "RECEIPT_ALREADY_RECORDED" });
    expect(await receiptsOf(payment.id)).toHaveLength(1);
    expect(await capturesOf(payment.id)).toHaveLength(0);
  });

  test("two second officers confirming at once capture the payment once", async () => {
    const payment = await pendingPayment(700_000n);
    const { receipt } = await record(recorder, payment, "700");
    const results = await Promise.allSettled([
      decide(second, receipt.id, "confirm"),
      decide(third, receipt.id, "confirm"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")!.reason).toMatchObject({
      code: "PAYMENT_NOT_PENDING",
    });
    expect(await capturesOf(payment.id)).toHaveLength(1);
    expect(await paymentNow(payment.id)).toMatchObject({ status: "captured", capturedAmount: 700_000n });
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("a confirmation and a capture of the same payment at the same moment do not deadlock", async () => {
    const payment = await pendingPayment(800_000n);
    const { receipt } = await record(recorder, payment, "800");
    // Another path (a card payment's webhook, say) holds the payment row, then
    // captures it: the row first, then the audit chain.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const capture = db.transaction(async (tx) => {
      await tx.select().from(payments).where(eq(payments.id, payment.id)).for("update");
      locked();
      await gate;
      return capturePayment({ paymentId: payment.id, actor: { userId: null } }, tx);
    });
    await holding;
    const confirm = decide(second, receipt.id, "confirm");
    await waitForLockWait();
    release();
    const [captured, confirmed] = await Promise.allSettled([capture, confirm]);
    if (captured.status === "rejected") throw captured.reason;
    // No deadlock; the payment was paid the other way first, so the transfer is not
    // confirmed as a second capture: the officer rejects it and refunds it.
    expect(confirmed).toMatchObject({ status: "rejected", reason: { code: "PAYMENT_NOT_PENDING" } });
    expect(await capturesOf(payment.id)).toHaveLength(1);
    expect((await verifyLedger(db)).ok).toBe(true);
  });
});

/** Until another session of this database waits for a lock (or a second has passed). */
async function waitForLockWait() {
  for (let i = 0; i < 100; i++) {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
