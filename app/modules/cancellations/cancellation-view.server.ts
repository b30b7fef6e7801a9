import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { paymentSettingsOf } from "#app/modules/payments/fee-schedules.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  awards,
  bidSecurityHolds,
  bids,
  contracts,
  INACTIVE_AWARD_STATUSES,
  payments,
  tenderLots,
  tenders,
} from "#db/schema/index.ts";

/**
 * What the officer sees before cancelling a tender or a lot: its lots with
 * their awards, the agency's refund policy, the document fees a cancellation
 * would refund and the bid securities it would release, and whether a
 * contract stops it.
 */
export async function cancellationView(actor: Actor, tenderId: string, db: Queryable) {
  assertCan(actor, "tender:publish");
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  const tender = await db.query.tenders.findFirst({
    where: and(eq(tenders.id, tenderId), eq(tenders.agencyId, actor.membership.organisationId)),
  });
  if (!tender || tender.status === "draft") throw new AppError("NOT_FOUND");
  const lots = await db
    .select({ lot: tenderLots, awardStatus: awards.status })
    .from(tenderLots)
    .leftJoin(
      awards,
      and(eq(awards.tenderLotId, tenderLots.id), notInArray(awards.status, [...INACTIVE_AWARD_STATUSES])),
    )
    .where(eq(tenderLots.tenderId, tender.id))
    .orderBy(asc(tenderLots.number));
  const made = await db
    .select({ lotId: contracts.tenderLotId, status: contracts.status })
    .from(contracts)
    .where(eq(contracts.tenderId, tender.id));
  const policy = await paymentSettingsOf(tender.agencyId, db);
  const [fees] = await db
    .select({
      count: sql<number>`count(*)::int`,
      total: sql<string>`coalesce(sum(${payments.capturedAmount} - ${payments.refundedAmount}), 0)::text`,
      currency: sql<string | null>`min(${payments.currency})`,
    })
    .from(payments)
    .where(
      and(
        eq(payments.payeeId, tender.agencyId),
        eq(payments.feeType, "tender_document"),
        eq(payments.subject, `tender:${tender.id}`),
        eq(payments.status, "captured"),
        sql`${payments.capturedAmount} > ${payments.refundedAmount}`,
      ),
    );
  const bidIds = (await db.select({ id: bids.id }).from(bids).where(eq(bids.tenderId, tender.id))).map(
    (b) => b.id,
  );
  const [holds] =
    bidIds.length > 0
      ? await db
          .select({ count: sql<number>`count(*)::int` })
          .from(bidSecurityHolds)
          .where(
            and(
              eq(bidSecurityHolds.agencyId, tender.agencyId),
              inArray(
                bidSecurityHolds.subject,
                bidIds.flatMap((id) => [`bid:${id}`, id]),
              ),
              eq(bidSecurityHolds.status, "held"),
            ),
          )
      : [{ count: 0 }];
  return {
    tender,
    lots: lots.map((l) => ({
      ...l,
      contract: made.find((c) => c.lotId === l.lot.id)?.status ?? null,
    })),
    cancellable: (tender.status === "published" || tender.status === "opened") && made.length === 0,
    refundDocumentFees: policy.refundDocumentFeesOnCancellation,
    documentFees: {
      count: fees?.count ?? 0,
      total: BigInt(fees?.total ?? "0"),
      currency: fees?.currency ?? null,
    },
    heldSecurities: holds?.count ?? 0,
  };
}
