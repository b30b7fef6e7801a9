import { and, eq, inArray, sql } from "drizzle-orm";
import { resolveBidSecurity } from "#app/modules/payments/payment-ledger.server.ts";
import { isAppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { awards, bidSecurityHolds, tenderLots, tenderOpenings, tenders } from "#db/schema/index.ts";
import { bidSecuritySubject, securityReleasable } from "./contract-rules.ts";

/**
 * Bid securities go back to their bidders through the ledger (resolveBidSecurity:
 * escrow → the business, exactly once) when `securityReleasable` says so:
 *
 * - a LOSER's when the award of every lot it priced is FINAL — approved (or
 *   contracted) with its standstill over by the database clock, so not while a
 *   complaint suspends it, and not yet while the award could still be
 *   overturned (decision 020);
 * - the WINNER's at the signature of its contract (of every lot it won).
 *
 * Called by the contract's creation and signature, and every few minutes by a
 * job for awards that became final without a contract being made yet. A hold
 * is found by its subject, `bid:<bidId>` (or the bare bid id).
 */
export async function releaseSettledBidSecurities(
  tx: Tx,
  tenderId: string,
  actor: { userId: string | null; ip?: string | null },
): Promise<number> {
  const tender = await tx.query.tenders.findFirst({ where: eq(tenders.id, tenderId) });
  const opening = await tx.query.tenderOpenings.findFirst({ where: eq(tenderOpenings.tenderId, tenderId) });
  if (!tender || !opening?.record) return 0;
  const bids = opening.record.map((e) => ({ bidId: e.bidId, lotIds: e.lots.map((l) => l.lotId) }));
  const bySubject = new Map(
    bids.flatMap((b) => [[bidSecuritySubject(b.bidId), b] as const, [b.bidId, b] as const]),
  );
  if (bySubject.size === 0) return 0;
  const held = await tx
    .select({ id: bidSecurityHolds.id, subject: bidSecurityHolds.subject })
    .from(bidSecurityHolds)
    .where(
      and(
        eq(bidSecurityHolds.agencyId, tender.agencyId),
        inArray(bidSecurityHolds.subject, [...bySubject.keys()]),
        eq(bidSecurityHolds.status, "held"),
      ),
    );
  if (held.length === 0) return 0;
  const outcomes = await tx
    .select({
      lotId: awards.tenderLotId,
      bidId: awards.bidId,
      final: sql<boolean>`coalesce(${awards.standstillEndsAt} <= now(), false)`,
      // Qualified by hand: inside a subquery an unqualified "id" would be the contract's.
      signed: sql<boolean>`exists (select 1 from contracts c where c.award_id = "awards"."id" and c.status = 'signed')`,
    })
    .from(awards)
    .where(and(eq(awards.tenderId, tenderId), inArray(awards.status, ["approved", "contracted"])));
  const cancelledLots = new Set(
    (
      await tx
        .select({ id: tenderLots.id })
        .from(tenderLots)
        .where(
          and(
            eq(tenderLots.tenderId, tenderId),
            tender.status === "cancelled" ? undefined : sql`${tenderLots.cancelledAt} is not null`,
          ),
        )
    ).map((l) => l.id),
  );
  let released = 0;
  for (const hold of held) {
    const bid = bySubject.get(hold.subject);
    if (!bid || !securityReleasable(bid, outcomes, cancelledLots)) continue;
    try {
      await resolveBidSecurity(
        { holdId: hold.id, outcome: "released", actor: { userId: actor.userId, ip: actor.ip } },
        tx,
      );
      released++;
    } catch (e) {
      // Released (or forfeited) by someone else meanwhile: nothing more to do for it.
      if (!isAppError(e) || e.code !== "HOLD_ALREADY_RESOLVED") throw e;
    }
  }
  return released;
}

/**
 * The job's sweep: every tender with a final award and a bid security still
 * held, one transaction each (a failure in one leaves the others released).
 */
export async function releaseFinalAwardSecurities(db: Db): Promise<{ tenders: number; released: number }> {
  const rows = (await db.execute(sql`
    select distinct a.tender_id as id
    from awards a
    join tender_openings o on o.tender_id = a.tender_id
    where a.status in ('approved', 'contracted') and a.standstill_ends_at <= now()
      and exists (
        select 1 from bid_security_holds h, jsonb_array_elements(o.record) e
        where h.status = 'held' and h.subject in ('bid:' || (e ->> 'bidId'), e ->> 'bidId')
      )
    limit 500
  `)) as unknown as Array<{ id: string }>;
  let released = 0;
  for (const row of rows)
    released += await db.transaction((tx) => releaseSettledBidSecurities(tx, row.id, { userId: null }));
  return { tenders: rows.length, released };
}
