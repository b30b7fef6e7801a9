import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  bankStatementLines,
  bidSecurityHolds,
  ledgerAccounts,
  organisations,
  paymentReceipts,
  payments,
  refunds,
  users,
} from "#db/schema/index.ts";
import { financeAgencyOf } from "./agency-scope.server.ts";
import { paymentSettingsOf } from "./fee-schedules.server.ts";

/**
 * An agency's finance dashboard: what it received (from its ledger accounts),
 * what waits for money or for a second officer, refunds, bid securities held
 * and statement lines nobody could match.
 */

const payer = alias(organisations, "payer");
const recorder = alias(users, "recorder");

export async function financeOverview(actor: Actor, db: Queryable) {
  const { agency } = await financeAgencyOf(actor, "payments:read", db);
  const balances = await db
    .select()
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.organisationId, agency.id))
    .orderBy(ledgerAccounts.purpose, ledgerAccounts.feeType, ledgerAccounts.currency);
  const pending = await db
    .select({ payment: payments, payerNameAr: payer.nameAr, payerNameEn: payer.nameEn })
    .from(payments)
    .innerJoin(payer, eq(payer.id, payments.payerId))
    .where(and(eq(payments.payeeId, agency.id), eq(payments.status, "pending")))
    .orderBy(desc(payments.createdAt))
    .limit(50);
  const awaiting = await db
    .select({
      receipt: paymentReceipts,
      reference: payments.reference,
      currency: payments.currency,
      payerNameAr: payer.nameAr,
      payerNameEn: payer.nameEn,
      recordedByName: recorder.displayName,
    })
    .from(paymentReceipts)
    .innerJoin(payments, eq(payments.id, paymentReceipts.paymentId))
    .innerJoin(payer, eq(payer.id, payments.payerId))
    .innerJoin(recorder, eq(recorder.id, paymentReceipts.recordedBy))
    .where(and(eq(payments.payeeId, agency.id), eq(paymentReceipts.status, "awaiting_confirmation")))
    .orderBy(paymentReceipts.recordedAt);
  const recentRefunds = await db
    .select({
      refund: refunds,
      reference: payments.reference,
      currency: payments.currency,
      paymentId: payments.id,
    })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(eq(payments.payeeId, agency.id))
    .orderBy(desc(refunds.createdAt))
    .limit(20);
  const held = await db
    .select({ hold: bidSecurityHolds, businessNameAr: payer.nameAr, businessNameEn: payer.nameEn })
    .from(bidSecurityHolds)
    .innerJoin(payer, eq(payer.id, bidSecurityHolds.businessId))
    .where(and(eq(bidSecurityHolds.agencyId, agency.id), eq(bidSecurityHolds.status, "held")))
    .orderBy(desc(bidSecurityHolds.createdAt));
  const recentCaptured = await db
    .select({ payment: payments, payerNameAr: payer.nameAr, payerNameEn: payer.nameEn })
    .from(payments)
    .innerJoin(payer, eq(payer.id, payments.payerId))
    .where(and(eq(payments.payeeId, agency.id), eq(payments.status, "captured")))
    .orderBy(desc(payments.capturedAt))
    .limit(20);
  const [unmatched] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(bankStatementLines)
    .where(and(eq(bankStatementLines.agencyId, agency.id), sql`${bankStatementLines.outcome} <> 'matched'`));
  return {
    agency,
    settings: await paymentSettingsOf(agency.id, db),
    balances,
    pending: pending.map((p) => ({ ...p.payment, payerNameAr: p.payerNameAr, payerNameEn: p.payerNameEn })),
    awaiting: awaiting.map((a) => ({
      ...a.receipt,
      reference: a.reference,
      currency: a.currency,
      payerNameAr: a.payerNameAr,
      payerNameEn: a.payerNameEn,
      recordedByName: a.recordedByName,
    })),
    refunds: recentRefunds.map((r) => ({ ...r.refund, reference: r.reference, currency: r.currency })),
    held: held.map((h) => ({
      ...h.hold,
      businessNameAr: h.businessNameAr,
      businessNameEn: h.businessNameEn,
    })),
    received: recentCaptured.map((p) => ({
      ...p.payment,
      payerNameAr: p.payerNameAr,
      payerNameEn: p.payerNameEn,
    })),
    unmatchedLines: unmatched?.count ?? 0,
  };
}

/** One payment to the agency, for the finance officer: receipts, refunds, who did what. */
export async function paymentForAgency(actor: Actor, paymentId: string, db: Queryable) {
  const { agency, userId } = await financeAgencyOf(actor, "payments:read", db);
  const [row] = await db
    .select({ payment: payments, payerNameAr: payer.nameAr, payerNameEn: payer.nameEn })
    .from(payments)
    .innerJoin(payer, eq(payer.id, payments.payerId))
    .where(and(eq(payments.id, paymentId), eq(payments.payeeId, agency.id)));
  if (!row) throw new AppError("NOT_FOUND");
  const receipts = await db
    .select({ receipt: paymentReceipts, recordedByName: recorder.displayName })
    .from(paymentReceipts)
    .innerJoin(recorder, eq(recorder.id, paymentReceipts.recordedBy))
    .where(eq(paymentReceipts.paymentId, paymentId))
    .orderBy(paymentReceipts.recordedAt);
  return {
    agency,
    userId,
    payment: { ...row.payment, payerNameAr: row.payerNameAr, payerNameEn: row.payerNameEn },
    receipts: receipts.map((r) => ({ ...r.receipt, recordedByName: r.recordedByName })),
    refunds: await db
      .select()
      .from(refunds)
      .where(eq(refunds.paymentId, paymentId))
      .orderBy(refunds.createdAt),
  };
}

/** Statement lines that did not become receipts, newest first, with why. */
export async function unmatchedStatementLines(actor: Actor, db: Queryable) {
  const { agency } = await financeAgencyOf(actor, "payments:read", db);
  return db
    .select()
    .from(bankStatementLines)
    .where(and(eq(bankStatementLines.agencyId, agency.id), sql`${bankStatementLines.outcome} <> 'matched'`))
    .orderBy(desc(bankStatementLines.bookedOn))
    .limit(200);
}
