import { and, eq, inArray } from "drizzle-orm";
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
 * cancelled ones; never drafts or tenders awaiting approval. The list and its
 * search are app/modules/discovery/search-tenders.server.ts.
 */
const PUBLIC_STATUSES = ["published", "opened", "cancelled"] as const;

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
