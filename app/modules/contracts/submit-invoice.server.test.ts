import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { auditEvents, contractInvoices, contractMilestones } from "#db/schema/index.ts";
import { awardedTender, businessMember, contractOf } from "#tests/factories/contracts.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { milestonesOf } from "./contract-access.server.ts";
import { rejectInvoice } from "./decide-invoice.server.ts";
import { signContract } from "./sign-contract.server.ts";
import { submitInvoice } from "./submit-invoice.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

describe("invoices against milestones", () => {
  test("only on a signed contract, by the supplier, never more than what is left of the milestone, numbers unique per supplier", async () => {
    const t = await awardedTender(db, keys, { final: true, prices: [["1000000"], ["1100000"], ["1200000"]] });
    const unsigned = await contractOf(db, t, { sign: false });
    const [first, second] = await milestonesOf(db, unsigned.id);
    const invoice = (over: Partial<Parameters<typeof submitInvoice>[0]> = {}) =>
      submitInvoice(
        {
          actor: t.winner.actor,
          contractId: unsigned.id,
          milestoneId: first!.id,
          number: "INV-1",
          amount: "100",
          ...over,
        },
        db,
      );
    await expect(invoice()).rejects.toMatchObject({ code: "CONTRACT_NOT_SIGNED" });
    await signContract({ actor: t.approvers[1]!, contractId: unsigned.id }, db);

    // Another bidder, or a bidder-role member, may not invoice it.
    await expect(invoice({ actor: t.losers[0]!.actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const bidderMember = await businessMember(db, t.winner.business.id, ["bidder"]);
    await expect(invoice({ actor: bidderMember })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(invoice({ number: "  " })).rejects.toMatchObject({
      code: "INVOICE_NUMBER_REQUIRED",
      field: "number",
    });
    await expect(invoice({ amount: "0" })).rejects.toMatchObject({ code: "AMOUNT_INVALID", field: "amount" });
    await expect(invoice({ amount: "1.0001" })).rejects.toMatchObject({ code: "AMOUNT_INVALID" });
    // The first milestone is 60% of 1000.000 KWD: 600.000.
    await expect(invoice({ amount: "600.001" })).rejects.toMatchObject({
      code: "INVOICE_EXCEEDS_MILESTONE",
      params: { left: "600.000 KWD" },
      field: "amount",
    });

    const finance = await businessMember(db, t.winner.business.id, ["finance"]);
    const one = await invoice({ actor: finance, amount: "450" });
    expect(one).toMatchObject({
      status: "submitted",
      amount: 450_000n,
      currency: "KWD",
      submittedBy: finance.userId,
    });
    await expect(invoice({ amount: "150.001", number: "INV-2" })).rejects.toMatchObject({
      code: "INVOICE_EXCEEDS_MILESTONE",
      params: { left: "150.000 KWD" },
    });
    await expect(invoice({ amount: "1", milestoneId: second!.id })).rejects.toMatchObject({
      code: "INVOICE_NUMBER_TAKEN",
      field: "number",
    });
    // The database keeps the bound whatever the code does.
    const over = await db
      .execute(sql`insert into contract_invoices (contract_id, milestone_id, business_id, number, amount, currency, submitted_by)
        values (${unsigned.id}, ${first!.id}, ${t.winner.business.id}, 'SQL-1', 150001, 'KWD', ${finance.userId})`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(over)).toMatchObject({ constraint: "contract_milestones_invoiced_within" });

    // A rejected invoice frees what it claimed.
    await rejectInvoice({ actor: t.officer, invoiceId: one.id, reason: "Wrong bank details" }, db);
    await invoice({ amount: "600", number: "INV-3" });
    const [m] = await db.select().from(contractMilestones).where(eq(contractMilestones.id, first!.id));
    expect(m?.invoicedAmount).toBe(600_000n);
    const events = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "contract_invoice.submitted"));
    expect(
      events.filter((e) => (e.details as { contractId: string }).contractId === unsigned.id),
    ).toHaveLength(2);
  });

  test("two invoices at once for what is left of a milestone: one is accepted", async () => {
    const t = await awardedTender(db, keys, { final: true });
    const contract = await contractOf(db, t);
    const [first] = await milestonesOf(db, contract.id);
    const whole = toDecimalString({ amount: first!.amount, currency: contract.currency });
    const finance = await businessMember(db, t.winner.business.id, ["finance"]);
    const results = await Promise.allSettled(
      [t.winner.actor, finance, t.winner.actor].map((actor, i) =>
        submitInvoice(
          { actor, contractId: contract.id, milestoneId: first!.id, number: `RACE-${i}`, amount: whole },
          db,
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "INVOICE_EXCEEDS_MILESTONE" });
    expect(
      await db.select().from(contractInvoices).where(eq(contractInvoices.milestoneId, first!.id)),
    ).toHaveLength(1);
  });
});
