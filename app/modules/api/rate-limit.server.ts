import { sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  /** Requests left in this window (0 once it is used up). */
  remaining: number;
  /** Whole seconds until the window ends and the count starts again (at least 1). */
  resetSeconds: number;
}

/**
 * Count one request of a token against its limit per minute: a fixed window
 * (the minute by the database clock) in `api_rate_limits`, advanced and
 * counted by one atomic UPSERT, so the limit holds across every app process
 * sharing the database. A request over the limit is counted too (a client
 * that keeps knocking does not get through sooner). A request that started
 * just before another moved the window on is counted in the newer window,
 * never sets it back.
 */
export async function countApiRequest(
  tokenId: string,
  limit: number,
  db: Queryable,
): Promise<RateLimitState> {
  const [row] = await db.execute<{ count: number; reset: number }>(sql`
    insert into api_rate_limits as r (token_id, window_start, count)
    values (${tokenId}, date_trunc('minute', now()), 1)
    on conflict (token_id) do update set
      count = case when excluded.window_start <= r.window_start then r.count + 1 else 1 end,
      window_start = greatest(r.window_start, excluded.window_start)
    returning count,
      greatest(1, ceil(extract(epoch from (window_start + interval '1 minute' - now()))))::int as reset`);
  const count = Number(row!.count);
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Number(row!.reset),
  };
}
