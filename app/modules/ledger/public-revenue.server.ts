import { and, desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { ledgerAccounts, ledgerCheckpoints, organisations } from "#db/schema/index.ts";

/**
 * What every agency has received, by fee type and currency, straight from the
 * ledger (revenue accounts carry credit balances, shown here as positive),
 * and the latest signed checkpoint anyone can check. All public.
 */
export async function publicRevenue(db: Queryable) {
  const revenue = await db
    .select({
      agencyId: organisations.id,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      feeType: ledgerAccounts.feeType,
      currency: ledgerAccounts.currency,
      received: sql<string>`(-${ledgerAccounts.balance})::text`,
    })
    .from(ledgerAccounts)
    .innerJoin(organisations, eq(organisations.id, ledgerAccounts.organisationId))
    .where(and(eq(ledgerAccounts.purpose, "agency_revenue"), eq(organisations.kind, "agency")))
    .orderBy(organisations.nameEn, ledgerAccounts.feeType);
  const [latest] = await db.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.id)).limit(1);
  return {
    revenue: revenue.map((r) => ({ ...r, received: BigInt(r.received) })),
    latestCheckpoint: latest ?? null,
  };
}
