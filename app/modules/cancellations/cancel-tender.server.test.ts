import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import { fileComplaint } from "#app/modules/complaints/file-complaint.server.ts";
import { holdBidSecurity } from "#app/modules/payments/payment-ledger.server.ts";
import { requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import {
  auditEvents,
  awards,
  bidSecurityHolds,
  ledgerTransactions,
  notifications,
  payments,
  refunds,
  tenderLots,
  tenders,
} from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { awardedTender, paid } from "#tests/factories/complaints.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import type { OpenedTender } from "#tests/factories/tenders.ts";
import { agencyWithStaff, publishedTender } from "#tests/factories/tenders.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { cancelLot, cancelTender, settleCancellation } from "./cancel-tender.server.ts";
import { setCancellationRefundPolicy } from "./refund-policy.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();
const REASON = "The budget for this project was withdrawn by the ministry of finance.";

/** Each bidder bought the documents (25.000 KWD, captured) and holds a bid security. */
async function withMoney(t: OpenedTender) {
  const fees = [];
  for (const b of t.bidders) {
    const payment = await requestFeePayment(
      {
        payerId: b.business.id,
        agencyId: t.agency.id,
        feeType: "tender_document",
        subject: `tender:${t.tender.id}`,
        price: { amount: 25_000n, currency: "KWD" },
      },
      db,
    );
    fees.push(await paid(db, payment));
    await holdBidSecurity(
      {
        businessId: b.business.id,
        agencyId: t.agency.id,
        currency: "KWD",
        amount: 500_000n,
        subject: `bid:${b.bidId}`,
        actor: { userId: null },
      },
      db,
    );
  }
  return fees;
}

const holdsOf = (t: OpenedTender) =>
  db
    .select()
    .from(bidSecurityHolds)
    .where(
      inArray(
        bidSecurityHolds.subject,
        t.bidders.map((b) => `bid:${b.bidId}`),
      ),
    );

/** A signed contract for an award whose standstill is over, written as the contracts module's rules allow. */
async function signedContract(t: OpenedTender, awardId: string, status: "signed" | "awaiting_acceptance") {
  await db.execute(
    sql`update awards set standstill_ends_at = now() - interval '1 second' where id = ${awardId}`,
  );
  await db.transaction(async (tx) => {
    const award = (await tx.query.awards.findFirst({ where: eq(awards.id, awardId) }))!;
    const winner = t.bidders.find((b) => b.bidId === award.bidId)!;
    const signed = status === "signed";
    const [contract] =
      (await tx.execute(sql`insert into contracts (reference, award_id, tender_id, tender_lot_id,
        agency_id, business_id, currency, value, starts_on, ends_on, status, created_by,
        accepted_by, accepted_at, signed_by, signed_at)
      values (${`C-${awardId.slice(0, 8)}`}, ${award.id}, ${award.tenderId}, ${award.tenderLotId}, ${t.agency.id},
        ${award.businessId}, ${award.currency}, ${award.price}, current_date, current_date + 90, ${status},
        ${t.officer.userId}, ${signed ? winner.actor.userId : null}, ${signed ? sql`now()` : null},
        ${signed ? t.secondOfficer.userId : null}, ${signed ? sql`now()` : null})
      returning id`)) as unknown as [{ id: string }];
    await tx.execute(sql`insert into contract_milestones (contract_id, position, title_ar, title_en, due_on, amount)
      values (${contract.id}, 1, 'التسليم', 'Delivery', current_date + 90, ${award.price})`);
    await tx.execute(sql`update awards set status = 'contracted' where id = ${award.id}`);
  });
}

describe("cancelling a tender", () => {
  test("refunds its document fees once (run twice) and releases the bid securities; bidders are told", async () => {
    const {
      t,
      awards: [award],
    } = await awardedTender(db, keys);
    const fees = await withMoney(t);
    // A complaint suspends the award meanwhile: the cancellation cancels it all the same.
    const loser = t.bidders.find((b) => b.bidId !== award!.bidId)!;
    await fileComplaint(
      {
        actor: loser.actor,
        tenderId: t.tender.id,
        lotId: t.lots[0]!.id,
        grounds: "The winner's experience certificates were issued after the submission deadline.",
      },
      db,
    );
    const { tender, settlement } = await cancelTender(
      { actor: t.officer, tenderId: t.tender.id, reason: REASON },
      { db },
    );
    expect(tender).toMatchObject({
      status: "cancelled",
      cancelReason: REASON,
      cancelledBy: t.officer.userId,
    });
    expect(settlement).toEqual({ refunds: 3, released: 3 });
    expect(await db.query.awards.findFirst({ where: eq(awards.id, award!.id) })).toMatchObject({
      status: "cancelled",
      cancelReason: REASON,
      suspendedAt: null,
    });

    // Again: nothing moves twice.
    expect(await settleCancellation({ tenderId: t.tender.id, actor: { userId: null } }, { db })).toEqual({
      refunds: 0,
      released: 0,
    });
    await expect(
      cancelTender({ actor: t.officer, tenderId: t.tender.id, reason: REASON }, { db }),
    ).rejects.toMatchObject({ code: "TENDER_NOT_CANCELLABLE", status: 409 });
    for (const fee of fees) {
      const made = await db.select().from(refunds).where(eq(refunds.paymentId, fee.id));
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ amount: 25_000n, reason: "tender_cancelled" });
      expect(await db.query.payments.findFirst({ where: eq(payments.id, fee.id) })).toMatchObject({
        refundedAmount: 25_000n,
      });
      const entries = await db
        .select()
        .from(ledgerTransactions)
        .where(and(eq(ledgerTransactions.kind, "refund"), eq(ledgerTransactions.referenceId, made[0]!.id)));
      expect(entries).toHaveLength(1);
    }
    const holds = await holdsOf(t);
    expect(holds.map((h) => h.status)).toEqual(["released", "released", "released"]);
    const released = await db
      .select()
      .from(ledgerTransactions)
      .where(
        and(
          eq(ledgerTransactions.kind, "bid_security_released"),
          inArray(
            ledgerTransactions.referenceId,
            holds.map((h) => h.id),
          ),
        ),
      );
    expect(released).toHaveLength(3);

    // Audited; every bidder told, with the reason.
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, t.tender.id), eq(auditEvents.action, "tender.cancelled")));
    expect(events).toHaveLength(1);
    for (const b of t.bidders) {
      const told = await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, b.actor.userId), eq(notifications.kind, "tenderCancelled")));
      expect(told).toHaveLength(1);
      expect(told[0]!.params).toMatchObject({ reference: t.tender.reference, reason: REASON });
    }
  });

  test("with the agency's policy off, document fees are kept; securities are released all the same", async () => {
    const { t } = await awardedTender(db, keys);
    const fees = await withMoney(t);
    const finance = actorOf(
      await createUser(db, { memberships: [{ organisationId: t.agency.id, roles: ["finance_officer"] }] }),
      { organisationId: t.agency.id, kind: "agency", roles: ["finance_officer"] },
    );
    await expect(
      setCancellationRefundPolicy({ actor: t.officer, refundDocumentFees: false }, db),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await setCancellationRefundPolicy({ actor: finance, refundDocumentFees: false }, db)).toBe(false);
    const { settlement } = await cancelTender(
      { actor: t.officer, tenderId: t.tender.id, reason: REASON },
      { db },
    );
    expect(settlement).toEqual({ refunds: 0, released: 3 });
    expect(
      await db
        .select()
        .from(refunds)
        .where(
          inArray(
            refunds.paymentId,
            fees.map((f) => f.id),
          ),
        ),
    ).toHaveLength(0);
  });

  test("cancelling one lot: its award is cancelled, the other lot goes on; the last lot cancels the tender", async () => {
    // Bidder 0 prices both lots, bidder 1 only lot 1, bidder 2 only lot 2.
    const { t, awards: lotAwards } = await awardedTender(db, keys, {
      prices: [
        ["1000000", "2000000"],
        ["1100000", null],
        [null, "1900000"],
      ],
    });
    const fees = await withMoney(t);
    const [lot1, lot2] = t.lots;
    const { lot, tender, settlement } = await cancelLot(
      { actor: t.officer, tenderId: t.tender.id, lotId: lot1!.id, reason: REASON },
      { db },
    );
    expect(lot).toMatchObject({ cancelReason: REASON });
    expect(tender.status).toBe("opened");
    // Only bidder 1 priced nothing but lot 1: its security is released; no document fee is refunded.
    expect(settlement).toEqual({ refunds: 0, released: 1 });
    const statusOf = async (id: string) =>
      (await db.query.awards.findFirst({ where: eq(awards.id, id) }))!.status;
    const award1 = lotAwards.find((a) => a.tenderLotId === lot1!.id)!;
    const award2 = lotAwards.find((a) => a.tenderLotId === lot2!.id)!;
    expect(await statusOf(award1.id)).toBe("cancelled");
    expect(await statusOf(award2.id)).toBe("approved");
    await expect(
      cancelLot({ actor: t.officer, tenderId: t.tender.id, lotId: lot1!.id, reason: REASON }, { db }),
    ).rejects.toMatchObject({ code: "LOT_ALREADY_CANCELLED", status: 409 });
    // No award can be made for it again — the database refuses it.
    await expect(
      recommendAward(
        {
          actor: t.officer,
          tenderId: t.tender.id,
          lotId: lot1!.id,
          bidId: t.bidders[1]!.bidId,
          justification: "x",
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "LOT_ALREADY_CANCELLED" });
    const lotNotices = await db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, t.bidders[2]!.actor.userId), eq(notifications.kind, "lotCancelled")),
      );
    expect(lotNotices).toHaveLength(1);

    // The last open lot: the whole tender is cancelled, its fees refunded, the other securities released.
    const last = await cancelLot(
      { actor: t.officer, tenderId: t.tender.id, lotId: lot2!.id, reason: REASON },
      { db },
    );
    expect(last.tender.status).toBe("cancelled");
    expect(last.settlement).toEqual({ refunds: 3, released: 2 });
    expect(await statusOf(award2.id)).toBe("cancelled");
    expect(
      await db
        .select()
        .from(refunds)
        .where(
          inArray(
            refunds.paymentId,
            fees.map((f) => f.id),
          ),
        ),
    ).toHaveLength(3);
    expect((await holdsOf(t)).every((h) => h.status === "released")).toBe(true);
    expect(await db.select().from(tenderLots).where(eq(tenderLots.tenderId, t.tender.id))).toSatisfy(
      (lots: unknown[]) => lots.every((l) => (l as { cancelledAt: Date | null }).cancelledAt !== null),
    );
  });

  test("after a contract is signed the tender and its lot can no longer be cancelled", async () => {
    const {
      t,
      awards: [award],
    } = await awardedTender(db, keys);
    await signedContract(t, award!.id, "signed");
    await expect(
      cancelTender({ actor: t.officer, tenderId: t.tender.id, reason: REASON }, { db }),
    ).rejects.toMatchObject({ code: "CONTRACT_ALREADY_SIGNED", status: 409 });
    await expect(
      cancelLot({ actor: t.officer, tenderId: t.tender.id, lotId: t.lots[0]!.id, reason: REASON }, { db }),
    ).rejects.toMatchObject({ code: "CONTRACT_ALREADY_SIGNED" });
    expect((await db.query.tenders.findFirst({ where: eq(tenders.id, t.tender.id) }))!.status).toBe("opened");
    // A contract made but not yet signed stops it too (a contracted award never changes again).
    const other = await awardedTender(db, keys);
    await signedContract(other.t, other.awards[0]!.id, "awaiting_acceptance");
    await expect(
      cancelTender({ actor: other.t.officer, tenderId: other.t.tender.id, reason: REASON }, { db }),
    ).rejects.toMatchObject({ code: "CONTRACT_IN_PROGRESS", status: 409 });
  });

  test("who may cancel, and bad input as translated 4xx", async () => {
    const staff = await agencyWithStaff(db);
    const { tender } = await publishedTender(db, keys, staff);
    const cancel = (actor: typeof staff.officer, reason = REASON, tenderId = tender.id) =>
      cancelTender({ actor, tenderId, reason }, { db });
    await expect(cancel(staff.officer, "  short ")).rejects.toMatchObject({
      code: "CANCEL_REASON_REQUIRED",
      status: 400,
      field: "reason",
    });
    await expect(cancel(staff.evaluators[0]!)).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    const elsewhere = await agencyWithStaff(db);
    await expect(cancel(elsewhere.officer)).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    // A published tender (before its deadline) may be cancelled; nothing to refund or release.
    const { tender: cancelled, settlement } = await cancelTender(
      { actor: staff.secondOfficer, tenderId: tender.id, reason: REASON },
      { db },
    );
    expect(cancelled.status).toBe("cancelled");
    expect(settlement).toEqual({ refunds: 0, released: 0 });
    // The database keeps a cancellation's reason.
    const bypass = await db
      .execute(sql`update tenders set cancel_reason = ' ' where id = ${tender.id}`)
      .catch((e: unknown) => e);
    expect(bypass).toBeInstanceOf(Error);
  });
});
