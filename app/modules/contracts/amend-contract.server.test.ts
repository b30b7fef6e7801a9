import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { auditEvents, contractAmendments, contracts } from "#db/schema/index.ts";
import { awardedTender, contractOf } from "#tests/factories/contracts.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { acceptContract } from "./accept-contract.server.ts";
import { amendContract } from "./amend-contract.server.ts";
import { milestonesOf } from "./contract-access.server.ts";
import { contractBooks } from "./contract-ledger.server.ts";
import { approveInvoice } from "./decide-invoice.server.ts";
import { deliverMilestone } from "./deliver-milestone.server.ts";
import { submitInvoice } from "./submit-invoice.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();
const kwd = (minor: bigint) => toDecimalString({ amount: minor, currency: "KWD" });

describe("amendments", () => {
  test("a signed contract's value raised with a new milestone: audited with before and after, the commitment moved by the difference", async () => {
    const t = await awardedTender(db, keys, { final: true, prices: [["1000000"], ["1100000"], ["1200000"]] });
    const contract = await contractOf(db, t);
    const [first, second] = await milestonesOf(db, contract.id);
    const invoice = await submitInvoice(
      {
        actor: t.winner.actor,
        contractId: contract.id,
        milestoneId: first!.id,
        number: "I-1",
        amount: "500",
      },
      db,
    );
    await deliverMilestone(
      { actor: t.officer, contractId: contract.id, milestoneId: first!.id, note: "Delivered" },
      db,
    );
    await approveInvoice({ actor: t.officer, invoiceId: invoice.id }, db);
    const keep = (m: typeof first, over: Record<string, string> = {}) => ({
      id: m!.id,
      titleAr: m!.titleAr,
      titleEn: m!.titleEn,
      dueOn: m!.dueOn,
      amount: kwd(m!.amount),
      ...over,
    });
    const amend = (over: Partial<Parameters<typeof amendContract>[0]> = {}) =>
      amendContract(
        {
          actor: t.officer,
          contractId: contract.id,
          reason: "Additional training sessions agreed with the supplier",
          value: "1150",
          startsOn: "2027-01-01",
          endsOn: "2028-03-31",
          milestones: [
            keep(first),
            keep(second),
            { titleAr: "التدريب", titleEn: "Training", dueOn: "2028-02-28", amount: "150" },
          ],
          ...over,
        },
        db,
      );
    await expect(amend({ reason: " " })).rejects.toMatchObject({ code: "REASON_REQUIRED", field: "reason" });
    await expect(amend({ actor: t.approvers[0]! })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(amend({ value: "1149" })).rejects.toMatchObject({ code: "MILESTONES_SUM_MISMATCH" });
    // Never below what was invoiced; a delivered or invoiced milestone is never removed.
    await expect(
      amend({ value: "1000", milestones: [keep(first, { amount: "499" }), keep(second, { amount: "501" })] }),
    ).rejects.toMatchObject({ code: "MILESTONE_BELOW_INVOICED", field: "milestones.0.amount" });
    await expect(
      amend({ value: "1000", milestones: [keep(second, { amount: "1000" })] }),
    ).rejects.toMatchObject({
      code: "MILESTONE_IN_USE",
    });

    const amendment = await amend();
    expect(amendment).toMatchObject({ version: 2, createdBy: t.officer.userId });
    expect(amendment.before).toMatchObject({ value: "1000000", endsOn: "2027-12-31" });
    expect(amendment.after).toMatchObject({ value: "1150000", endsOn: "2028-03-31" });
    expect(amendment.after.milestones.map((m) => [m.position, m.id !== null])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    const [row] = await db.select().from(contracts).where(eq(contracts.id, contract.id));
    expect(row).toMatchObject({ value: 1_150_000n, endsOn: "2028-03-31", version: 2, status: "signed" });
    expect((await milestonesOf(db, contract.id)).map((m) => m.amount)).toEqual([
      600_000n,
      400_000n,
      150_000n,
    ]);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, contract.id), eq(auditEvents.action, "contract.amended")));
    expect(event!.details).toMatchObject({
      version: 2,
      reason: "Additional training sessions agreed with the supplier",
      before: { value: "1000000" },
      after: { value: "1150000" },
    });
    const books = (await contractBooks(db, [contract.id])).get(contract.id)!;
    expect(books).toMatchObject({ contracted: 1_150_000n, invoiced: 500_000n, committed: 650_000n });

    // Lowered again, by removing the untouched new milestone.
    const ms = await milestonesOf(db, contract.id);
    await amend({
      value: "1000",
      endsOn: "2027-12-31",
      milestones: [keep(ms[0]), keep(ms[1])],
      reason: "Training dropped",
    });
    expect((await contractBooks(db, [contract.id])).get(contract.id)).toMatchObject({
      contracted: 1_000_000n,
      committed: 500_000n,
    });
    expect(
      await db.select().from(contractAmendments).where(eq(contractAmendments.contractId, contract.id)),
    ).toHaveLength(2);
    await expect(
      amend({ value: "1000", endsOn: "2027-12-31", milestones: [keep(ms[0]), keep(ms[1])] }),
    ).rejects.toMatchObject({
      code: "NOTHING_CHANGED",
    });
    expect(await verifyLedger(db)).toMatchObject({ ok: true });
  });

  test("an amendment before the signature withdraws the supplier's acceptance: it accepts the new terms again", async () => {
    const t = await awardedTender(db, keys, { final: true, prices: [["1000000"], ["1100000"], ["1200000"]] });
    const contract = await contractOf(db, t, { sign: false });
    const [first, second] = await milestonesOf(db, contract.id);
    await amendContract(
      {
        actor: t.officer,
        contractId: contract.id,
        reason: "Delivery date moved at the supplier's request",
        startsOn: "2027-01-01",
        endsOn: "2027-12-31",
        milestones: [first!, second!].map((m, i) => ({
          id: m.id,
          titleAr: m.titleAr,
          titleEn: m.titleEn,
          dueOn: i === 0 ? "2027-04-30" : m.dueOn,
          amount: kwd(m.amount),
        })),
      },
      db,
    );
    const [row] = await db.select().from(contracts).where(eq(contracts.id, contract.id));
    expect(row).toMatchObject({ status: "awaiting_acceptance", acceptedBy: null, version: 2 });
    expect((await contractBooks(db, [contract.id])).get(contract.id)?.contracted).toBe(0n);
    await acceptContract({ actor: t.winner.actor, contractId: contract.id }, db);
  });
});
