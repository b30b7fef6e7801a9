import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { parseEnv } from "#app/utils/env.server.ts";
import { connectDatabase } from "#db/client.server.ts";
import { migrateDatabase } from "#db/migrate.server.ts";
import { type RunningPostgres, startEmbeddedPostgres } from "#scripts/lib/embedded-postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A URL to the server's maintenance database, for creating and dropping test databases. */
    adminUrl: string;
    /** The migrated database every worker clones. */
    templateDatabase: string;
    runId: string;
  }
}

/**
 * Once per test run: a PostgreSQL server (DATABASE_URL when set, otherwise a
 * throw-away embedded one) and a template database with every migration
 * applied. Each worker clones the template (tests/setup/worker-database.ts).
 */
export default async function setup(project: TestProject) {
  const env = parseEnv(process.env);
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let embedded: RunningPostgres | undefined;
  let tmp: string | undefined;
  let adminUrl: string;
  if (env.DATABASE_URL) {
    const u = new URL(env.DATABASE_URL);
    u.pathname = "/postgres";
    adminUrl = u.toString();
  } else {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-test-"));
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tmp, "postgres"),
      passwordFile: path.join(tmp, "postgres.password"),
      port: await getPort(),
      database: "postgres",
    });
    adminUrl = embedded.url;
  }

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const template = `shafaf_test_${runId}_template`;
  await admin.unsafe(`create database "${template}"`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  const database = connectDatabase(templateUrl.toString(), { max: 2 });
  await migrateDatabase(database);
  await database.close();

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", template);
  project.provide("runId", runId);

  return async () => {
    const leftovers = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`shafaf_test_${runId}_%`}`;
    for (const { datname } of leftovers)
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    if (embedded) await embedded.release();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  };
}
