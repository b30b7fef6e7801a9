import { and, asc, count, desc, eq, inArray, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { contractBooks } from "#app/modules/contracts/contract-ledger.server.ts";
import type { Queryable } from "#db/client.server.ts";
import { contractMilestones, contracts, organisations, tenders } from "#db/schema/index.ts";

/**
 * The public side of contracts, for the explorer and the profiles: a contract
 * is public once signed (before that it is not in force; the contracts
 * module's publicContracts says the same for a tender's page). Value and
 * paid-to-date come from the ledger (contractBooks), so these pages show the
 * numbers the books hold.
 */
export interface PublicContract {
  id: string;
  awardId: string;
  reference: string;
  tenderId: string;
  titleAr: string;
  titleEn: string;
  agency: { slug: string; nameAr: string; nameEn: string };
  currency: string;
  /** As contracted in the ledger: the signed value and every amendment since. */
  value: bigint;
  paid: bigint;
  startsOn: string;
  endsOn: string;
  signedAt: Date;
  milestones: { total: number; delivered: number };
}

const agency = alias(organisations, "agency");

async function signedContracts(db: Queryable, where: SQL, limit: number): Promise<PublicContract[]> {
  const rows = await db
    .select({
      id: contracts.id,
      awardId: contracts.awardId,
      reference: contracts.reference,
      tenderId: contracts.tenderId,
      titleAr: tenders.titleAr,
      titleEn: tenders.titleEn,
      agency: { slug: agency.slug, nameAr: agency.nameAr, nameEn: agency.nameEn },
      currency: contracts.currency,
      value: contracts.value,
      startsOn: contracts.startsOn,
      endsOn: contracts.endsOn,
      signedAt: contracts.signedAt,
    })
    .from(contracts)
    .innerJoin(tenders, eq(tenders.id, contracts.tenderId))
    .innerJoin(agency, eq(agency.id, contracts.agencyId))
    .where(and(eq(contracts.status, "signed"), where))
    .orderBy(desc(contracts.signedAt), asc(contracts.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [books, progress] = await Promise.all([
    contractBooks(db, ids),
    db
      .select({
        contractId: contractMilestones.contractId,
        total: count(),
        delivered: count(contractMilestones.deliveredAt),
      })
      .from(contractMilestones)
      .where(inArray(contractMilestones.contractId, ids))
      .groupBy(contractMilestones.contractId),
  ]);
  return rows.map((r) => {
    const b = books.get(r.id);
    const p = progress.find((x) => x.contractId === r.id);
    return {
      ...r,
      // A signed contract's commitment is in the ledger; the row's value is the fallback.
      value: b && b.contracted !== 0n ? b.contracted : r.value,
      paid: b?.paid ?? 0n,
      signedAt: r.signedAt ?? new Date(0),
      milestones: { total: p?.total ?? 0, delivered: p?.delivered ?? 0 },
    };
  });
}

/** The signed contracts of the given awards, by award id. */
export async function publicContractsOfAwards(
  db: Queryable,
  awardIds: string[],
): Promise<Map<string, PublicContract>> {
  if (awardIds.length === 0) return new Map();
  const found = await signedContracts(db, inArray(contracts.awardId, awardIds), awardIds.length);
  return new Map(found.map((c) => [c.awardId, c]));
}

/** A supplier's signed contracts, newest first. */
export async function publicContractsOfSupplier(
  db: Queryable,
  businessId: string,
  limit = 50,
): Promise<PublicContract[]> {
  return signedContracts(db, eq(contracts.businessId, businessId), limit);
}
