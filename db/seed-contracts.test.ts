import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { contractBooks } from "#app/modules/contracts/contract-ledger.server.ts";
import { publicContracts } from "#app/modules/contracts/contract-views.server.ts";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { bidSecurityHolds, contractInvoices, contractMilestones, contracts } from "#db/schema/index.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { seedDemoData } from "./seed.ts";

test("the demo has a contract in progress: signed, one milestone delivered, invoiced and paid, one pending", async () => {
  const { db } = testDatabase();
  await seedDemoData(db, testSealingKeys());
  const [contract] = await db.select().from(contracts);
  expect(contract).toMatchObject({ status: "signed", currency: "KWD", value: 184_500_000n });
  const milestones = await db
    .select()
    .from(contractMilestones)
    .where(eq(contractMilestones.contractId, contract!.id))
    .orderBy(contractMilestones.position);
  expect(milestones.map((m) => [m.deliveredAt !== null, m.invoicedAmount])).toEqual([
    [true, 110_700_000n],
    [false, 0n],
  ]);
  const invoices = await db
    .select()
    .from(contractInvoices)
    .where(eq(contractInvoices.contractId, contract!.id));
  expect(invoices.map((i) => i.status)).toEqual(["paid"]);
  expect((await contractBooks(db, [contract!.id])).get(contract!.id)).toEqual({
    contracted: 184_500_000n,
    invoiced: 110_700_000n,
    paid: 110_700_000n,
    committed: 73_800_000n,
    payable: 0n,
  });
  // Every security of that tender went back: the losers' when the award became final, the winner's at signature.
  const holds = await db.select().from(bidSecurityHolds);
  expect(holds.filter((h) => h.subject.startsWith("bid:")).every((h) => h.status === "released")).toBe(true);
  expect(await publicContracts(contract!.tenderId, db)).toHaveLength(1);
  expect(await verifyLedger(db)).toMatchObject({ ok: true });
});
