// npm run db:migrate: apply pending migrations to the database `npm start` uses.
import { migrateDatabase } from "#db/migrate.server.ts";
import { fail, loadEnvOrExit, say } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const env = loadEnvOrExit();
try {
  const { database, close } = await openDatabase(env, say, "shafaf-migrate");
  try {
    await migrateDatabase(database);
    say("migrations applied");
  } finally {
    await close();
  }
} catch (e) {
  fail(e);
}
