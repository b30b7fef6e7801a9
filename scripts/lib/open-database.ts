import type { Env } from "#app/utils/env.server.ts";
import { connectDatabase, type Database } from "#db/client.server.ts";
import { explainConnectionError } from "./cli.ts";
import { type DatabaseServer, resolveDatabaseServer } from "./database.ts";

/**
 * Connect to the database `npm start` uses (embedded by default, DATABASE_URL
 * when set) and check that it answers. `close()` also stops an embedded server
 * that this process had to start.
 */
export async function openDatabase(
  env: Env,
  log: (line: string) => void,
  applicationName: string,
): Promise<{ server: DatabaseServer; database: Database; close(): Promise<void> }> {
  const server = await resolveDatabaseServer(env, log);
  const database = connectDatabase(server.url, { max: env.DATABASE_POOL_MAX, applicationName });
  try {
    await database.sql`select 1`;
  } catch (e) {
    await database.close().catch(() => {});
    await server.release();
    throw explainConnectionError(server.url, e);
  }
  return {
    server,
    database,
    async close() {
      await database.close();
      await server.release();
    },
  };
}
