// npm run generate:tenders -- [--tenders N] [--seed S] [--workers W] [--rebuild-indexes]
// Adds N generated bilingual tenders (default 10,000) with their agencies, lots
// and items to the database `npm start` uses (DATABASE_URL, or the embedded
// server under DATA_DIR). See db/generate/tender-corpus.ts for what they look like.
import { loadGeneratedTenders } from "#db/generate/load-tenders.server.ts";
import { migrateDatabase } from "#db/migrate.server.ts";
import { fail, loadEnvOrExit, say } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} must be a whole number`);
    process.exit(2);
  }
  return v;
};

const env = loadEnvOrExit();
try {
  const { database, close } = await openDatabase(env, say, "shafaf-generate-tenders");
  try {
    await migrateDatabase(database);
    const result = await loadGeneratedTenders(database.sql, {
      tenders: arg("tenders", 10_000),
      seed: arg("seed", 2026),
      workers: arg("workers", 2),
      rebuildIndexes: process.argv.includes("--rebuild-indexes"),
      log: say,
    });
    say(
      `${result.tenders.toLocaleString("en")} tenders (${result.lots.toLocaleString("en")} lots, ` +
        `${result.items.toLocaleString("en")} items) for ${result.agencies} agencies in ${result.seconds} s`,
    );
  } finally {
    await close();
  }
} catch (e) {
  fail(e);
}
