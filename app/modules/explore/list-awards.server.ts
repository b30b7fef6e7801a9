import { type SQL, sql } from "drizzle-orm";
import { PUBLIC_AWARDS } from "#app/modules/awards/public-awards.server.ts";
import type { Queryable } from "#db/client.server.ts";
import { type PublicContract, publicContractsOfAwards } from "./award-contracts.server.ts";
import { AWARD_PAGE_SIZE, type AwardFilters, type TenderCategory } from "./award-filters.ts";

/**
 * The award explorer: every public award (PUBLIC_AWARDS — the notice is out
 * and the award still stands), newest first, filtered by agency, supplier,
 * currency, year and category. What the public may read of an award and
 * nothing more: the tender, the lot, the agency, the winner, the price, the
 * decision date, where it stands, and its contract once signed.
 */

export interface PartyRef {
  slug: string;
  nameAr: string;
  nameEn: string;
}

/**
 * Where a public award stands: in its standstill (open to complaints), final
 * (standstill over), suspended by a complaint, or made into a contract.
 */
export type PublicAwardState = "standstill" | "final" | "suspended" | "contracted";

export interface PublicAward {
  id: string;
  tenderId: string;
  reference: string;
  titleAr: string;
  titleEn: string;
  /** The lot's number when the tender has several lots; null for a single-lot tender. */
  lotNumber: number | null;
  category: TenderCategory;
  agency: PartyRef;
  supplier: PartyRef;
  price: bigint;
  currency: string;
  decidedAt: Date;
  state: PublicAwardState;
  standstillEndsAt: Date | null;
  /** The signed contract made from it, if any (contracts not yet signed are not public). */
  contract: PublicContract | null;
}

export interface CurrencyTotal {
  currency: string;
  amount: bigint;
  awards: number;
}

export interface AwardPage {
  rows: PublicAward[];
  /** Awards matching the filters, in every currency. */
  total: number;
  /** Sums per currency of the awards matching the filters (never added across currencies). */
  totals: CurrencyTotal[];
  page: number;
  pages: number;
}

/** The filters as conditions on `p` (PUBLIC_AWARDS), `ag` (agency) and `w` (winner). */
function conditions(filters: Partial<AwardFilters>): SQL {
  const parts: SQL[] = [sql`true`];
  if (filters.agency) parts.push(sql`ag.slug = ${filters.agency}`);
  if (filters.supplier) parts.push(sql`w.slug = ${filters.supplier}`);
  if (filters.currency) parts.push(sql`p.currency = ${filters.currency}`);
  if (filters.category) parts.push(sql`p.category = ${filters.category}`);
  if (filters.year != null) {
    const from = new Date(Date.UTC(filters.year, 0, 1)).toISOString();
    const to = new Date(Date.UTC(filters.year + 1, 0, 1)).toISOString();
    parts.push(sql`p.decided_at >= ${from}::timestamptz and p.decided_at < ${to}::timestamptz`);
  }
  return sql.join(parts, sql` and `);
}

const FROM = sql`(${PUBLIC_AWARDS}) p
  join organisations ag on ag.id = p.agency_id
  join organisations w on w.id = p.business_id`;

export async function listPublicAwards(
  filters: Partial<AwardFilters> & { pageSize?: number },
  db: Queryable,
): Promise<AwardPage> {
  const pageSize = filters.pageSize ?? AWARD_PAGE_SIZE;
  const where = conditions(filters);
  const totals = (
    await db.execute<{ currency: string; amount: string; awards: number }>(sql`
      select p.currency, sum(p.price)::text as amount, count(*)::int as awards
      from ${FROM} where ${where} group by p.currency order by count(*) desc, p.currency`)
  ).map((r) => ({ currency: r.currency, amount: BigInt(r.amount), awards: r.awards }));
  const total = totals.reduce((n, t) => n + t.awards, 0);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  // A page past the last shows the last: a link that outlived some awards still lands somewhere.
  const page = Math.min(Math.max(1, Math.trunc(filters.page ?? 1)), pages);
  const rows =
    total === 0
      ? []
      : await db.execute<{
          id: string;
          tender_id: string;
          reference: string;
          title_ar: string;
          title_en: string;
          lot_number: number;
          multi_lot: boolean;
          category: TenderCategory;
          agency_slug: string;
          agency_ar: string;
          agency_en: string;
          supplier_slug: string;
          supplier_ar: string;
          supplier_en: string;
          price: string;
          currency: string;
          decided_at: Date | string;
          status: string;
          standstill_ends_at: Date | string | null;
          standstill_over: boolean;
        }>(sql`
      select p.id, p.tender_id, p.reference, p.title_ar, p.title_en, p.lot_number, p.category,
             exists (select 1 from tender_lots x where x.tender_id = p.tender_id and x.id <> p.tender_lot_id) as multi_lot,
             ag.slug as agency_slug, ag.name_ar as agency_ar, ag.name_en as agency_en,
             w.slug as supplier_slug, w.name_ar as supplier_ar, w.name_en as supplier_en,
             p.price::text as price, p.currency, p.decided_at, p.status, p.standstill_ends_at,
             coalesce(p.standstill_ends_at <= now(), false) as standstill_over
      from ${FROM} where ${where}
      order by p.decided_at desc, p.id desc
      limit ${pageSize} offset ${(page - 1) * pageSize}`);
  const contracts = await publicContractsOfAwards(
    db,
    rows.map((r) => r.id),
  );
  return {
    rows: rows.map((r) => ({
      id: r.id,
      tenderId: r.tender_id,
      reference: r.reference,
      titleAr: r.title_ar,
      titleEn: r.title_en,
      lotNumber: r.multi_lot ? r.lot_number : null,
      category: r.category,
      agency: { slug: r.agency_slug, nameAr: r.agency_ar, nameEn: r.agency_en },
      supplier: { slug: r.supplier_slug, nameAr: r.supplier_ar, nameEn: r.supplier_en },
      price: BigInt(r.price),
      currency: r.currency,
      decidedAt: new Date(r.decided_at),
      state:
        r.status === "contracted"
          ? "contracted"
          : r.status === "suspended"
            ? "suspended"
            : r.standstill_over
              ? "final"
              : "standstill",
      standstillEndsAt: r.standstill_ends_at === null ? null : new Date(r.standstill_ends_at),
      contract: contracts.get(r.id) ?? null,
    })),
    total,
    totals,
    page,
    pages,
  };
}

export interface AwardFilterOptions {
  agencies: Array<PartyRef & { awards: number }>;
  suppliers: Array<PartyRef & { awards: number }>;
  currencies: Array<{ currency: string; awards: number }>;
  years: Array<{ year: number; awards: number }>;
}

/** What the explorer's filters can choose from: only values that have public awards. */
export async function awardFilterOptions(db: Queryable): Promise<AwardFilterOptions> {
  const [agencies, suppliers, currencies, years] = await Promise.all([
    db.execute<{ slug: string; name_ar: string; name_en: string; awards: number }>(sql`
      select ag.slug, ag.name_ar, ag.name_en, count(*)::int as awards from ${FROM}
      group by ag.id order by ag.name_en, ag.slug`),
    db.execute<{ slug: string; name_ar: string; name_en: string; awards: number }>(sql`
      select w.slug, w.name_ar, w.name_en, count(*)::int as awards from ${FROM}
      group by w.id order by w.name_en, w.slug limit 1000`),
    db.execute<{ currency: string; awards: number }>(sql`
      select p.currency, count(*)::int as awards from (${PUBLIC_AWARDS}) p group by 1 order by 2 desc, 1`),
    db.execute<{ year: number; awards: number }>(sql`
      select extract(year from p.decided_at at time zone 'UTC')::int as year, count(*)::int as awards
      from (${PUBLIC_AWARDS}) p group by 1 order by 1 desc`),
  ]);
  const party = (r: { slug: string; name_ar: string; name_en: string; awards: number }) => ({
    slug: r.slug,
    nameAr: r.name_ar,
    nameEn: r.name_en,
    awards: r.awards,
  });
  return {
    agencies: agencies.map(party),
    suppliers: suppliers.map(party),
    currencies: currencies.map((r) => ({ currency: r.currency, awards: r.awards })),
    years: years.map((r) => ({ year: r.year, awards: r.awards })),
  };
}

/** Public awards in each currency and year, newest year first: an agency's or a supplier's spending. */
export async function totalsByYear(
  db: Queryable,
  scope: { agencyId?: string; businessId?: string },
): Promise<Array<CurrencyTotal & { year: number }>> {
  const rows = await db.execute<{ year: number; currency: string; amount: string; awards: number }>(sql`
    select extract(year from p.decided_at at time zone 'UTC')::int as year, p.currency,
           sum(p.price)::text as amount, count(*)::int as awards
    from (${PUBLIC_AWARDS}) p
    where ${scope.agencyId ? sql`p.agency_id = ${scope.agencyId}` : sql`true`}
      and ${scope.businessId ? sql`p.business_id = ${scope.businessId}` : sql`true`}
    group by 1, 2 order by 1 desc, 4 desc, 2`);
  return rows.map((r) => ({
    year: r.year,
    currency: r.currency,
    amount: BigInt(r.amount),
    awards: r.awards,
  }));
}

/** Per-year totals added up per currency (never across currencies), largest count first. */
export function totalsPerCurrency(byYear: Array<CurrencyTotal & { year: number }>): CurrencyTotal[] {
  const sums = new Map<string, CurrencyTotal>();
  for (const r of byYear) {
    const s = sums.get(r.currency) ?? { currency: r.currency, amount: 0n, awards: 0 };
    s.amount += r.amount;
    s.awards += r.awards;
    sums.set(r.currency, s);
  }
  return [...sums.values()].sort((a, b) => b.awards - a.awards || a.currency.localeCompare(b.currency));
}
