import { sql } from "drizzle-orm";

/**
 * The periods an award was suspended by complaints, from the complaints
 * themselves (decision 017: a complaint lodged suspends an approved award; the
 * award resumes when the last lodged complaint about it is decided, or is
 * cancelled). Overlapping complaints make one period: a period starts when a
 * complaint is lodged while no other is pending, and ends when the last
 * pending one is decided (gaps and islands over lodged_at / decided_at).
 *
 * A subquery to select from, one row per period:
 * `award_id, tender_id, n` (1 for the first period of the award),
 * `started_at`, `ended_at` (null while a complaint is still lodged), and
 * `reinstated` — the period ended with the award back in force (not with its
 * cancellation, which an upheld complaint makes at its decision's very time).
 * Only lodged complaints count (an unpaid one suspends nothing), and nothing
 * of them but these times leaves this query. Shared by the release list and
 * the process loader, so both find the same events.
 */
export const AWARD_SUSPENSIONS = sql.raw(`
  select award_id, tender_id, n, started_at, ended_at,
         (ended_at is not null and (cancelled_at is null or ended_at < cancelled_at)) as reinstated
  from (
    select i.award_id, a.tender_id, a.cancelled_at,
           row_number() over (partition by i.award_id order by min(i.s))::int as n,
           min(i.s) as started_at,
           nullif(max(i.e), 'infinity'::timestamptz) as ended_at
    from (
      select x.award_id, x.s, x.e,
             sum(case when x.prev_e is null or x.s > x.prev_e then 1 else 0 end)
               over (partition by x.award_id order by x.s, x.id) as island
      from (
        select c.award_id, c.id, c.lodged_at as s, coalesce(c.decided_at, 'infinity'::timestamptz) as e,
               max(coalesce(c.decided_at, 'infinity'::timestamptz))
                 over (partition by c.award_id order by c.lodged_at, c.id
                       rows between unbounded preceding and 1 preceding) as prev_e
        from complaints c
        where c.lodged_at is not null
      ) x
    ) i
    join awards a on a.id = i.award_id
    where a.notice_published_at is not null
    group by i.award_id, i.island, a.tender_id, a.cancelled_at
  ) periods`);
