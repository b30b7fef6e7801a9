import { and, eq, ne } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { parseAmount, toDecimalString } from "#app/modules/ledger/money.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { type Payment, type PaymentReceipt, paymentReceipts, payments } from "#db/schema/index.ts";
import { financeAgencyOf } from "./agency-scope.server.ts";
import { paymentSettingsOf } from "./fee-schedules.server.ts";
import { capturePayment } from "./payment-ledger.server.ts";

/**
 * Money that arrived by bank transfer or at the counter. A finance officer of
 * the receiving agency records it against the payment's reference; at or
 * above the agency's limit a second, different finance officer must confirm
 * it before the payment counts as paid (four eyes; the database refuses the
 * same person twice too).
 */

export interface ReceiptInput {
  paymentId: string;
  amount: bigint;
  bankReference: string;
  receivedOn: string; // YYYY-MM-DD
  source: "manual" | "statement";
  statementLineId?: string | null;
}

/** Inside the caller's transaction: used by the officer's form and by the statement import alike. */
export async function recordReceiptIn(
  tx: Tx,
  input: ReceiptInput & { agencyId: string; userId: string; ip?: string | null },
): Promise<{ receipt: PaymentReceipt; payment: Payment }> {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.id, input.paymentId), eq(payments.payeeId, input.agencyId)))
    .for("update");
  if (!payment) throw new AppError("NOT_FOUND");
  if (payment.status !== "pending") throw new AppError("PAYMENT_NOT_PENDING");
  if (input.amount !== payment.amount)
    throw new AppError(
      "RECEIPT_AMOUNT_MISMATCH",
      { due: `${toDecimalString(payment)} ${payment.currency}` },
      { field: "amount" },
    );
  const live = await tx.query.paymentReceipts.findFirst({
    where: and(eq(paymentReceipts.paymentId, payment.id), ne(paymentReceipts.status, "rejected")),
  });
  if (live) throw new AppError("RECEIPT_ALREADY_RECORDED");
  const settings = await paymentSettingsOf(input.agencyId, tx);
  const needsSecond = settings.secondOfficerFrom > 0n && input.amount >= settings.secondOfficerFrom;
  const [receipt] = await tx
    .insert(paymentReceipts)
    .values({
      paymentId: payment.id,
      amount: input.amount,
      bankReference: input.bankReference,
      receivedOn: input.receivedOn,
      source: input.source,
      statementLineId: input.statementLineId ?? null,
      status: needsSecond ? "awaiting_confirmation" : "confirmed",
      recordedBy: input.userId,
    })
    .returning();
  await recordAudit(tx, {
    actorUserId: input.userId,
    organisationId: input.agencyId,
    action: "payment.receipt_recorded",
    objectType: "payment",
    objectId: payment.id,
    ip: input.ip ?? null,
    details: {
      receiptId: receipt!.id,
      amount: input.amount.toString(),
      bankReference: input.bankReference,
      source: input.source,
      needsSecondOfficer: needsSecond,
    },
  });
  if (needsSecond) return { receipt: receipt!, payment };
  const captured = await capturePayment(
    {
      paymentId: payment.id,
      providerReference: input.bankReference,
      actor: { userId: input.userId, ip: input.ip },
    },
    tx,
  );
  return { receipt: receipt!, payment: captured };
}

/** A real calendar day as YYYY-MM-DD (Date.parse alone takes "2026-02-30", which PostgreSQL refuses). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/** A finance officer records money received for a payment reference. */
export async function recordReceipt(
  input: {
    actor: Actor;
    paymentId: string;
    amount: string;
    bankReference: string;
    receivedOn: string;
    ip?: string | null;
  },
  db: Db,
): Promise<{ receipt: PaymentReceipt; payment: Payment }> {
  const { agency, userId } = await financeAgencyOf(input.actor, "payments:reconcile", db);
  const amount = parseAmount(input.amount, agency.currency);
  if (amount === null || amount <= 0n) throw new AppError("AMOUNT_INVALID", {}, { field: "amount" });
  const bankReference = input.bankReference.trim();
  if (bankReference.length < 2 || bankReference.length > 100)
    throw new AppError("VALIDATION", {}, { field: "bankReference" });
  if (!isCalendarDate(input.receivedOn)) throw new AppError("VALIDATION", {}, { field: "receivedOn" });
  return db.transaction((tx) =>
    recordReceiptIn(tx, {
      paymentId: input.paymentId,
      amount,
      bankReference,
      receivedOn: input.receivedOn,
      source: "manual",
      agencyId: agency.id,
      userId,
      ip: input.ip,
    }),
  );
}

/** The second finance officer confirms (the payment is then captured) or rejects a receipt. */
export async function decideReceipt(
  input: { actor: Actor; receiptId: string; decision: "confirm" | "reject"; ip?: string | null },
  db: Db,
): Promise<PaymentReceipt> {
  const { agency, userId } = await financeAgencyOf(input.actor, "payments:reconcile", db);
  return db.transaction(async (tx) => {
    const [receipt] = await tx
      .select()
      .from(paymentReceipts)
      .where(eq(paymentReceipts.id, input.receiptId))
      .for("update");
    // Lock the payment before the audit event, in the order recording a receipt and
    // capturing a payment take them (payment row, then the audit chain): otherwise a
    // capture of the same payment at the same moment deadlocks with this confirmation.
    const [payment] = receipt
      ? await tx.select().from(payments).where(eq(payments.id, receipt.paymentId)).for("update")
      : [];
    if (!receipt || !payment || payment.payeeId !== agency.id) throw new AppError("NOT_FOUND");
    if (receipt.status !== "awaiting_confirmation") throw new AppError("PAYMENT_NOT_PENDING");
    // The one who recorded it may withdraw it, never confirm it.
    if (input.decision === "confirm" && receipt.recordedBy === userId)
      throw new AppError("SECOND_OFFICER_REQUIRED");
    // Paid meanwhile by another way (say, by card): this money came twice. It is
    // not confirmed as a capture; the officer rejects the receipt and refunds the transfer.
    if (input.decision === "confirm" && payment.status !== "pending")
      throw new AppError("PAYMENT_NOT_PENDING");
    const [decided] = await tx
      .update(paymentReceipts)
      .set({
        status: input.decision === "confirm" ? "confirmed" : "rejected",
        decidedBy: receipt.recordedBy === userId ? null : userId,
        decidedAt: new Date(),
      })
      .where(eq(paymentReceipts.id, receipt.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: userId,
      organisationId: agency.id,
      action: input.decision === "confirm" ? "payment.receipt_confirmed" : "payment.receipt_rejected",
      objectType: "payment",
      objectId: payment.id,
      ip: input.ip ?? null,
      details: { receiptId: receipt.id, recordedBy: receipt.recordedBy },
    });
    if (input.decision === "confirm")
      await capturePayment(
        { paymentId: payment.id, providerReference: receipt.bankReference, actor: { userId, ip: input.ip } },
        tx,
      );
    return decided!;
  });
}
