import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { seedDemoData } from "#db/seed.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase, testDatabaseUrl } from "#tests/setup/db.ts";

// Its own data directory: the verifier generates the platform key there.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "shafaf-ledger-verify-"));
const verify = () =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/ledger-verify.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: testDatabaseUrl, DATA_DIR: dataDir },
    encoding: "utf8",
    timeout: 60_000,
  });

test("npm run ledger:verify passes on the demo data and names the transaction whose posting was altered in SQL", async () => {
  const database = testDatabase();
  await seedDemoData(database.db, testSealingKeys());
  const good = verify();
  expect(good.stdout).toMatch(/ledger intact: \d+ transactions/);
  expect(good.stdout).toMatch(/checkpoints intact: 0 signed by key [0-9a-f]{16}/);
  expect(good.status).toBe(0);

  const [victim] =
    await database.sql`select t.seq, t.id from ledger_transactions t where kind = 'refund' limit 1`;
  await database.sql.begin(async (tx) => {
    // What someone with database access could do: switch the guard off and edit.
    await tx`alter table ledger_postings disable trigger ledger_postings_append_only`;
    await tx`update ledger_postings set amount = amount * 2 where transaction_id = ${victim!.id}`;
    await tx`alter table ledger_postings enable trigger ledger_postings_append_only`;
  });
  const bad = verify();
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain(`transaction #${victim!.seq} no longer matches its hash`);
});
