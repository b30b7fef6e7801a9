import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { connectDatabase, type Database } from "#db/client.server.ts";

/**
 * Each test file gets a fresh clone of the migrated template, named after its
 * worker, so files in parallel never see each other's rows and a file never
 * sees rows left by the one before it.
 */
const adminUrl = inject("adminUrl");
const name = `shafaf_test_${inject("runId")}_w${process.env.VITEST_POOL_ID ?? "0"}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists "${name}" with (force)`);
await admin.unsafe(`create database "${name}" template "${inject("templateDatabase")}"`);
await admin.end();

const url = new URL(adminUrl);
url.pathname = `/${name}`;
export const testDatabaseUrl = url.toString();

let database: Database | undefined;

/** The database of this test file (opened on first use, closed after the file). */
export function testDatabase(): Database {
  database ??= connectDatabase(testDatabaseUrl, { max: 5, applicationName: "shafaf-test" });
  return database;
}

afterAll(async () => {
  await database?.close();
});
