import { and, desc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  type AgencyPaymentSettings,
  bidSecurityHolds,
  organisations,
  type Payment,
  paymentReceipts,
  payments,
  type Refund,
  refunds,
} from "#db/schema/index.ts";
import { paymentSettingsOf } from "./fee-schedules.server.ts";

/** A business's own money on the platform: what it paid, was refunded, and has held as bid security. */

const payee = alias(organisations, "payee");

export interface BillingPayment extends Payment {
  payeeNameAr: string;
  payeeNameEn: string;
  /** A receipt for money sent by transfer waits for the agency's second finance officer. */
  awaitingConfirmation: boolean;
}

export async function billingOverview(actor: Actor, db: Queryable) {
  assertCan(actor, "billing:read");
  const businessId = actor.membership!.organisationId;
  const rows = await db
    .select({ payment: payments, payeeNameAr: payee.nameAr, payeeNameEn: payee.nameEn })
    .from(payments)
    .innerJoin(payee, eq(payee.id, payments.payeeId))
    .where(eq(payments.payerId, businessId))
    .orderBy(desc(payments.createdAt))
    .limit(200);
  const ids = rows.map((r) => r.payment.id);
  const awaiting = ids.length
    ? await db
        .select({ paymentId: paymentReceipts.paymentId })
        .from(paymentReceipts)
        .where(
          and(inArray(paymentReceipts.paymentId, ids), eq(paymentReceipts.status, "awaiting_confirmation")),
        )
    : [];
  const waiting = new Set(awaiting.map((a) => a.paymentId));
  const refundRows = ids.length
    ? await db
        .select({ refund: refunds, reference: payments.reference, currency: payments.currency })
        .from(refunds)
        .innerJoin(payments, eq(payments.id, refunds.paymentId))
        .where(inArray(refunds.paymentId, ids))
        .orderBy(desc(refunds.createdAt))
    : [];
  const holds = await db
    .select({ hold: bidSecurityHolds, agencyNameAr: payee.nameAr, agencyNameEn: payee.nameEn })
    .from(bidSecurityHolds)
    .innerJoin(payee, eq(payee.id, bidSecurityHolds.agencyId))
    .where(eq(bidSecurityHolds.businessId, businessId))
    .orderBy(desc(bidSecurityHolds.createdAt));
  return {
    payments: rows.map(
      (r): BillingPayment => ({
        ...r.payment,
        payeeNameAr: r.payeeNameAr,
        payeeNameEn: r.payeeNameEn,
        awaitingConfirmation: waiting.has(r.payment.id),
      }),
    ),
    refunds: refundRows.map((r) => ({ ...r.refund, reference: r.reference, currency: r.currency })),
    holds: holds.map((h) => ({ ...h.hold, agencyNameAr: h.agencyNameAr, agencyNameEn: h.agencyNameEn })),
  };
}

export interface PaymentForPayer {
  payment: BillingPayment;
  settings: AgencyPaymentSettings;
  refunds: Refund[];
}

/** One payment of the business, with how to pay it. Another business's payment is simply not found. */
export async function paymentForPayer(
  actor: Actor,
  paymentId: string,
  db: Queryable,
): Promise<PaymentForPayer> {
  assertCan(actor, "billing:read");
  const [row] = await db
    .select({ payment: payments, payeeNameAr: payee.nameAr, payeeNameEn: payee.nameEn })
    .from(payments)
    .innerJoin(payee, eq(payee.id, payments.payeeId))
    .where(and(eq(payments.id, paymentId), eq(payments.payerId, actor.membership!.organisationId)));
  if (!row) throw new AppError("NOT_FOUND");
  const awaiting = await db.query.paymentReceipts.findFirst({
    where: and(eq(paymentReceipts.paymentId, paymentId), eq(paymentReceipts.status, "awaiting_confirmation")),
  });
  return {
    payment: {
      ...row.payment,
      payeeNameAr: row.payeeNameAr,
      payeeNameEn: row.payeeNameEn,
      awaitingConfirmation: Boolean(awaiting),
    },
    settings: await paymentSettingsOf(row.payment.payeeId, db),
    refunds: await db
      .select()
      .from(refunds)
      .where(eq(refunds.paymentId, paymentId))
      .orderBy(refunds.createdAt),
  };
}
