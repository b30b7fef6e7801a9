import { and, eq, ne } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { type FeeType, type Payment, payments } from "#db/schema/index.ts";
import { feeFor } from "./fee-schedules.server.ts";
import { newPaymentReference } from "./payment-ledger.server.ts";

/**
 * The fee gate other modules use (tenders for document and submission fees,
 * permits for application fees, complaints): ask for a fee's payment, and ask
 * whether it is paid. The amount comes from the agency's fee schedule at the
 * time of the request; asking again for the same payer, fee and subject returns
 * the open request instead of a second one (a unique index makes that hold under
 * concurrency). Callers check who may pay; this module only prices and records.
 */
export async function requestFeePayment(
  input: {
    payerId: string;
    agencyId: string;
    feeType: FeeType;
    /** What it pays for, e.g. "tender:<id>" or "permit_application:<id>". */
    subject: string;
    /** For permit fees: the permit type's code in the schedule. */
    scheduleSubject?: string;
    /** For percentage fees: the amount it is a percentage of, in minor units. */
    base?: bigint | null;
    /** A price set by the object itself (a tender's own document fee) instead of the schedule. */
    price?: { amount: bigint; currency: string };
  },
  db: Db,
): Promise<Payment> {
  const open = await openRequest(db, input);
  if (open) return open;
  const fee =
    input.price ??
    (await feeFor(
      { agencyId: input.agencyId, feeType: input.feeType, subject: input.scheduleSubject, base: input.base },
      db,
    ));
  if (!fee || fee.amount <= 0n) throw new AppError("FEE_NOT_CHARGED");
  const [created] = await db
    .insert(payments)
    .values({
      payerId: input.payerId,
      payeeId: input.agencyId,
      feeType: input.feeType,
      subject: input.subject,
      currency: fee.currency,
      amount: fee.amount,
      method: "bank_transfer",
      reference: newPaymentReference(),
    })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  // Someone asked at the same moment: theirs is the request.
  const raced = await openRequest(db, input);
  if (!raced) throw new AppError("IDEMPOTENCY_CONFLICT");
  return raced;
}

function openRequest(db: Queryable, input: { payerId: string; feeType: FeeType; subject: string }) {
  return db.query.payments.findFirst({
    where: and(
      eq(payments.payerId, input.payerId),
      eq(payments.feeType, input.feeType),
      eq(payments.subject, input.subject),
      ne(payments.status, "failed"),
    ),
  });
}

/** Whether the payer has paid the fee for this subject (captured; refunds do not undo a paid gate). */
export async function isFeePaid(
  query: { payerId: string; feeType: FeeType; subject: string },
  db: Queryable,
): Promise<boolean> {
  const found = await openRequest(db, query);
  return found?.status === "captured";
}

/** The fee types a payer has paid for one subject (e.g. a tender's document and submission fees), in one read. */
export async function paidFeeTypes(
  query: { payerId: string; subject: string },
  db: Queryable,
): Promise<Set<FeeType>> {
  const rows = await db
    .select({ feeType: payments.feeType })
    .from(payments)
    .where(
      and(
        eq(payments.payerId, query.payerId),
        eq(payments.subject, query.subject),
        eq(payments.status, "captured"),
      ),
    );
  return new Set(rows.map((r) => r.feeType as FeeType));
}
