import { desc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { bids, tenders } from "#db/schema/index.ts";

/**
 * The business's own bids, the most recently changed first (at most 200):
 * the tender, the bid's status and the version that counts now. Never the
 * content, and never another business's bid.
 */
export async function myBids(actor: Actor, db: Queryable) {
  assertCan(actor, "bid:submit");
  if (actor.membership!.kind !== "business") throw new AppError("FORBIDDEN");
  return db
    .select({
      bidId: bids.id,
      status: bids.status,
      updatedAt: bids.updatedAt,
      currentVersion: sql<number | null>`(select v.version from bid_versions v
        where v.bid_id = ${bids.id} and v.status = 'submitted')`,
      tender: {
        id: tenders.id,
        reference: tenders.reference,
        titleAr: tenders.titleAr,
        titleEn: tenders.titleEn,
        status: tenders.status,
        submissionDeadline: tenders.submissionDeadline,
      },
    })
    .from(bids)
    .innerJoin(tenders, eq(tenders.id, bids.tenderId))
    .where(eq(bids.businessId, actor.membership!.organisationId))
    .orderBy(desc(bids.updatedAt), desc(bids.id))
    .limit(200);
}
