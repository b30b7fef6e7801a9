import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import {
  auditEvents,
  awards,
  complaints,
  ledgerTransactions,
  notifications,
  payments,
  refunds,
} from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { awardedTender, fixedFee, paid } from "#tests/factories/complaints.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { complaintForAgency, complaintQueue } from "./complaint-views.server.ts";
import { decideComplaint } from "./decide-complaint.server.ts";
import { fileComplaint, lodgeComplaint } from "./file-complaint.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

const GROUNDS =
  "The winner's bank guarantee expired before the deadline, so its bid should have been excluded.";
const DECISION = "The guarantee had expired; the bid is excluded and the lot goes back to the officer.";

async function lodged(options: { fee?: bigint } = {}) {
  const {
    t,
    awards: [award],
  } = await awardedTender(db, keys);
  if (options.fee) await fixedFee(db, t.agency.id, "complaint", options.fee);
  const losers = t.bidders.filter((b) => b.bidId !== award!.bidId);
  const { complaint, payment } = await fileComplaint(
    { actor: losers[0]!.actor, tenderId: t.tender.id, lotId: t.lots[0]!.id, grounds: GROUNDS },
    db,
  );
  if (payment) {
    await paid(db, payment);
    await lodgeComplaint({ actor: losers[0]!.actor, complaintId: complaint.id }, db);
  }
  // approvers[0] approved the award; approvers[1] reviews.
  return { t, award: award!, losers, complaint, payment, reviewer: t.approvers[1]! };
}

const awardOf = async (id: string) => (await db.query.awards.findFirst({ where: eq(awards.id, id) }))!;

describe("deciding a complaint", () => {
  test("an upheld complaint refunds its fee through the ledger and sends the lot back to the officer", async () => {
    const { t, award, losers, complaint, payment, reviewer } = await lodged({ fee: 60_000n });
    expect((await complaintQueue(reviewer, db)).waiting.map((r) => r.complaint.id)).toContain(complaint.id);
    // Who may not decide: the approver of the award, a procurement officer, the complainant.
    await expect(
      decideComplaint(
        { actor: t.approvers[0]!, complaintId: complaint.id, outcome: "upheld", decision: DECISION },
        { db },
      ),
    ).rejects.toMatchObject({ code: "COMPLAINT_REVIEWER_INVOLVED", status: 403 });
    expect((await complaintForAgency(t.approvers[0]!, complaint.id, db)).mayDecide).toBe(false);
    await expect(
      decideComplaint(
        { actor: t.officer, complaintId: complaint.id, outcome: "upheld", decision: DECISION },
        { db },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      decideComplaint(
        { actor: losers[0]!.actor, complaintId: complaint.id, outcome: "upheld", decision: DECISION },
        { db },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await complaintForAgency(reviewer, complaint.id, db)).mayDecide).toBe(true);

    const { complaint: decided, award: after } = await decideComplaint(
      { actor: reviewer, complaintId: complaint.id, outcome: "upheld", decision: DECISION, sendBack: true },
      { db },
    );
    expect(decided).toMatchObject({
      status: "upheld",
      decision: DECISION,
      sentBack: true,
      decidedBy: reviewer.userId,
    });
    expect(after).toMatchObject({ status: "cancelled", cancelReason: DECISION, suspendedAt: null });

    // The fee went back once, through the ledger, with the reason complaint_upheld.
    const refund = (await db.query.refunds.findFirst({ where: eq(refunds.id, decided.feeRefundId!) }))!;
    expect(refund).toMatchObject({ paymentId: payment!.id, amount: 60_000n, reason: "complaint_upheld" });
    expect(await db.query.payments.findFirst({ where: eq(payments.id, payment!.id) })).toMatchObject({
      refundedAmount: 60_000n,
    });
    const entries = await db
      .select()
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.kind, "refund"), eq(ledgerTransactions.referenceId, refund.id)));
    expect(entries).toHaveLength(1);
    await expect(
      decideComplaint(
        { actor: reviewer, complaintId: complaint.id, outcome: "rejected", decision: DECISION },
        { db },
      ),
    ).rejects.toMatchObject({ code: "COMPLAINT_NOT_PENDING", status: 409 });
    expect(await db.select().from(refunds).where(eq(refunds.paymentId, payment!.id))).toHaveLength(1);

    // The lot is open to a new recommendation from the stored result (the decision justifies another bid).
    const again = await recommendAward(
      {
        actor: t.officer,
        tenderId: t.tender.id,
        lotId: t.lots[0]!.id,
        bidId: losers[0]!.bidId,
        justification: DECISION,
      },
      db,
    );
    expect(again.status).toBe("recommended");
    const actions = (
      await db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(sql`${auditEvents.objectId} in (${complaint.id}, ${award.id})`)
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["complaint.upheld", "award.cancelled"]));
    const kinds = (
      await db.select().from(notifications).where(eq(notifications.userId, losers[0]!.actor.userId))
    ).map((n) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(["complaintLodged", "complaintDecided"]));
  });

  test("a rejected complaint lets the award resume, its standstill extended by the time it was suspended", async () => {
    const { award, complaint, reviewer } = await lodged();
    // Two hours pass while the award is suspended.
    await db.execute(
      sql`update awards set suspended_at = suspended_at - interval '2 hours' where id = ${award.id}`,
    );
    const before = await awardOf(award.id);
    expect(before.status).toBe("suspended");
    const { complaint: decided, award: after } = await decideComplaint(
      {
        actor: reviewer,
        complaintId: complaint.id,
        outcome: "rejected",
        decision: "The guarantee was valid on the deadline.",
      },
      { db },
    );
    expect(decided).toMatchObject({ status: "rejected", feeRefundId: null, sentBack: false });
    expect(after).toMatchObject({ status: "approved", suspendedAt: null });
    const extendedBy = after.standstillEndsAt!.getTime() - award.standstillEndsAt!.getTime();
    expect(extendedBy).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(extendedBy).toBeLessThan(2 * 3600_000 + 60_000);
  });

  test("the award stays suspended until every lodged complaint about it is decided", async () => {
    const { t, award, losers, complaint, reviewer } = await lodged();
    const second = await fileComplaint(
      { actor: losers[1]!.actor, tenderId: t.tender.id, lotId: t.lots[0]!.id, grounds: GROUNDS },
      db,
    );
    const admin = actorOf(
      await createUser(db, { memberships: [{ organisationId: t.agency.id, roles: ["agency_admin"] }] }),
      { organisationId: t.agency.id, kind: "agency", roles: ["agency_admin"] },
    );
    await decideComplaint(
      {
        actor: reviewer,
        complaintId: complaint.id,
        outcome: "declined",
        decision: "Lodged by a business that is not eligible.",
      },
      { db },
    );
    expect((await awardOf(award.id)).status).toBe("suspended");
    // The agency's administrator reviews complaints too; resolved lets the award resume.
    await decideComplaint(
      {
        actor: admin,
        complaintId: second.complaint.id,
        outcome: "resolved",
        decision: "The bidder withdrew it after an explanation.",
      },
      { db },
    );
    expect((await awardOf(award.id)).status).toBe("approved");
    expect(await db.select().from(complaints).where(eq(complaints.awardId, award.id))).toHaveLength(2);
  });

  test("bad input is refused with a translated 400", async () => {
    const { complaint, reviewer } = await lodged();
    const decide = (outcome: string, decision: string, sendBack = false) =>
      decideComplaint({ actor: reviewer, complaintId: complaint.id, outcome, decision, sendBack }, { db });
    await expect(decide("upheld", "Yes.")).rejects.toMatchObject({
      code: "COMPLAINT_DECISION_REQUIRED",
      status: 400,
      field: "decision",
    });
    await expect(decide("approved", DECISION)).rejects.toMatchObject({
      code: "VALIDATION",
      field: "outcome",
    });
    await expect(decide("rejected", DECISION, true)).rejects.toMatchObject({
      code: "VALIDATION",
      field: "sendBack",
    });
    await expect(
      decideComplaint(
        {
          actor: reviewer,
          complaintId: "00000000-0000-4000-8000-000000000000",
          outcome: "upheld",
          decision: DECISION,
        },
        { db },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
  });
});
