import { expect, test } from "vitest";
import { milestonesOf } from "#app/modules/contracts/contract-access.server.ts";
import { contractBooks } from "#app/modules/contracts/contract-ledger.server.ts";
import { approveInvoice } from "#app/modules/contracts/decide-invoice.server.ts";
import { deliverMilestone } from "#app/modules/contracts/deliver-milestone.server.ts";
import { payInvoice } from "#app/modules/contracts/pay-invoice.server.ts";
import { signContract } from "#app/modules/contracts/sign-contract.server.ts";
import { submitInvoice } from "#app/modules/contracts/submit-invoice.server.ts";
import { agencyMember, awardedTender, contractOf } from "#tests/factories/contracts.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { listPublicAwards } from "./list-awards.server.ts";
import { supplierProfile } from "./supplier-profile.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

test("an award's contract is public once signed: its value and what was paid to date, as the ledger has them", async () => {
  const t = await awardedTender(db, keys, { final: true, prices: [["1000000"], ["1100000"], ["1200000"]] });
  const winner = t.winner.business;
  const row = async () =>
    (await listPublicAwards({ supplier: winner.slug, page: 1 }, db)).rows.find((r) => r.id === t.award.id)!;

  expect(await row()).toMatchObject({ state: "final", contract: null });

  // Made and accepted but not yet signed: the award says so, the contract is not shown.
  const draft = await contractOf(db, t, { sign: false });
  expect(await row()).toMatchObject({ state: "contracted", contract: null });
  expect((await supplierProfile(winner.slug, db))!.contracts).toEqual([]);

  const signed = await signContract({ actor: t.approvers[1]!, contractId: draft.id }, db);
  expect((await row()).contract).toMatchObject({
    id: signed.id,
    reference: signed.reference,
    value: t.award.price,
    currency: t.award.currency,
    paid: 0n,
    milestones: { total: 2, delivered: 0 },
  });

  // The first milestone delivered, invoiced, approved and paid.
  const [first] = await milestonesOf(db, signed.id);
  await deliverMilestone(
    { actor: t.officer, contractId: signed.id, milestoneId: first!.id, note: "Delivered and tested." },
    db,
  );
  const invoice = await submitInvoice(
    { actor: t.winner.actor, contractId: signed.id, milestoneId: first!.id, number: "INV-1", amount: "600" },
    db,
  );
  await approveInvoice({ actor: t.officer, invoiceId: invoice.id }, db);
  const finance = await agencyMember(db, t, ["finance_officer"]);
  await payInvoice({ actor: finance, invoiceId: invoice.id, paymentReference: "TR-778" }, db);

  const books = (await contractBooks(db, [signed.id])).get(signed.id)!;
  expect(books.paid).toBeGreaterThan(0n);
  const shown = (await row()).contract!;
  expect(shown).toMatchObject({
    value: books.contracted,
    paid: books.paid,
    milestones: { total: 2, delivered: 1 },
  });

  // The supplier's profile lists it; a losing bidder's has no contract and no win.
  const profile = (await supplierProfile(winner.slug, db))!;
  expect(profile.contracts.map((c) => [c.id, c.paid])).toEqual([[signed.id, books.paid]]);
  const loser = (await supplierProfile(t.losers[0]!.business.slug, db))!;
  expect([loser.contracts, loser.wins.total]).toEqual([[], 0]);
});
