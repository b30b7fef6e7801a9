import { sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { AWARD_SUSPENSIONS } from "./award-suspensions.server.ts";
import { loadTenderProcesses } from "./load-tender-processes.server.ts";
import type { OcdsRelease, OcdsReleasePackage } from "./ocds-types.ts";
import { type ReleaseCursor, type ReleaseQuery, releasePackage } from "./packages.ts";
import { processEvents } from "./tender-process.ts";
import { buildRelease, type OcdsContext } from "./tender-releases.ts";

/**
 * The release list: every event of every public process (tender, awards,
 * contracts and their implementation, cancellations), newest first,
 * paged by a (date, release id) cursor so a page never shifts when newer
 * releases arrive. The events are found in SQL (one row per release, with the
 * same ids processEvents gives) and built from the processes they belong to.
 */

interface EventRow {
  tender_id: string;
  key: string;
  at: string;
  release_id: string;
}

/** Only public tenders; the same rule as loadTenderProcesses. */
const PUBLIC = sql`t.status in ('published', 'opened', 'cancelled') and t.published_at is not null`;
const MS = (column: string) => sql.raw(`date_trunc('milliseconds', ${column})`);

async function eventPage(
  input: { prefix: string; limit: number; cursor: ReleaseCursor | null },
  db: Queryable,
): Promise<EventRow[]> {
  const after = input.cursor
    ? sql`where (e.at, e.release_id collate "C") < (${input.cursor.date}::timestamptz, ${input.cursor.id}::text collate "C")`
    : sql``;
  const rows = await db.execute(sql`
    select e.tender_id, e.key, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, e.release_id
    from (
      select ev.tender_id, ev.key, ev.at, ${input.prefix}::text || '-' || ev.tender_id::text || '-' || ev.key as release_id
      from (
        select t.id as tender_id, 'tender' as key, ${MS("t.published_at")} as at
          from tenders t where ${PUBLIC}
        union all
        select a.tender_id, 'amendment-' || a.number, ${MS("a.created_at")}
          from tender_amendments a join tenders t on t.id = a.tender_id where ${PUBLIC}
        union all
        select d.tender_id, 'document-' || d.id::text, ${MS("d.created_at")}
          from tender_documents d join tenders t on t.id = d.tender_id
          where ${PUBLIC} and ${MS("d.created_at")} > ${MS("t.published_at")}
        union all
        select c.tender_id, 'enquiry-' || c.id::text, ${MS("c.answered_at")}
          from clarifications c join tenders t on t.id = c.tender_id
          where ${PUBLIC} and c.published and c.answer is not null and c.answered_at is not null
        union all
        select o.tender_id, 'opening', ${MS("o.confirmed_at")}
          from tender_openings o join tenders t on t.id = o.tender_id
          where ${PUBLIC} and o.confirmed_at is not null
        union all
        select l.tender_id, 'lot-' || l.id::text || '-cancellation', ${MS("l.cancelled_at")}
          from tender_lots l join tenders t on t.id = l.tender_id
          where ${PUBLIC} and l.cancelled_at is not null and l.cancel_reason is not null
        union all
        select t.id, 'cancellation', ${MS("t.cancelled_at")}
          from tenders t where ${PUBLIC} and t.cancelled_at is not null and t.cancel_reason is not null
        union all
        select a.tender_id, 'award-' || a.id::text,
            greatest(${MS("a.notice_published_at")}, ${MS("o.confirmed_at")})
          from awards a join tenders t on t.id = a.tender_id
            left join tender_openings o on o.tender_id = a.tender_id and o.confirmed_at is not null
          where ${PUBLIC} and a.notice_published_at is not null
        union all
        select s.tender_id, 'award-' || s.award_id::text || '-suspension-' || s.n, ${MS("s.started_at")}
          from (${AWARD_SUSPENSIONS}) s join tenders t on t.id = s.tender_id
          where ${PUBLIC}
        union all
        select s.tender_id, 'award-' || s.award_id::text || '-reinstatement-' || s.n, ${MS("s.ended_at")}
          from (${AWARD_SUSPENSIONS}) s join tenders t on t.id = s.tender_id
          where ${PUBLIC} and s.reinstated
        union all
        select a.tender_id, 'award-' || a.id::text || '-cancellation', ${MS("a.cancelled_at")}
          from awards a join tenders t on t.id = a.tender_id
          where ${PUBLIC} and a.notice_published_at is not null and a.cancelled_at is not null
        union all
        select c.tender_id, 'contract-' || c.id::text, ${MS("c.signed_at")}
          from contracts c join tenders t on t.id = c.tender_id
          where ${PUBLIC} and c.status = 'signed'
        union all
        select c.tender_id, 'contract-' || c.id::text || '-amendment-' || m.version, ${MS("m.created_at")}
          from contract_amendments m join contracts c on c.id = m.contract_id join tenders t on t.id = c.tender_id
          where ${PUBLIC} and c.status = 'signed' and ${MS("m.created_at")} > ${MS("c.signed_at")}
        union all
        select c.tender_id, 'milestone-' || ms.id::text || '-delivery', ${MS("ms.delivered_at")}
          from contract_milestones ms join contracts c on c.id = ms.contract_id join tenders t on t.id = c.tender_id
          where ${PUBLIC} and c.status = 'signed' and ms.delivered_at is not null
        union all
        select c.tender_id, 'payment-' || i.id::text, ${MS("i.paid_at")}
          from contract_invoices i join contracts c on c.id = i.contract_id join tenders t on t.id = c.tender_id
          where ${PUBLIC} and c.status = 'signed' and i.status = 'paid' and i.paid_at is not null
      ) ev
    ) e
    ${after}
    order by e.at desc, e.release_id collate "C" desc
    limit ${input.limit}
  `);
  return rows as unknown as EventRow[];
}

/** One page of releases (newest first) and the cursor after its last one when more follow. */
export async function releasePage(
  input: { limit: number; cursor: ReleaseCursor | null },
  ctx: OcdsContext,
  db: Queryable,
): Promise<{ releases: OcdsRelease[]; next: ReleaseCursor | null }> {
  const rows = await eventPage({ prefix: ctx.prefix, limit: input.limit + 1, cursor: input.cursor }, db);
  const page = rows.slice(0, input.limit);
  const processes = await loadTenderProcesses(
    page.map((r) => r.tender_id),
    db,
  );
  const releases: OcdsRelease[] = [];
  for (const row of page) {
    const process = processes.get(row.tender_id);
    const event = process && processEvents(process).find((e) => e.key === row.key);
    // A tender that changed state between the two reads (e.g. the event list and the load) is skipped.
    if (!process || !event) continue;
    releases.push(buildRelease(process, event, ctx));
  }
  const last = page.at(-1);
  return {
    releases,
    next: rows.length > input.limit && last ? { date: last.at, id: last.release_id } : null,
  };
}

/** GET /api/ocds/releases: a release package of one page. */
export async function listReleases(
  query: ReleaseQuery,
  ctx: OcdsContext,
  db: Queryable,
): Promise<OcdsReleasePackage> {
  const { releases, next } = await releasePage(query, ctx, db);
  return releasePackage({ releases, query, next, now: new Date() }, ctx);
}

/** Every release, newest first, a page at a time: for the bulk download (one release per line). */
export async function* allReleases(
  ctx: OcdsContext,
  db: Queryable,
  pageSize = 500,
): AsyncGenerator<OcdsRelease> {
  let cursor: ReleaseCursor | null = null;
  do {
    const page = await releasePage({ limit: pageSize, cursor }, ctx, db);
    yield* page.releases;
    cursor = page.next;
  } while (cursor);
}
