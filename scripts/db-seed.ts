// npm run db:seed: load the demo data set (idempotent: existing rows are kept).
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { migrateDatabase } from "#db/migrate.server.ts";
import { seedDemoData } from "#db/seed.ts";
import { fail, loadEnvOrExit, say } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const env = loadEnvOrExit();
try {
  const { database, close } = await openDatabase(env, say, "shafaf-seed");
  try {
    await migrateDatabase(database);
    const result = await seedDemoData(database.db, await sealingKeys(env));
    say(
      `demo data in place (${result.organisations} organisations, ${result.users} accounts, ${result.tenders} new tenders)`,
    );
  } finally {
    await close();
  }
} catch (e) {
  fail(e);
}
