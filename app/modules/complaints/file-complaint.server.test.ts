import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { ANONYMOUS } from "#app/modules/accounts/actor.ts";
import { publicAwards } from "#app/modules/awards/award-views.server.ts";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { auditEvents, awards, complaints, notifications } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { awardedTender, fixedFee, paid } from "#tests/factories/complaints.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { bidderBusiness } from "#tests/factories/tenders.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { myComplaints } from "./complaint-views.server.ts";
import { fileComplaint, lodgeComplaint, requestComplaintFee } from "./file-complaint.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

const GROUNDS =
  "The winning bid did not include the classification certificate the tender requires, yet it passed.";

/** An awarded one-lot tender: its award, a losing bidder and the winner. */
async function awarded() {
  const {
    t,
    awards: [award],
  } = await awardedTender(db, keys);
  const loser = t.bidders.find((b) => b.bidId !== award!.bidId)!;
  const winner = t.bidders.find((b) => b.bidId === award!.bidId)!;
  return { t, award: award!, loser, winner, lotId: t.lots[0]!.id };
}

const awardOf = async (id: string) => (await db.query.awards.findFirst({ where: eq(awards.id, id) }))!;

describe("lodging a complaint", () => {
  test("a complaint suspends the award, and no contract can be made from it while suspended", async () => {
    const { t, award, loser, winner, lotId } = await awarded();
    // The agency charges no complaint fee: the complaint is lodged at once.
    const { complaint, payment } = await fileComplaint(
      { actor: loser.actor, tenderId: t.tender.id, lotId, grounds: `  ${GROUNDS}  ` },
      db,
    );
    expect(payment).toBeNull();
    expect(complaint).toMatchObject({ status: "lodged", grounds: GROUNDS, businessId: loser.business.id });
    expect(complaint.lodgedAt).not.toBeNull();
    const suspended = await awardOf(award.id);
    expect(suspended.status).toBe("suspended");
    expect(suspended.suspendedAt).not.toBeNull();
    expect(suspended.standstillEndsAt).toEqual(award.standstillEndsAt);

    // The public still sees the award, now marked suspended — nothing of the complaint.
    const notices = await publicAwards(t.tender.id, db);
    expect(notices.map((n) => n.award.status)).toEqual(["suspended"]);

    // Audited, and the complainant, the agency's officers and reviewers, and the winner are told.
    const actions = (
      await db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(sql`${auditEvents.objectId} in (${complaint.id}, ${award.id})`)
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["complaint.written", "complaint.lodged", "award.suspended"]),
    );
    const told = async (userId: string) =>
      (await db.select().from(notifications).where(eq(notifications.userId, userId))).map((n) => n.kind);
    expect(await told(loser.actor.userId)).toEqual(["complaintLodged"]);
    expect(await told(winner.actor.userId)).toEqual(["awardSuspended"]);
    expect(await told(t.officer.userId)).toEqual(["complaintReceived"]);
    expect(await told(t.approvers[1]!.userId)).toEqual(["complaintReceived"]);
    expect(await told(t.evaluators[0]!.userId)).toEqual([]);

    // A second bidder may complain too; the award stays suspended, from the first complaint on.
    const third = t.bidders.find((b) => b !== loser && b !== winner)!;
    const second = await fileComplaint(
      { actor: third.actor, tenderId: t.tender.id, lotId, grounds: GROUNDS },
      db,
    );
    expect(second.complaint.status).toBe("lodged");
    expect(await awardOf(award.id)).toMatchObject({
      status: "suspended",
      suspendedAt: suspended.suspendedAt,
    });

    // The standstill cannot end into a contract: even once its end has passed, the contracts
    // module's trigger makes contracts only from approved awards, and a suspended award leaves
    // suspension only back to approved (no complaint still lodged) or cancelled.
    await db.execute(
      sql`update awards set standstill_ends_at = now() - interval '1 second' where id = ${award.id}`,
    );
    const contract = await db
      .execute(sql`insert into contracts (reference, award_id, tender_id, tender_lot_id, agency_id, business_id,
          currency, value, starts_on, ends_on, created_by)
        values ('C-1', ${award.id}, ${award.tenderId}, ${award.tenderLotId}, ${t.agency.id}, ${award.businessId},
          ${award.currency}, ${award.price}, current_date, current_date + 30, ${t.officer.userId})`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(contract)).toMatchObject({ code: "23514", constraint: "contracts_award_final" });
    for (const [status, constraints] of [
      ["contracted", ["awards_suspended_exit", "awards_contracted_from_approved"]],
      ["approved", ["awards_resumed_without_open_complaint"]],
    ] as const) {
      const bypass = await db
        .execute(sql`update awards set status = ${status}, suspended_at = null where id = ${award.id}`)
        .catch((e: unknown) => e);
      expect(postgresErrorOf(bypass)?.code, status).toBe("23514");
      expect(constraints, status).toContain(postgresErrorOf(bypass)?.constraint);
    }
  });

  test("with a complaint fee, the complaint counts only once the fee is paid", async () => {
    const { t, award, loser, lotId } = await awarded();
    await fixedFee(db, t.agency.id, "complaint", 75_000n);
    const { complaint, payment } = await fileComplaint(
      { actor: loser.actor, tenderId: t.tender.id, lotId, grounds: GROUNDS },
      db,
    );
    expect(complaint).toMatchObject({
      status: "awaiting_fee",
      lodgedAt: null,
      feeAmount: 75_000n,
      feeCurrency: "KWD",
    });
    expect(payment).toMatchObject({
      feeType: "complaint",
      subject: `complaint:${complaint.id}`,
      amount: 75_000n,
      payerId: loser.business.id,
      payeeId: t.agency.id,
      status: "pending",
    });
    expect((await awardOf(award.id)).status).toBe("approved");
    // Asking again gives the same payment; a second complaint about the same award is refused.
    expect((await requestComplaintFee({ actor: loser.actor, complaintId: complaint.id }, db)).id).toBe(
      payment!.id,
    );
    await expect(
      fileComplaint({ actor: loser.actor, tenderId: t.tender.id, lotId, grounds: GROUNDS }, db),
    ).rejects.toMatchObject({ code: "COMPLAINT_ALREADY_OPEN", status: 409 });

    await expect(lodgeComplaint({ actor: loser.actor, complaintId: complaint.id }, db)).rejects.toMatchObject(
      {
        code: "COMPLAINT_FEE_UNPAID",
        status: 409,
      },
    );
    expect((await awardOf(award.id)).status).toBe("approved");
    await paid(db, payment!);
    const lodged = await lodgeComplaint({ actor: loser.actor, complaintId: complaint.id }, db);
    expect(lodged.status).toBe("lodged");
    expect((await awardOf(award.id)).status).toBe("suspended");
    await expect(lodgeComplaint({ actor: loser.actor, complaintId: complaint.id }, db)).rejects.toMatchObject(
      {
        code: "COMPLAINT_NOT_PENDING",
      },
    );
    const view = await myComplaints(loser.actor, t.tender.id, db);
    expect(view.complaints).toHaveLength(1);
    expect(view.complaints[0]).toMatchObject({ paid: true });
    expect(view.lots[0]).toMatchObject({ mayComplain: false, won: false });
  });

  test("a late complaint is refused by the database clock, at writing and at lodging", async () => {
    const { t, award, loser, lotId } = await awarded();
    await fixedFee(db, t.agency.id, "complaint", 10_000n);
    const { complaint, payment } = await fileComplaint(
      { actor: loser.actor, tenderId: t.tender.id, lotId, grounds: GROUNDS },
      db,
    );
    await paid(db, payment!);
    // The standstill ends before the complainant lodges.
    await db.execute(
      sql`update awards set standstill_ends_at = now() - interval '1 second' where id = ${award.id}`,
    );
    await expect(lodgeComplaint({ actor: loser.actor, complaintId: complaint.id }, db)).rejects.toMatchObject(
      {
        code: "COMPLAINT_OUTSIDE_STANDSTILL",
        status: 409,
      },
    );
    const still = await db.query.complaints.findFirst({ where: eq(complaints.id, complaint.id) });
    expect(still).toMatchObject({ status: "awaiting_fee", lodgedAt: null });
    expect((await awardOf(award.id)).status).toBe("approved");
    // Nor can the database be made to record it, or to suspend the award.
    const bypass = await db
      .execute(sql`update complaints set status = 'lodged', lodged_at = now() where id = ${complaint.id}`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(bypass)).toMatchObject({
      code: "23514",
      constraint: "complaints_lodged_in_standstill",
    });
    const suspend = await db
      .execute(sql`update awards set status = 'suspended', suspended_at = now() where id = ${award.id}`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(suspend)).toMatchObject({
      code: "23514",
      constraint: "awards_suspend_in_standstill",
    });
    // A new complaint after the end is refused at once.
    const other = t.bidders.find((b) => b.bidId !== award.bidId && b !== loser)!;
    await expect(
      fileComplaint({ actor: other.actor, tenderId: t.tender.id, lotId, grounds: GROUNDS }, db),
    ).rejects.toMatchObject({ code: "COMPLAINT_OUTSIDE_STANDSTILL" });
    expect(
      await db
        .select()
        .from(complaints)
        .where(and(eq(complaints.awardId, award.id), eq(complaints.businessId, other.business.id))),
    ).toHaveLength(0);
  });

  test("only a business that bid on the tender (and did not win the lot) may complain", async () => {
    const { t, loser, winner, lotId } = await awarded();
    const outsider = await bidderBusiness(db);
    const ask = (actor: Parameters<typeof fileComplaint>[0]["actor"], lot = lotId) =>
      fileComplaint({ actor, tenderId: t.tender.id, lotId: lot, grounds: GROUNDS }, db);
    await expect(ask(outsider.actor)).rejects.toMatchObject({ code: "COMPLAINT_NOT_BIDDER", status: 403 });
    await expect(ask(winner.actor)).rejects.toMatchObject({ code: "COMPLAINT_NOT_BIDDER" });
    await expect(ask(t.officer)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(ask(ANONYMOUS)).rejects.toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    const finance = actorOf(
      await createUser(db, { memberships: [{ organisationId: loser.business.id, roles: ["finance"] }] }),
      { organisationId: loser.business.id, kind: "business", roles: ["finance"] },
    );
    await expect(ask(finance)).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    // A bidder role of the losing business may.
    const bidder = actorOf(
      await createUser(db, { memberships: [{ organisationId: loser.business.id, roles: ["bidder"] }] }),
      { organisationId: loser.business.id, kind: "business", roles: ["bidder"] },
    );
    // A lot of another tender is not found; short grounds are a translated 400.
    const elsewhere = await awarded();
    await expect(ask(bidder, elsewhere.lotId)).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    await expect(ask(bidder)).resolves.toMatchObject({ complaint: { status: "lodged" } });
    await expect(
      fileComplaint({ actor: outsider.actor, tenderId: t.tender.id, lotId, grounds: "Unfair." }, db),
    ).rejects.toMatchObject({ code: "COMPLAINT_GROUNDS_TOO_SHORT", status: 400, field: "grounds" });
    for (const lang of ["ar", "en"] as const) {
      const message = createI18n(lang).t("errors.COMPLAINT_GROUNDS_TOO_SHORT", { min: 40 });
      expect(message).toContain("40");
    }
    expect(
      await db.select().from(complaints).where(eq(complaints.businessId, outsider.business.id)),
    ).toHaveLength(0);
  });
});
