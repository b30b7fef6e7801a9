import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client.server.ts";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

// Any fixed number shared by every Shafaf process; it names the migration lock.
const MIGRATION_LOCK = 0x5af_af01;

/**
 * Apply pending migrations. Several app instances may boot at once, so the
 * migrator runs under a session-level advisory lock: one migrates, the others
 * wait and then find nothing to do.
 */
export async function migrateDatabase({ sql, db }: Database): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    // The migrator uses its own connection from the pool, so the lock must be
    // held by a transaction that stays open until it is done.
    await migrate(db, { migrationsFolder, migrationsSchema: "drizzle", migrationsTable: "migrations" });
  });
}
