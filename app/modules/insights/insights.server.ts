import { sql } from "drizzle-orm";
import { OPENED_BID_COUNTS, PUBLIC_AWARDS } from "#app/modules/awards/public-awards.server.ts";
import type { Queryable } from "#db/client.server.ts";
import { type AwardFacts, percentOfEstimate, type RedFlag, redFlagsOf, THRESHOLDS } from "./red-flags.ts";

/**
 * The public figures behind the insights page: where awarded money goes (by
 * sector, agency and month), how much competition tenders draw, how long
 * they take, and how awards compare with estimates. Only what is public:
 * awards whose notice is published (not recommendations, not sent back or
 * cancelled: PUBLIC_AWARDS), and bid counts only of tenders whose bids were
 * opened.
 */

export interface Named {
  key: string;
  nameAr: string;
  nameEn: string;
}

export interface Insights {
  currencies: Array<{ currency: string; awards: number }>;
  currency: string | null;
  bySector: Array<{ category: string; amount: bigint; awards: number }>;
  byDivision: Array<{ division: string; amount: bigint; awards: number }>;
  byAgency: Array<Named & { amount: bigint; awards: number }>;
  byMonth: Array<{ month: string; amount: bigint; awards: number }>;
  bidsPerTender: Array<{ bids: string; tenders: number }>;
  singleBid: Array<Named & { opened: number; singleBid: number }>;
  daysToAward: Array<Named & { awards: number; medianDays: number | null }>;
  versusEstimate: Array<{ band: string; awards: number }>;
}

export const ESTIMATE_BANDS = ["<70", "70-89", "90-110", "111-130", ">130"] as const;

function bandOf(percent: number): (typeof ESTIMATE_BANDS)[number] {
  if (percent < 70) return "<70";
  if (percent < 90) return "70-89";
  if (percent <= 110) return "90-110";
  if (percent <= 130) return "111-130";
  return ">130";
}

export async function insights(query: { currency?: string }, db: Queryable): Promise<Insights> {
  const currencies = (
    await db.execute<{ currency: string; awards: number }>(sql`
      select currency, count(*)::int as awards from (${PUBLIC_AWARDS}) a group by currency order by 2 desc, 1`)
  ).map((r) => ({ currency: r.currency, awards: r.awards }));
  const currency =
    currencies.find((c) => c.currency === query.currency)?.currency ?? currencies[0]?.currency ?? null;
  const inCurrency = sql`(select * from (${PUBLIC_AWARDS}) p where p.currency = ${currency ?? ""})`;

  const [bySector, byDivision, byAgency, byMonth, counts, singleBid, days, estimates] = await Promise.all([
    db.execute<{ category: string; amount: string; awards: number }>(sql`
      select category, sum(price)::text as amount, count(*)::int as awards from ${inCurrency} a
      group by category order by sum(price) desc`),
    db.execute<{ division: string; amount: string; awards: number }>(sql`
      select coalesce(substring(cpv_codes[1] from 1 for 2), '—') as division, sum(price)::text as amount, count(*)::int as awards
      from ${inCurrency} a group by 1 order by sum(price) desc limit 12`),
    db.execute<{ key: string; name_ar: string; name_en: string; amount: string; awards: number }>(sql`
      select o.id as key, o.name_ar, o.name_en, sum(a.price)::text as amount, count(*)::int as awards
      from ${inCurrency} a join organisations o on o.id = a.agency_id
      group by o.id order by sum(a.price) desc limit 15`),
    db.execute<{ month: string; amount: string; awards: number }>(sql`
      select to_char(date_trunc('month', decided_at at time zone 'UTC'), 'YYYY-MM') as month,
             sum(price)::text as amount, count(*)::int as awards
      from ${inCurrency} a where decided_at > now() - interval '24 months' group by 1 order by 1`),
    db.execute<{ bids: string; tenders: number }>(sql`
      select case when bids >= 5 then '5+' else bids::text end as bids, count(*)::int as tenders
      from (${OPENED_BID_COUNTS}) c group by 1 order by 1`),
    singleBidShare(db),
    daysToAward(db),
    db.execute<{ price: string; estimate: string | null }>(sql`
      select price::text, estimate::text from ${inCurrency} a`),
  ]);

  const bands = new Map<string, number>(ESTIMATE_BANDS.map((b) => [b, 0]));
  for (const e of estimates) {
    const percent = percentOfEstimate(BigInt(e.price), e.estimate === null ? null : BigInt(e.estimate));
    if (percent !== null) bands.set(bandOf(percent), (bands.get(bandOf(percent)) ?? 0) + 1);
  }
  const bidBuckets = new Map<string, number>(["0", "1", "2", "3", "4", "5+"].map((b) => [b, 0]));
  for (const c of counts) bidBuckets.set(c.bids, c.tenders);

  return {
    currencies,
    currency,
    bySector: bySector.map((r) => ({ category: r.category, amount: BigInt(r.amount), awards: r.awards })),
    byDivision: byDivision.map((r) => ({ division: r.division, amount: BigInt(r.amount), awards: r.awards })),
    byAgency: byAgency.map((r) => ({
      key: r.key,
      nameAr: r.name_ar,
      nameEn: r.name_en,
      amount: BigInt(r.amount),
      awards: r.awards,
    })),
    byMonth: byMonth.map((r) => ({ month: r.month, amount: BigInt(r.amount), awards: r.awards })),
    bidsPerTender: [...bidBuckets].map(([bids, tenders]) => ({ bids, tenders })),
    singleBid,
    daysToAward: days,
    versusEstimate: [...bands].map(([band, awards]) => ({ band, awards })),
  };
}

/** One agency only (its profile page); every agency when absent. */
export interface AgencyScope {
  agencyId?: string;
}

/** Opened tenders and how many of them drew a single bid, per agency. */
export async function singleBidShare(
  db: Queryable,
  scope: AgencyScope = {},
): Promise<Array<Named & { opened: number; singleBid: number }>> {
  const rows = await db.execute<{
    key: string;
    name_ar: string;
    name_en: string;
    opened: number;
    single_bid: number;
  }>(sql`
      select o.id as key, o.name_ar, o.name_en, count(*)::int as opened, count(*) filter (where c.bids = 1)::int as single_bid
      from (${OPENED_BID_COUNTS}) c join organisations o on o.id = c.agency_id
      ${scope.agencyId ? sql`where c.agency_id = ${scope.agencyId}` : sql``}
      group by o.id order by 1`);
  return rows.map((r) => ({
    key: r.key,
    nameAr: r.name_ar,
    nameEn: r.name_en,
    opened: r.opened,
    singleBid: r.single_bid,
  }));
}

/** Median days from a tender's publication to its public awards, per agency. */
export async function daysToAward(
  db: Queryable,
  scope: AgencyScope = {},
): Promise<Array<Named & { awards: number; medianDays: number | null }>> {
  const rows = await db.execute<{
    key: string;
    name_ar: string;
    name_en: string;
    awards: number;
    median_days: string | null;
  }>(sql`
      select o.id as key, o.name_ar, o.name_en, count(*)::int as awards,
             round((percentile_cont(0.5) within group (order by extract(epoch from a.decided_at - a.published_at) / 86400))::numeric, 1)::text as median_days
      from (${PUBLIC_AWARDS}) a join organisations o on o.id = a.agency_id
      where a.published_at is not null ${scope.agencyId ? sql`and a.agency_id = ${scope.agencyId}` : sql``}
      group by o.id order by 1`);
  return rows.map((r) => ({
    key: r.key,
    nameAr: r.name_ar,
    nameEn: r.name_en,
    awards: r.awards,
    medianDays: r.median_days === null ? null : Number(r.median_days),
  }));
}

export interface FlaggedAward {
  awardId: string;
  tenderId: string;
  reference: string;
  titleAr: string;
  titleEn: string;
  agency: Named;
  winner: Named;
  price: bigint;
  currency: string;
  decidedAt: Date;
  flags: RedFlag[];
}

/** Public awards with at least one red flag, newest first; only one winner's with `winnerId`. */
export async function flaggedAwards(
  db: Queryable,
  limit = 200,
  filter: { winnerId?: string } = {},
): Promise<FlaggedAward[]> {
  const rows = await db.execute<{
    id: string;
    tender_id: string;
    reference: string;
    title_ar: string;
    title_en: string;
    agency_id: string;
    agency_ar: string;
    agency_en: string;
    business_id: string;
    winner_ar: string;
    winner_en: string;
    price: string;
    currency: string;
    estimate: string | null;
    decided_at: Date;
    published_at: Date;
    submission_deadline: Date;
    registered_at: Date;
    bids: number;
    wins: number;
  }>(sql`
    select a.id, a.tender_id, a.reference, a.title_ar, a.title_en, a.agency_id, ag.name_ar as agency_ar, ag.name_en as agency_en,
           a.business_id, w.name_ar as winner_ar, w.name_en as winner_en, a.price::text, a.currency, a.estimate::text,
           a.decided_at, a.published_at, a.submission_deadline, w.created_at as registered_at,
           coalesce(c.bids, 0) as bids,
           (select count(*)::int from (${PUBLIC_AWARDS}) x
             where x.business_id = a.business_id and x.agency_id = a.agency_id
               and x.decided_at <= a.decided_at
               and x.decided_at > a.decided_at - make_interval(days => ${THRESHOLDS.repeatWindowDays})) as wins
    from (${PUBLIC_AWARDS}) a
    join organisations ag on ag.id = a.agency_id
    join organisations w on w.id = a.business_id
    left join (${OPENED_BID_COUNTS}) c on c.tender_id = a.tender_id
    where a.published_at is not null and a.submission_deadline is not null
      ${filter.winnerId ? sql`and a.business_id = ${filter.winnerId}` : sql``}
    order by a.decided_at desc
    limit 2000`);
  const flagged: FlaggedAward[] = [];
  for (const r of rows) {
    const facts: AwardFacts = {
      bidCount: r.bids,
      publishedAt: new Date(r.published_at),
      submissionDeadline: new Date(r.submission_deadline),
      winnerRegisteredAt: new Date(r.registered_at),
      winsAtAgencyInWindow: r.wins,
      price: BigInt(r.price),
      estimate: r.estimate === null ? null : BigInt(r.estimate),
    };
    const flags = redFlagsOf(facts);
    if (flags.length === 0) continue;
    flagged.push({
      awardId: r.id,
      tenderId: r.tender_id,
      reference: r.reference,
      titleAr: r.title_ar,
      titleEn: r.title_en,
      agency: { key: r.agency_id, nameAr: r.agency_ar, nameEn: r.agency_en },
      winner: { key: r.business_id, nameAr: r.winner_ar, nameEn: r.winner_en },
      price: BigInt(r.price),
      currency: r.currency,
      decidedAt: new Date(r.decided_at),
      flags,
    });
    if (flagged.length >= limit) break;
  }
  return flagged;
}
