import { createHash, randomBytes } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import {
  awards,
  bids,
  type OpeningRecordEntry,
  organisations,
  tenderEvaluations,
  tenderLots,
  tenderOpenings,
  tenders,
} from "#db/schema/index.ts";

/**
 * A past tender that ran its course — published, opened by two officers,
 * evaluated and awarded with the notice published — written directly, for
 * the insights tests and the demo's history. The winner's bid and the others'
 * are plain rows (their sealed content is not needed to count or award them).
 */
export interface PastAward {
  agencyId: string;
  winnerId: string;
  /** Businesses that bid and lost. */
  otherBidderIds?: string[];
  /** Two different officers of the agency: one starts the opening and recommends, the other confirms and approves. */
  officers: [string, string];
  price: bigint;
  currency: string;
  /** The agency's time zone (default Asia/Kuwait). */
  timeZone?: string;
  estimate?: bigint | null;
  category?: "goods" | "works" | "services";
  cpvCodes?: string[];
  publishedAt: Date;
  /** Days from publication to the submission deadline. */
  periodDays: number;
  /** Days from the deadline to the award decision. */
  decisionDays?: number;
  titleAr?: string;
  titleEn?: string;
  reference?: string;
}

const DAY = 86_400_000;

export async function createPastAward(db: Queryable, p: PastAward) {
  const deadline = new Date(p.publishedAt.getTime() + p.periodDays * DAY);
  const decidedAt = new Date(deadline.getTime() + (p.decisionDays ?? 20) * DAY);
  const suffix = randomBytes(3).toString("hex").toUpperCase();
  const [tender] = await db
    .insert(tenders)
    .values({
      agencyId: p.agencyId,
      reference: p.reference ?? `HIST-${deadline.getUTCFullYear()}-${suffix}`,
      titleAr: p.titleAr ?? `مناقصة ${suffix}`,
      titleEn: p.titleEn ?? `Tender ${suffix}`,
      category: p.category ?? "works",
      cpvCodes: p.cpvCodes ?? ["45233120-6"],
      currency: p.currency,
      estimatedValue: p.estimate ?? null,
      timeZone: p.timeZone ?? "Asia/Kuwait",
      status: "opened",
      enquiryDeadline: new Date(deadline.getTime() - 3 * DAY),
      submissionDeadline: deadline,
      openingAt: deadline,
      createdBy: p.officers[0],
      publishedAt: p.publishedAt,
      createdAt: p.publishedAt,
    })
    .returning();
  const [lot] = await db
    .insert(tenderLots)
    .values({
      tenderId: tender!.id,
      number: 1,
      titleAr: tender!.titleAr,
      titleEn: tender!.titleEn,
      estimatedValue: p.estimate ?? null,
    })
    .returning();
  const bidRows = await db
    .insert(bids)
    .values(
      [p.winnerId, ...(p.otherBidderIds ?? [])].map((businessId) => ({
        tenderId: tender!.id,
        businessId,
        status: "submitted" as const,
        createdBy: p.officers[0],
      })),
    )
    .returning();
  // The opening record as two officers would have read it: every bidder, its price and time of receipt.
  const names = await db
    .select({ id: organisations.id, nameAr: organisations.nameAr, nameEn: organisations.nameEn })
    .from(organisations)
    .where(
      inArray(
        organisations.id,
        bidRows.map((b) => b.businessId),
      ),
    );
  const record: OpeningRecordEntry[] = bidRows.map((b, i) => {
    const name = names.find((n) => n.id === b.businessId)!;
    return {
      bidId: b.id,
      businessId: b.businessId,
      businessNameAr: name.nameAr,
      businessNameEn: name.nameEn,
      version: 1,
      receivedAt: new Date(deadline.getTime() - (i + 1) * 3_600_000).toISOString(),
      sealedSha256: createHash("sha256").update(b.id).digest("hex"),
      lots: [{ lotId: lot!.id, number: 1, price: String(p.price + (p.price * BigInt(i * 7)) / 100n) }],
    };
  });
  await db.insert(tenderOpenings).values({
    tenderId: tender!.id,
    startedBy: p.officers[0],
    startedAt: deadline,
    confirmedBy: p.officers[1],
    confirmedAt: new Date(deadline.getTime() + 600_000),
    record,
  });
  await db.insert(tenderEvaluations).values({ tenderId: tender!.id, createdBy: p.officers[0] });
  const [award] = await db
    .insert(awards)
    .values({
      tenderId: tender!.id,
      tenderLotId: lot!.id,
      bidId: bidRows[0]!.id,
      businessId: p.winnerId,
      price: p.price,
      currency: p.currency,
      rank: 1,
      total: 9000,
      status: "approved",
      recommendedBy: p.officers[0],
      recommendedAt: new Date(decidedAt.getTime() - DAY),
      decidedBy: p.officers[1],
      decidedAt,
      noticePublishedAt: decidedAt,
      standstillEndsAt: new Date(decidedAt.getTime() + 10 * DAY),
    })
    .returning();
  return { tender: tender!, lot: lot!, award: award! };
}
