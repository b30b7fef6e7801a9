import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import {
  type OpeningRecordEntry,
  organisations,
  type Tender,
  tenderOpenings,
  tenders,
} from "#db/schema/index.ts";
import { lotsOf } from "./author-tender.server.ts";

/**
 * What the public sees of tenders: published ones (open, closed, opened) and
 * cancelled ones; never drafts or tenders awaiting approval. Full-text search
 * arrives with the discovery issue; this is a plain title and reference match.
 */
const PUBLIC_STATUSES = ["published", "opened", "cancelled"] as const;

export async function listPublicTenders(
  query: { q?: string; phase?: "open" | "closed" | "opened"; page?: number },
  db: Queryable,
) {
  const pageSize = 20;
  const page = Math.max(1, query.page ?? 1);
  const conditions = [inArray(tenders.status, [...PUBLIC_STATUSES])];
  const q = query.q?.trim().slice(0, 200);
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      sql`(${tenders.titleAr} ilike ${like} or ${tenders.titleEn} ilike ${like} or ${tenders.reference} ilike ${like})`,
    );
  }
  if (query.phase === "open")
    conditions.push(sql`${tenders.status} = 'published' and ${tenders.submissionDeadline} > now()`);
  if (query.phase === "closed")
    conditions.push(sql`${tenders.status} = 'published' and ${tenders.submissionDeadline} <= now()`);
  if (query.phase === "opened") conditions.push(eq(tenders.status, "opened"));
  const rows = await db
    .select({ tender: tenders, agencyAr: organisations.nameAr, agencyEn: organisations.nameEn })
    .from(tenders)
    .innerJoin(organisations, eq(organisations.id, tenders.agencyId))
    .where(and(...conditions))
    .orderBy(desc(tenders.publishedAt))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize, page };
}

export async function publicTender(
  tenderId: string,
  db: Queryable,
): Promise<{
  tender: Tender;
  agency: { id: string; nameAr: string; nameEn: string };
  lots: Awaited<ReturnType<typeof lotsOf>>;
} | null> {
  const [row] = await db
    .select({
      tender: tenders,
      agency: { id: organisations.id, nameAr: organisations.nameAr, nameEn: organisations.nameEn },
    })
    .from(tenders)
    .innerJoin(organisations, eq(organisations.id, tenders.agencyId))
    .where(and(eq(tenders.id, tenderId), inArray(tenders.status, [...PUBLIC_STATUSES])));
  if (!row) return null;
  return { ...row, lots: await lotsOf(tenderId, db) };
}

/**
 * The opening record, public once the bids are opened (bidders, price per lot,
 * time of receipt): what a public opening session would read out.
 */
export async function publicOpeningRecord(
  tenderId: string,
  db: Queryable,
): Promise<{ confirmedAt: Date; record: OpeningRecordEntry[] } | null> {
  const opening = await db.query.tenderOpenings.findFirst({ where: eq(tenderOpenings.tenderId, tenderId) });
  if (!opening?.confirmedAt || !opening.record) return null;
  return { confirmedAt: opening.confirmedAt, record: opening.record };
}
