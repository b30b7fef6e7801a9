import { and, eq } from "drizzle-orm";
import { type FlaggedAward, flaggedAwards } from "#app/modules/insights/insights.server.ts";
import type { Queryable } from "#db/client.server.ts";
import { organisations } from "#db/schema/index.ts";
import { type PublicContract, publicContractsOfSupplier } from "./award-contracts.server.ts";
import {
  type AwardPage,
  type CurrencyTotal,
  listPublicAwards,
  totalsByYear,
  totalsPerCurrency,
} from "./list-awards.server.ts";

/**
 * A business's public record: its name, registration number, sector, country,
 * whether the platform verified it and since when it is on Shafaf; the awards
 * it won and the contracts signed from them, its totals per currency, and the
 * red flags raised on its awards.
 *
 * Nothing private, by construction: the columns are listed one by one (no tax
 * number, address, e-mail or telephone; no verification reason), and nothing
 * is read of members, documents, bids or payments — wins come only from public
 * awards, contracts only once signed.
 */
export interface SupplierProfile {
  supplier: {
    id: string;
    slug: string;
    nameAr: string;
    nameEn: string;
    registrationNumber: string | null;
    sector: string | null;
    country: string;
    verified: boolean;
    /** When the platform verified it (verified businesses only). */
    verifiedAt: Date | null;
    createdAt: Date;
  };
  wins: AwardPage;
  totals: { byYear: Array<CurrencyTotal & { year: number }>; byCurrency: CurrencyTotal[] };
  contracts: PublicContract[];
  flagged: FlaggedAward[];
}

export const SUPPLIER_WINS_SHOWN = 20;
export const SUPPLIER_FLAGS_SHOWN = 50;

export async function supplierProfile(slug: string, db: Queryable): Promise<SupplierProfile | null> {
  const [row] = await db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      registrationNumber: organisations.registrationNumber,
      sector: organisations.sector,
      country: organisations.country,
      verification: organisations.verification,
      verifiedAt: organisations.verifiedAt,
      createdAt: organisations.createdAt,
    })
    .from(organisations)
    .where(and(eq(organisations.slug, slug), eq(organisations.kind, "business")));
  if (!row) return null;
  const { verification, ...rest } = row;
  const verified = verification === "verified";
  const supplier = { ...rest, verified, verifiedAt: verified ? rest.verifiedAt : null };
  const [wins, byYear, contracts, flagged] = await Promise.all([
    listPublicAwards({ supplier: supplier.slug, page: 1, pageSize: SUPPLIER_WINS_SHOWN }, db),
    totalsByYear(db, { businessId: supplier.id }),
    publicContractsOfSupplier(db, supplier.id),
    flaggedAwards(db, SUPPLIER_FLAGS_SHOWN, { winnerId: supplier.id }),
  ]);
  return {
    supplier,
    wins,
    totals: { byYear, byCurrency: totalsPerCurrency(byYear) },
    contracts,
    flagged,
  };
}
