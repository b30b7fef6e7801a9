import { expect, test } from "vitest";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { tenderPhase } from "#app/modules/tenders/tender-rules.ts";
import { bidVersions, ledgerPostings, organisations, tenders } from "#db/schema/index.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { isSeeded, seedDemoData } from "./seed.ts";

test("the demo data seeds once and a second run changes nothing", async () => {
  const { db } = testDatabase();
  expect(await isSeeded(db)).toBe(false);
  await seedDemoData(db, testSealingKeys());
  const first = await db.select().from(organisations).orderBy(organisations.slug);
  await seedDemoData(db, testSealingKeys());
  const second = await db.select().from(organisations).orderBy(organisations.slug);
  expect(second).toEqual(first);
  expect(await isSeeded(db)).toBe(true);

  const agencies = first.filter((o) => o.kind === "agency");
  expect(agencies.length).toBeGreaterThanOrEqual(2);
  // Two currencies, one of them with three decimals (KWD).
  expect(new Set(agencies.map((a) => a.currency))).toEqual(new Set(["KWD", "SAR"]));
  expect(first.filter((o) => o.kind === "business").length).toBeGreaterThanOrEqual(3);
  // Demo money in both currencies, through the ledger, which verifies.
  const verdict = await verifyLedger(db);
  expect(verdict).toMatchObject({ ok: true });
  const currencies = await db.selectDistinct({ currency: ledgerPostings.currency }).from(ledgerPostings);
  expect(currencies.map((c) => c.currency).sort()).toEqual(["KWD", "SAR"]);
  // Tenders in every state, with sealed bids from the demo businesses.
  const phases = (await db.select().from(tenders)).map((t) => tenderPhase(t, new Date()));
  expect(new Set(phases)).toEqual(
    new Set(["draft", "open", "closing_soon", "closed", "opened", "cancelled"]),
  );
  const sealed = await db.select().from(bidVersions);
  expect(sealed.length).toBeGreaterThanOrEqual(6);
  for (const org of first) {
    expect(org.nameAr).toMatch(/[\u0600-\u06FF]/);
    expect(org.nameEn).toMatch(/[A-Za-z]/);
  }
});
