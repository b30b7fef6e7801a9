import { sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { platformHeartbeats } from "#db/schema/index.ts";

/** Beats are written every minute; a silence longer than this is an outage. */
export const OUTAGE_AFTER_MS = 150_000;

/** Record that the platform is up (the heartbeat job, every minute). */
export async function recordHeartbeat(db: Queryable): Promise<void> {
  await db.insert(platformHeartbeats).values({}).onConflictDoNothing();
}

export interface Outage {
  from: Date;
  to: Date;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Times the platform was silent that overlap [from, to], from the gaps between beats. */
export async function outagesBetween(db: Queryable, from: Date, to: Date): Promise<Outage[]> {
  const rows = (await db.execute(sql`
    with beats as (
      select at, lead(at) over (order by at) as next from platform_heartbeats
      where at between ${iso(from.getTime() - OUTAGE_AFTER_MS * 4)}::timestamptz and ${iso(to.getTime() + OUTAGE_AFTER_MS * 4)}::timestamptz
    )
    select at as "from", next as "to" from beats
    where next - at > ${`${OUTAGE_AFTER_MS} milliseconds`}::interval
      and next > ${from.toISOString()}::timestamptz and at < ${to.toISOString()}::timestamptz
    order by at`)) as unknown as Array<{ from: Date; to: Date }>;
  return rows.map((r) => ({ from: new Date(r.from), to: new Date(r.to) }));
}

/** An unavailability in the last hour before a deadline: what an officer is told, with a proposed new deadline. */
export async function outageBeforeDeadline(
  db: Queryable,
  deadline: Date,
): Promise<{ outages: Outage[]; lostMs: number; proposedDeadline: Date } | null> {
  const outages = await outagesBetween(db, new Date(deadline.getTime() - 3600_000), deadline);
  if (outages.length === 0) return null;
  const start = deadline.getTime() - 3600_000;
  const lostMs = outages.reduce(
    (sum, o) =>
      sum + Math.max(0, Math.min(o.to.getTime(), deadline.getTime()) - Math.max(o.from.getTime(), start)),
    0,
  );
  // Give back what was lost, and at least a day, from now: bidders need time to act on the news.
  const base = Math.max(deadline.getTime(), Date.now());
  const proposedDeadline = new Date(Math.ceil((base + Math.max(lostMs, 86_400_000)) / 3600_000) * 3600_000);
  return { outages, lostMs, proposedDeadline };
}
