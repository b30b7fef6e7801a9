import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import {
  BUSINESS_LISTENERS,
  notifyAll,
  usersWithRoles,
} from "#app/modules/complaints/complaint-notices.server.ts";
import { refundAutomatically } from "#app/modules/payments/automatic-refund.server.ts";
import { paymentSettingsOf } from "#app/modules/payments/fee-schedules.server.ts";
import { resolveBidSecurity } from "#app/modules/payments/payment-ledger.server.ts";
import type { CardPayments } from "#app/modules/payments/stripe-client.server.ts";
import { AppError, isAppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import {
  awards,
  bidSecurityHolds,
  bids,
  contracts,
  INACTIVE_AWARD_STATUSES,
  payments,
  type Tender,
  type TenderLot,
  tenderLots,
  tenderOpenings,
  tenders,
} from "#db/schema/index.ts";

/**
 * A procurement officer cancels a tender, or one lot of it, with a reason
 * everyone reads (decision 017). Refused once a contract is signed for it.
 *
 * In one transaction: the tender (or lot) is marked cancelled, every award of
 * it that still counts is cancelled too (a suspended one included), and the
 * bidders — and whoever bought the tender's documents — are told. Then the
 * money is settled, each step idempotent (`settleCancellation`; run it again
 * and nothing moves twice):
 *
 * - when the agency's policy says so (agency_payment_settings.
 *   refund_document_fees_on_cancellation, on unless turned off), every
 *   captured document fee of a cancelled TENDER is refunded in full, reason
 *   tender_cancelled, one refund per payment (its key names the tender and the
 *   payment). A lot has no document fee of its own: cancelling a lot refunds
 *   nothing;
 * - bid securities held for the tender's bids are released; for a cancelled
 *   lot, those of bids that priced no other lot still open (known from the
 *   opening record; before the opening nothing is released — the bid still
 *   stands for the other lots).
 *
 * When the last open lot of a tender is cancelled, the tender is cancelled
 * with it (same reason), so its document fees follow the policy too.
 */

type Deps = { db: Db; card?: CardPayments | null };
type Notice = { ip?: string | null; baseUrl?: string };

export const MIN_CANCEL_REASON_LENGTH = 10;

function reasonOf(text: unknown): string {
  const reason = typeof text === "string" ? text.trim() : "";
  if ([...reason].length < MIN_CANCEL_REASON_LENGTH || reason.length > 4000)
    throw new AppError("CANCEL_REASON_REQUIRED", { min: MIN_CANCEL_REASON_LENGTH }, { field: "reason" });
  return reason;
}

function officerOf(actor: Actor): { agencyId: string; userId: string } {
  assertCan(actor, "tender:publish");
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { agencyId: actor.membership.organisationId, userId: actor.userId };
}

/** The agency's tender, locked for the change; only a published or opened one may be cancelled. */
async function lockedTender(tx: Tx, tenderId: string, agencyId: string): Promise<Tender> {
  const [tender] = await tx
    .select()
    .from(tenders)
    .where(and(eq(tenders.id, tenderId), eq(tenders.agencyId, agencyId)))
    .for("update");
  if (!tender || tender.status === "draft") throw new AppError("NOT_FOUND");
  if (tender.status !== "published" && tender.status !== "opened")
    throw new AppError("TENDER_NOT_CANCELLABLE", { status: tender.status });
  return tender;
}

/**
 * A contract made from an award of the tender (or lot) stops the cancellation:
 * once signed, CONTRACT_ALREADY_SIGNED; before, CONTRACT_IN_PROGRESS (a
 * contracted award never changes state again — trigger awards_contracted_rules).
 * The awards are locked first, so a contract being made at this moment (its
 * trigger locks the award too) comes either before this check or after the
 * cancellation, which it then finds.
 */
export async function refuseIfContracted(tx: Tx, tenderId: string, lotId: string | null) {
  await tx
    .select({ id: awards.id })
    .from(awards)
    .where(and(eq(awards.tenderId, tenderId), lotId ? eq(awards.tenderLotId, lotId) : undefined))
    .for("update");
  const made = await tx
    .select({ status: contracts.status })
    .from(contracts)
    .where(and(eq(contracts.tenderId, tenderId), lotId ? eq(contracts.tenderLotId, lotId) : undefined));
  if (made.some((c) => c.status === "signed")) throw new AppError("CONTRACT_ALREADY_SIGNED");
  if (made.length > 0) throw new AppError("CONTRACT_IN_PROGRESS");
}

/** Every award of the tender (or lot) that still counts, cancelled with the reason. */
async function cancelAwards(
  tx: Tx,
  who: { userId: string; agencyId: string },
  where: { tenderId: string; lotId?: string },
  reason: string,
  ip?: string | null,
) {
  const cancelled = await tx
    .update(awards)
    .set({
      status: "cancelled",
      suspendedAt: null,
      cancelledAt: sql`now()`,
      cancelledBy: who.userId,
      cancelReason: reason,
    })
    .where(
      and(
        eq(awards.tenderId, where.tenderId),
        where.lotId ? eq(awards.tenderLotId, where.lotId) : undefined,
        notInArray(awards.status, [...INACTIVE_AWARD_STATUSES]),
      ),
    )
    .returning();
  for (const award of cancelled)
    await recordAudit(tx, {
      actorUserId: who.userId,
      organisationId: who.agencyId,
      action: "award.cancelled",
      objectType: "award",
      objectId: award.id,
      ip: ip ?? null,
      details: { tenderId: award.tenderId, lotId: award.tenderLotId, reason },
    });
  return cancelled.length;
}

/** The businesses to tell: those that bid, and (for a tender) those that paid for its documents. */
async function interestedBusinesses(tx: Tx, tender: Tender, withDocumentBuyers: boolean) {
  const bidders = await tx
    .selectDistinct({ id: bids.businessId })
    .from(bids)
    .where(and(eq(bids.tenderId, tender.id), eq(bids.status, "submitted")));
  const buyers = withDocumentBuyers
    ? await tx
        .selectDistinct({ id: payments.payerId })
        .from(payments)
        .where(
          and(
            eq(payments.payeeId, tender.agencyId),
            eq(payments.feeType, "tender_document"),
            eq(payments.subject, `tender:${tender.id}`),
            eq(payments.status, "captured"),
          ),
        )
    : [];
  return [...new Set([...bidders, ...buyers].map((b) => b.id))];
}

async function markTenderCancelled(
  tx: Tx,
  tender: Tender,
  who: { userId: string; agencyId: string },
  reason: string,
  notice: Notice,
  cause: { lotId?: string } = {},
) {
  const [cancelled] = await tx
    .update(tenders)
    .set({
      status: "cancelled",
      cancelledAt: sql`now()`,
      cancelledBy: who.userId,
      cancelReason: reason,
      updatedAt: sql`now()`,
    })
    .where(eq(tenders.id, tender.id))
    .returning();
  const awardsCancelled = await cancelAwards(tx, who, { tenderId: tender.id }, reason, notice.ip);
  await recordAudit(tx, {
    actorUserId: who.userId,
    organisationId: who.agencyId,
    action: "tender.cancelled",
    objectType: "tender",
    objectId: tender.id,
    ip: notice.ip ?? null,
    details: {
      reference: tender.reference,
      previousStatus: tender.status,
      reason,
      awardsCancelled,
      ...cause,
    },
  });
  const listeners = await usersWithRoles(
    tx,
    await interestedBusinesses(tx, tender, true),
    BUSINESS_LISTENERS,
  );
  await notifyAll(tx, listeners, {
    kind: "tenderCancelled",
    params: { reference: tender.reference, reason },
    link: `/tenders/${tender.id}`,
    baseUrl: notice.baseUrl,
  });
  return cancelled!;
}

export interface Settlement {
  refunds: number;
  released: number;
}

/** Cancel the whole tender, then settle its money. */
export async function cancelTender(
  input: { actor: Actor; tenderId: string; reason: string } & Notice,
  deps: Deps,
): Promise<{ tender: Tender; settlement: Settlement }> {
  const who = officerOf(input.actor);
  const reason = reasonOf(input.reason);
  const tender = await deps.db.transaction(async (tx) => {
    const locked = await lockedTender(tx, input.tenderId, who.agencyId);
    await refuseIfContracted(tx, locked.id, null);
    return markTenderCancelled(tx, locked, who, reason, input);
  });
  const settlement = await settleCancellation(
    { tenderId: tender.id, actor: { userId: who.userId, ip: input.ip } },
    deps,
  );
  return { tender, settlement };
}

/** Cancel one lot (the whole tender when it was the last open one), then settle its money. */
export async function cancelLot(
  input: { actor: Actor; tenderId: string; lotId: string; reason: string } & Notice,
  deps: Deps,
): Promise<{ tender: Tender; lot: TenderLot; settlement: Settlement }> {
  const who = officerOf(input.actor);
  const reason = reasonOf(input.reason);
  const result = await deps.db.transaction(async (tx) => {
    const locked = await lockedTender(tx, input.tenderId, who.agencyId);
    const [lot] = await tx
      .select()
      .from(tenderLots)
      .where(and(eq(tenderLots.id, input.lotId), eq(tenderLots.tenderId, locked.id)))
      .for("update");
    if (!lot) throw new AppError("NOT_FOUND");
    if (lot.cancelledAt) throw new AppError("LOT_ALREADY_CANCELLED");
    await refuseIfContracted(tx, locked.id, lot.id);
    const [cancelledLot] = await tx
      .update(tenderLots)
      .set({ cancelledAt: sql`now()`, cancelledBy: who.userId, cancelReason: reason })
      .where(eq(tenderLots.id, lot.id))
      .returning();
    const awardsCancelled = await cancelAwards(
      tx,
      who,
      { tenderId: locked.id, lotId: lot.id },
      reason,
      input.ip,
    );
    await recordAudit(tx, {
      actorUserId: who.userId,
      organisationId: who.agencyId,
      action: "tender_lot.cancelled",
      objectType: "tender",
      objectId: locked.id,
      ip: input.ip ?? null,
      details: { lotId: lot.id, number: lot.number, reason, awardsCancelled },
    });
    const [open] = await tx
      .select({ id: tenderLots.id })
      .from(tenderLots)
      .where(and(eq(tenderLots.tenderId, locked.id), isNull(tenderLots.cancelledAt)))
      .limit(1);
    if (!open) {
      const tender = await markTenderCancelled(tx, locked, who, reason, input, { lotId: lot.id });
      return { tender, lot: cancelledLot!, wholeTender: true };
    }
    const listeners = await usersWithRoles(
      tx,
      await interestedBusinesses(tx, locked, false),
      BUSINESS_LISTENERS,
    );
    await notifyAll(tx, listeners, {
      kind: "lotCancelled",
      params: { reference: locked.reference, lot: String(lot.number), reason },
      link: `/tenders/${locked.id}`,
      baseUrl: input.baseUrl,
    });
    return { tender: locked, lot: cancelledLot!, wholeTender: false };
  });
  const actor = { userId: who.userId, ip: input.ip };
  const settlement = result.wholeTender
    ? await settleCancellation({ tenderId: result.tender.id, actor }, deps)
    : { refunds: 0, released: await releaseSecurities(deps.db, result.tender, actor) };
  return { tender: result.tender, lot: result.lot, settlement };
}

/**
 * The money of a cancelled tender: document fees refunded per the agency's
 * policy, bid securities released. Idempotent: what was refunded or released
 * before is not touched again, so it may run again after a failure.
 */
export async function settleCancellation(
  input: { tenderId: string; actor: { userId: string | null; ip?: string | null } },
  deps: Deps,
): Promise<Settlement> {
  const tender = await deps.db.query.tenders.findFirst({ where: eq(tenders.id, input.tenderId) });
  if (tender?.status !== "cancelled") throw new AppError("NOT_FOUND");
  let refunded = 0;
  const policy = await paymentSettingsOf(tender.agencyId, deps.db);
  if (policy.refundDocumentFeesOnCancellation) {
    const paid = await deps.db
      .select()
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
    for (const payment of paid) {
      const refund = await refundAutomatically(
        {
          payment,
          reason: "tender_cancelled",
          key: `cancellation:${tender.id}:document-fee:${payment.id}`,
          note: tender.reference,
          actor: input.actor,
        },
        { db: deps.db, card: deps.card ?? null },
      );
      if (refund) refunded++;
    }
  }
  const released = await releaseSecurities(deps.db, tender, input.actor);
  return { refunds: refunded, released };
}

/**
 * Release the securities held for bids on the tender: all of them when the
 * tender is cancelled; otherwise those of bids whose every priced lot (in the
 * opening record) is cancelled. A hold's subject names its bid, as
 * `bid:<bidId>` (or the bare bid id).
 */
async function releaseSecurities(
  db: Db,
  tender: Tender,
  actor: { userId: string | null; ip?: string | null },
): Promise<number> {
  let bidIds: string[];
  if (tender.status === "cancelled") {
    bidIds = (await db.select({ id: bids.id }).from(bids).where(eq(bids.tenderId, tender.id))).map(
      (b) => b.id,
    );
  } else {
    const opening = await db.query.tenderOpenings.findFirst({
      where: eq(tenderOpenings.tenderId, tender.id),
    });
    if (!opening?.record) return 0;
    const cancelled = new Set(
      (
        await db
          .select({ id: tenderLots.id })
          .from(tenderLots)
          .where(and(eq(tenderLots.tenderId, tender.id), sql`${tenderLots.cancelledAt} is not null`))
      ).map((l) => l.id),
    );
    bidIds = opening.record
      .filter((entry) => entry.lots.length > 0 && entry.lots.every((l) => cancelled.has(l.lotId)))
      .map((entry) => entry.bidId);
  }
  if (bidIds.length === 0) return 0;
  const subjects = bidIds.flatMap((id) => [`bid:${id}`, id]);
  const held = await db
    .select({ id: bidSecurityHolds.id })
    .from(bidSecurityHolds)
    .where(
      and(
        eq(bidSecurityHolds.agencyId, tender.agencyId),
        inArray(bidSecurityHolds.subject, subjects),
        eq(bidSecurityHolds.status, "held"),
      ),
    );
  let released = 0;
  for (const hold of held) {
    try {
      await resolveBidSecurity({ holdId: hold.id, outcome: "released", actor }, db);
      released++;
    } catch (e) {
      // Released (or forfeited) by someone else meanwhile: nothing more to do for it.
      if (!isAppError(e) || e.code !== "HOLD_ALREADY_RESOLVED") throw e;
    }
  }
  return released;
}
