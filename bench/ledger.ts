// npm run bench:ledger — throughput of the ledger module with concurrent writers
// (16 by default, --concurrency N), which it batches by group commit (decision 010).
// Starts its own throw-away embedded PostgreSQL (or uses DATABASE_URL's server,
// in a fresh database), then measures, in one run:
//   1. spread: transactions over many account pairs, C concurrent writers;
//   2. hot: every transaction credits one agency revenue account;
//   3. baseline: plain INSERTs of the same rows into trigger-free copies;
// and runs ledger:verify's check afterwards. Prints the figures and writes
// them to bench/results/ledger-<timestamp>.json.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";
import postgres from "postgres";
import { ensureAccount, postTransaction } from "#app/modules/ledger/post-transaction.server.ts";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { parseEnv } from "#app/utils/env.server.ts";
import { connectDatabase } from "#db/client.server.ts";
import { migrateDatabase } from "#db/migrate.server.ts";
import { startEmbeddedPostgres } from "#scripts/lib/embedded-postgres.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg("count", 6000);
const CONCURRENCY = arg("concurrency", 16);

const env = parseEnv(process.env);
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-bench-"));
let release = async () => {};
let adminUrl: string;
if (env.DATABASE_URL) {
  const u = new URL(env.DATABASE_URL);
  u.pathname = "/postgres";
  adminUrl = u.toString();
} else {
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "postgres"),
    passwordFile: path.join(tmp, "pw"),
    port: await getPort(),
    database: "postgres",
  });
  adminUrl = pg.url;
  release = () => pg.release();
}
const name = `shafaf_bench_${Date.now()}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const database = connectDatabase(url.toString(), { max: CONCURRENCY + 2 });
await migrateDatabase(database);
const { db, sql } = database;

// Accounts: 50 businesses paying 10 agencies' revenue accounts, in KWD.
const payers: string[] = [];
const revenues: string[] = [];
for (let i = 0; i < 10; i++) {
  const agency = await createOrganisation(db, agencyData());
  revenues.push(
    await ensureAccount(db, {
      organisationId: agency.id,
      purpose: "agency_revenue",
      feeType: "tender_document",
      currency: "KWD",
    }),
  );
}
for (let i = 0; i < 50; i++) {
  const business = await createOrganisation(db, businessData());
  payers.push(
    await ensureAccount(db, { organisationId: business.id, purpose: "business_payments", currency: "KWD" }),
  );
}

async function run(label: string, pick: (i: number) => [string, string]): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (true) {
        const i = next++;
        if (i >= COUNT) return;
        const [from, to] = pick(i);
        const amount = BigInt(1000 + (i % 997));
        await postTransaction(
          {
            idempotencyKey: `${label}-${i}`,
            kind: "fee",
            reference: { type: "bench", id: String(i) },
            postings: [
              { accountId: from, amount: -amount },
              { accountId: to, amount },
            ],
          },
          db,
        );
      }
    }),
  );
  return COUNT / ((performance.now() - started) / 1000);
}

// Plain INSERTs of the same rows (a transaction row and two postings, one DB transaction each).
await sql`create table bench_tx (like ledger_transactions including defaults)`;
await sql`create table bench_postings (like ledger_postings including defaults)`;
async function baseline(): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (true) {
        const i = next++;
        if (i >= COUNT) return;
        const amount = 1000 + (i % 997);
        await sql.begin(async (tx) => {
          const [t] =
            await tx`insert into bench_tx (idempotency_key, kind, reference_type, reference_id, content_hash)
            values (${`base-${i}`}, 'fee', 'bench', ${String(i)}, ${"0".repeat(64)}) returning id`;
          await tx`insert into bench_postings (transaction_id, account_id, currency, amount)
            values (${t!.id}, ${payers[i % payers.length]!}, 'KWD', ${-amount}), (${t!.id}, ${revenues[0]!}, 'KWD', ${amount})`;
        });
      }
    }),
  );
  return COUNT / ((performance.now() - started) / 1000);
}

const plain = await baseline();
const spread = await run("spread", (i) => [payers[i % payers.length]!, revenues[(i * 7) % revenues.length]!]);
const hot = await run("hot", (i) => [payers[i % payers.length]!, revenues[0]!]);
const verifyStarted = performance.now();
const verdict = await verifyLedger(db);
const verifySeconds = (performance.now() - verifyStarted) / 1000;

const result = {
  benchmark: "ledger",
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version },
  transactions: COUNT,
  concurrency: CONCURRENCY,
  plainInsertsPerSecond: Math.round(plain),
  spreadPerSecond: Math.round(spread),
  hotAccountPerSecond: Math.round(hot),
  spreadToPlainRatio: Number((spread / plain).toFixed(2)),
  hotToPlainRatio: Number((hot / plain).toFixed(2)),
  verifier: verdict.ok
    ? `ok (${verdict.transactions} transactions in ${verifySeconds.toFixed(1)} s)`
    : `FAILED: ${verdict.detail}`,
};
console.log(JSON.stringify(result, null, 2));
const file = path.join("bench/results", `ledger-${result.at.replace(/[:.]/g, "-")}.json`);
await fs.writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written to ${file}`);

await database.close();
await admin.unsafe(`drop database "${name}" with (force)`);
await admin.end();
await release();
await fs.rm(tmp, { recursive: true, force: true });
process.exit(verdict.ok ? 0 : 1);
