import path from "node:path";
import type { Env } from "#app/utils/env.server.ts";
import { type RunningPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";

export interface DatabaseServer {
  url: string;
  /** "external" when DATABASE_URL is set, otherwise the embedded server. */
  kind: "external" | "embedded";
  /** Stop the embedded server if this process started it and nobody else uses it. */
  release(): Promise<void>;
}

/**
 * The database every entry point uses, so that `npm start`, the db:* scripts
 * and the verify commands all work on the same data: DATABASE_URL when set,
 * otherwise the embedded server under DATA_DIR (started if the app is not
 * already running it).
 */
export async function resolveDatabaseServer(env: Env, log: (line: string) => void): Promise<DatabaseServer> {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, kind: "external", release: async () => {} };
  }
  const pg: RunningPostgres = await startEmbeddedPostgres({
    dataDir: path.join(env.dataDir, "postgres"),
    passwordFile: path.join(env.dataDir, "postgres.password"),
    port: env.EMBEDDED_PG_PORT,
    log,
  });
  return { url: pg.url, kind: "embedded", release: () => pg.release() };
}
