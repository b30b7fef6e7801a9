import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { postgresErrorOf } from "#db/postgres-error.ts";
import {
  auditEvents,
  awards,
  bidSecurityHolds,
  contractMilestones,
  contracts,
  ledgerTransactions,
} from "#db/schema/index.ts";
import { agencyMember, awardedTender, endStandstill, twoMilestones } from "#tests/factories/contracts.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { agencyWithStaff } from "#tests/factories/tenders.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { createContract } from "./create-contract.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

const holdStatus = async (holdId: string) =>
  (await db.query.bidSecurityHolds.findFirst({ where: eq(bidSecurityHolds.id, holdId) }))!.status;

describe("making the contract of an award", () => {
  test("refused while the standstill runs and while a complaint suspends the award; the database refuses it too", async () => {
    const t = await awardedTender(db, keys);
    const terms = twoMilestones(t.award);
    await expect(
      createContract({ actor: t.officer, awardId: t.award.id, ...terms }, db),
    ).rejects.toMatchObject({
      code: "CONTRACT_STANDSTILL_RUNNING",
      status: 409,
    });
    // Whatever the code does: no contract row during the standstill.
    const direct = await db
      .execute(sql`insert into contracts (reference, award_id, tender_id, tender_lot_id, agency_id, business_id,
        currency, value, starts_on, ends_on, created_by) values ('X', ${t.award.id}, ${t.award.tenderId},
        ${t.award.tenderLotId}, ${t.agency.id}, ${t.award.businessId}, ${t.award.currency}, ${t.award.price},
        '2027-01-01', '2027-12-31', ${t.officer.userId})`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(direct)).toMatchObject({ code: "23514", constraint: "contracts_award_final" });

    // A complaint suspends the award during its standstill; the standstill's end then passes.
    await db.execute(
      sql`update awards set status = 'suspended', suspended_at = now() where id = ${t.award.id}`,
    );
    await endStandstill(db, t.award.id);
    await expect(
      createContract({ actor: t.officer, awardId: t.award.id, ...terms }, db),
    ).rejects.toMatchObject({
      code: "CONTRACT_AWARD_NOT_APPROVED",
    });
    expect(await db.select().from(contracts).where(eq(contracts.awardId, t.award.id))).toHaveLength(0);
    // Losers' securities stay held while the award could still change.
    for (const l of t.losers) expect(await holdStatus(t.holds.get(l.bidId)!.id)).toBe("held");
  });

  test("after the standstill: the awarded price in milestones that add up, the award contracted, the losers' securities released", async () => {
    const t = await awardedTender(db, keys, { final: true });
    // Only the agency's procurement officers; another agency's is told it does not exist.
    await expect(
      createContract({ actor: t.approvers[0]!, awardId: t.award.id, ...twoMilestones(t.award) }, db),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await agencyWithStaff(db);
    await expect(
      createContract({ actor: other.officer, awardId: t.award.id, ...twoMilestones(t.award) }, db),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Milestones that do not add up to the value are refused, nothing stored.
    const uneven = twoMilestones(t.award);
    uneven.milestones[1]!.amount = "1";
    await expect(
      createContract({ actor: t.officer, awardId: t.award.id, ...uneven }, db),
    ).rejects.toMatchObject({
      code: "MILESTONES_SUM_MISMATCH",
      field: "milestones",
    });

    const contract = await createContract(
      { actor: t.officer, awardId: t.award.id, ...twoMilestones(t.award) },
      db,
    );
    expect(contract).toMatchObject({
      status: "awaiting_acceptance",
      value: t.award.price,
      currency: t.award.currency,
      businessId: t.winner.business.id,
      reference: `${t.tender.reference}-C1`,
      version: 1,
    });
    const milestones = await db
      .select()
      .from(contractMilestones)
      .where(eq(contractMilestones.contractId, contract.id));
    expect(milestones.reduce((s, m) => s + m.amount, 0n)).toBe(t.award.price);
    const award = await db.query.awards.findFirst({ where: eq(awards.id, t.award.id) });
    expect(award?.status).toBe("contracted");
    // A contracted award never changes state again (not even by SQL).
    const back = await db
      .execute(sql`update awards set status = 'approved' where id = ${t.award.id}`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(back)).toMatchObject({ constraint: "awards_contracted_final" });
    // The award is final: losers get their securities back through the ledger; the winner's stays held.
    for (const l of t.losers) {
      const hold = t.holds.get(l.bidId)!;
      expect(await holdStatus(hold.id)).toBe("released");
      const posted = await db
        .select()
        .from(ledgerTransactions)
        .where(
          and(
            eq(ledgerTransactions.referenceId, hold.id),
            eq(ledgerTransactions.kind, "bid_security_released"),
          ),
        );
      expect(posted).toHaveLength(1);
    }
    expect(await holdStatus(t.holds.get(t.winner.bidId)!.id)).toBe("held");
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, contract.id), eq(auditEvents.action, "contract.created")));
    expect(event).toMatchObject({ actorUserId: t.officer.userId });
    expect((event!.details as { terms: { value: string } }).terms.value).toBe(t.award.price.toString());
    await expect(
      createContract({ actor: t.secondOfficer, awardId: t.award.id, ...twoMilestones(t.award) }, db),
    ).rejects.toMatchObject({ code: "CONTRACT_EXISTS" });
  });

  test("two officers making the contract of one award at once: exactly one contract", async () => {
    const t = await awardedTender(db, keys, { final: true });
    const third = await agencyMember(db, t, ["procurement_officer"]);
    const results = await Promise.allSettled(
      [t.officer, t.secondOfficer, third].map((actor) =>
        createContract({ actor, awardId: t.award.id, ...twoMilestones(t.award) }, db),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "CONTRACT_EXISTS" });
    expect(await db.select().from(contracts).where(eq(contracts.awardId, t.award.id))).toHaveLength(1);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.action, "contract.created"));
    expect(events.filter((e) => (e.details as { awardId: string }).awardId === t.award.id)).toHaveLength(1);
  });
});
