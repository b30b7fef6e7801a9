/**
 * The PostgreSQL error behind an exception, whether postgres.js threw it
 * directly or drizzle wrapped it (DrizzleQueryError keeps it as `cause`).
 */
export interface PostgresErrorInfo {
  code: string;
  message: string;
  constraint?: string;
}

export function postgresErrorOf(e: unknown): PostgresErrorInfo | null {
  for (let current = e, depth = 0; current && depth < 5; depth++) {
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      constraint_name?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code))
      return {
        code: candidate.code,
        message: String(candidate.message ?? ""),
        constraint: typeof candidate.constraint_name === "string" ? candidate.constraint_name : undefined,
      };
    current = candidate.cause;
  }
  return null;
}
