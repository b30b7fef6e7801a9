import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { auditEvents, contractInvoices, ledgerPostings, ledgerTransactions } from "#db/schema/index.ts";
import { agencyMember, awardedTender, contractOf } from "#tests/factories/contracts.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { milestonesOf } from "./contract-access.server.ts";
import { contractBooks } from "./contract-ledger.server.ts";
import { approveInvoice } from "./decide-invoice.server.ts";
import { deliverMilestone } from "./deliver-milestone.server.ts";
import { payInvoice } from "./pay-invoice.server.ts";
import { submitInvoice } from "./submit-invoice.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

describe("delivery, invoice approval and payment", () => {
  test("each a balanced ledger transaction; contracted, invoiced and paid add up to what the contract and its invoices say", async () => {
    const t = await awardedTender(db, keys, { final: true, prices: [["1000000"], ["1100000"], ["1200000"]] });
    const contract = await contractOf(db, t);
    const [first, second] = await milestonesOf(db, contract.id);
    const finance = await agencyMember(db, t, ["finance_officer"]);
    const inv = await submitInvoice(
      {
        actor: t.winner.actor,
        contractId: contract.id,
        milestoneId: first!.id,
        number: "A-100",
        amount: "600",
      },
      db,
    );
    // Approved only once its milestone is delivered, by the contract manager.
    await expect(approveInvoice({ actor: t.officer, invoiceId: inv.id }, db)).rejects.toMatchObject({
      code: "MILESTONE_NOT_DELIVERED",
    });
    await expect(
      deliverMilestone(
        { actor: t.winner.actor, contractId: contract.id, milestoneId: first!.id, note: "Received" },
        db,
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      deliverMilestone({ actor: t.officer, contractId: contract.id, milestoneId: first!.id, note: " " }, db),
    ).rejects.toMatchObject({ code: "DELIVERY_NOTE_REQUIRED", field: "note" });
    const delivered = await deliverMilestone(
      {
        actor: t.officer,
        contractId: contract.id,
        milestoneId: first!.id,
        note: "Ten units received and tested.",
      },
      db,
    );
    expect(delivered).toMatchObject({
      deliveredBy: t.officer.userId,
      deliveryNote: "Ten units received and tested.",
    });
    await expect(
      deliverMilestone(
        { actor: t.officer, contractId: contract.id, milestoneId: first!.id, note: "Again" },
        db,
      ),
    ).rejects.toMatchObject({ code: "MILESTONE_ALREADY_DELIVERED" });
    await expect(
      payInvoice({ actor: finance, invoiceId: inv.id, paymentReference: "TR-1" }, db),
    ).rejects.toMatchObject({
      code: "INVOICE_WRONG_STATUS",
    });
    await expect(approveInvoice({ actor: finance, invoiceId: inv.id }, db)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const approved = await approveInvoice({ actor: t.officer, invoiceId: inv.id }, db);
    expect(approved).toMatchObject({ status: "approved", decidedBy: t.officer.userId });
    await expect(approveInvoice({ actor: t.secondOfficer, invoiceId: inv.id }, db)).rejects.toMatchObject({
      code: "INVOICE_WRONG_STATUS",
    });

    // Whoever approved an invoice never records its payment (segregation of duties).
    const both = await agencyMember(db, t, ["procurement_officer", "finance_officer"]);
    const inv2 = await submitInvoice(
      {
        actor: t.winner.actor,
        contractId: contract.id,
        milestoneId: second!.id,
        number: "A-101",
        amount: "100",
      },
      db,
    );
    await deliverMilestone(
      { actor: both, contractId: contract.id, milestoneId: second!.id, note: "Installed." },
      db,
    );
    await approveInvoice({ actor: both, invoiceId: inv2.id }, db);
    await expect(
      payInvoice({ actor: both, invoiceId: inv2.id, paymentReference: "TR-2" }, db),
    ).rejects.toMatchObject({
      code: "INVOICE_SELF_PAYMENT",
      status: 403,
    });
    await expect(
      payInvoice({ actor: finance, invoiceId: inv.id, paymentReference: " " }, db),
    ).rejects.toMatchObject({
      code: "PAYMENT_REFERENCE_REQUIRED",
    });
    const paid = await payInvoice(
      { actor: finance, invoiceId: inv.id, paymentReference: "TR-2027-0001" },
      db,
    );
    expect(paid).toMatchObject({ status: "paid", paidBy: finance.userId, paymentReference: "TR-2027-0001" });
    await expect(
      payInvoice({ actor: finance, invoiceId: inv.id, paymentReference: "TR-again" }, db),
    ).rejects.toMatchObject({
      code: "INVOICE_WRONG_STATUS",
    });

    // The books: contracted 1000, invoiced (approved) 700, paid 600.
    const books = (await contractBooks(db, [contract.id])).get(contract.id)!;
    expect(books).toEqual({
      contracted: 1_000_000n,
      invoiced: 700_000n,
      paid: 600_000n,
      committed: 300_000n,
      payable: 100_000n,
    });
    expect(books.contracted).toBe(books.committed + books.payable + books.paid);
    // They agree with the invoices themselves.
    const invoices = await db
      .select()
      .from(contractInvoices)
      .where(eq(contractInvoices.contractId, contract.id));
    const sum = (statuses: string[]) =>
      invoices.filter((i) => statuses.includes(i.status)).reduce((s, i) => s + i.amount, 0n);
    expect(sum(["approved", "paid"])).toBe(books.invoiced);
    expect(sum(["paid"])).toBe(books.paid);
    // Every one of its ledger transactions balances, and the whole ledger verifies.
    const txs = await db
      .select({ id: ledgerTransactions.id, kind: ledgerTransactions.kind })
      .from(ledgerTransactions)
      .where(
        and(
          eq(ledgerTransactions.referenceType, "contract"),
          eq(ledgerTransactions.referenceId, contract.id),
        ),
      );
    expect(txs.map((x) => x.kind).sort()).toEqual([
      "contract_invoice_approved",
      "contract_invoice_approved",
      "contract_payment",
      "contract_signed",
    ]);
    for (const x of txs) {
      const [{ total }] = (await db.execute(
        sql`select coalesce(sum(amount), 0)::text as total from ${ledgerPostings} where transaction_id = ${x.id}`,
      )) as unknown as [{ total: string }];
      expect(total).toBe("0");
    }
    expect(await verifyLedger(db)).toMatchObject({ ok: true });
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.objectId, inv.id))).map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "contract_invoice.submitted",
        "contract_invoice.approved",
        "contract_invoice.paid",
      ]),
    );
  });
});
