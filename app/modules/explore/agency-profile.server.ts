import { and, asc, count, eq, sql } from "drizzle-orm";
import { daysToAward, singleBidShare } from "#app/modules/insights/insights.server.ts";
import { type PermitServiceLevel, permitServiceLevels } from "#app/modules/permits/service-levels.server.ts";
import type { Queryable } from "#db/client.server.ts";
import { organisations, type Tender, tenders } from "#db/schema/index.ts";
import {
  type AwardPage,
  type CurrencyTotal,
  listPublicAwards,
  totalsByYear,
  totalsPerCurrency,
} from "./list-awards.server.ts";

/**
 * An agency's public profile: who it is, the tenders it has open now, its
 * latest awards, what it has awarded per currency and per year, how much
 * competition its tenders draw and how long it takes to award (the insights
 * figures, for this agency only), and how fast it decides permits.
 */
export interface AgencyProfile {
  agency: {
    id: string;
    slug: string;
    nameAr: string;
    nameEn: string;
    country: string;
    currency: string;
    timeZone: string;
    createdAt: Date;
  };
  openTenders: {
    total: number;
    rows: Array<
      Pick<Tender, "id" | "reference" | "titleAr" | "titleEn" | "category" | "timeZone"> & {
        submissionDeadline: Date;
      }
    >;
  };
  recentAwards: AwardPage;
  spending: { byYear: Array<CurrencyTotal & { year: number }>; byCurrency: CurrencyTotal[] };
  competition: { opened: number; singleBid: number };
  speed: { awards: number; medianDays: number | null };
  permits: PermitServiceLevel[];
}

export const PROFILE_LIST_SIZE = 10;

export async function agencyProfile(slug: string, db: Queryable): Promise<AgencyProfile | null> {
  const [agency] = await db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      country: organisations.country,
      currency: organisations.currency,
      timeZone: organisations.timeZone,
      createdAt: organisations.createdAt,
    })
    .from(organisations)
    .where(and(eq(organisations.slug, slug), eq(organisations.kind, "agency")));
  if (!agency) return null;

  // Open: published and still taking bids by the database clock.
  const open = and(
    eq(tenders.agencyId, agency.id),
    eq(tenders.status, "published"),
    sql`${tenders.submissionDeadline} > now()`,
  );
  const [openRows, [openCount], recentAwards, byYear, single, speed, permits] = await Promise.all([
    db
      .select({
        id: tenders.id,
        reference: tenders.reference,
        titleAr: tenders.titleAr,
        titleEn: tenders.titleEn,
        category: tenders.category,
        timeZone: tenders.timeZone,
        submissionDeadline: tenders.submissionDeadline,
      })
      .from(tenders)
      .where(open)
      .orderBy(asc(tenders.submissionDeadline), asc(tenders.id))
      .limit(PROFILE_LIST_SIZE),
    db.select({ total: count() }).from(tenders).where(open),
    listPublicAwards({ agency: agency.slug, page: 1, pageSize: PROFILE_LIST_SIZE }, db),
    totalsByYear(db, { agencyId: agency.id }),
    singleBidShare(db, { agencyId: agency.id }),
    daysToAward(db, { agencyId: agency.id }),
    permitServiceLevels(db, { agencyId: agency.id }),
  ]);
  return {
    agency,
    openTenders: {
      total: openCount?.total ?? 0,
      rows: openRows.flatMap((r) =>
        r.submissionDeadline ? [{ ...r, submissionDeadline: r.submissionDeadline }] : [],
      ),
    },
    recentAwards,
    spending: { byYear, byCurrency: totalsPerCurrency(byYear) },
    competition: { opened: single[0]?.opened ?? 0, singleBid: single[0]?.singleBid ?? 0 },
    speed: { awards: speed[0]?.awards ?? 0, medianDays: speed[0]?.medianDays ?? null },
    permits,
  };
}
