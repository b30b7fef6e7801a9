import type { Database } from "#db/client.server.ts";

export interface Health {
  status: "ok" | "degraded";
  db: "ok" | "down";
}

/** Is the database answering? Bounded, so a hung database makes /healthz say so instead of hanging. */
export async function checkHealth(database: Database, timeoutMs = 2_000): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      database.sql`select 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("database health check timed out")), timeoutMs);
      }),
    ]);
    return { status: "ok", db: "ok" };
  } catch {
    return { status: "degraded", db: "down" };
  } finally {
    clearTimeout(timer);
  }
}
