import { and, eq, sql } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { bidPermitFlags, bids, organisations, type Permit, permits, permitTypes } from "#db/schema/index.ts";

/**
 * Whether a business holds a permit that is valid now (by the database clock:
 * status valid and not past its expiry, even if the expiry job has not run
 * yet). Used for parent licences and for tender eligibility.
 */
export async function validPermitOf(
  query: { holderId: string; typeId?: string; typeCode?: string },
  db: Queryable,
): Promise<Permit | null> {
  const [row] = await db
    .select({ permit: permits })
    .from(permits)
    .innerJoin(permitTypes, eq(permitTypes.id, permits.permitTypeId))
    .where(
      and(
        eq(permits.holderId, query.holderId),
        query.typeId ? eq(permits.permitTypeId, query.typeId) : undefined,
        query.typeCode ? eq(permitTypes.code, query.typeCode) : undefined,
        eq(permits.status, "valid"),
        sql`${permits.expiresAt} > now()`,
      ),
    )
    .limit(1);
  return row?.permit ?? null;
}

/**
 * Tender eligibility: a tender that names a permit type (by code) admits bids
 * only from businesses holding one that is valid now. PERMIT_REQUIRED names
 * the permit in both languages.
 */
export async function assertHoldsPermit(holderId: string, typeCode: string, db: Queryable): Promise<void> {
  if (await validPermitOf({ holderId, typeCode }, db)) return;
  const [type] = await db
    .select({ nameAr: permitTypes.nameAr, nameEn: permitTypes.nameEn })
    .from(permitTypes)
    .where(eq(permitTypes.code, typeCode));
  throw new AppError("PERMIT_REQUIRED", {
    nameAr: type?.nameAr ?? typeCode,
    nameEn: type?.nameEn ?? typeCode,
  });
}

/** The permit types a tender may require (active ones in the catalogue), as options of the tender form. */
export async function permitTypeOptions(lang: "ar" | "en", db: Queryable) {
  const rows = await db
    .select({ code: permitTypes.code, nameAr: permitTypes.nameAr, nameEn: permitTypes.nameEn })
    .from(permitTypes)
    .where(eq(permitTypes.active, true))
    .orderBy(permitTypes.code);
  return rows.map((r) => ({ value: r.code, label: lang === "ar" ? r.nameAr : r.nameEn }));
}

/** A tender may only require a permit type that exists in the catalogue. */
export async function assertPermitTypeExists(code: string, db: Queryable): Promise<void> {
  const [found] = await db.select({ id: permitTypes.id }).from(permitTypes).where(eq(permitTypes.code, code));
  if (!found) throw new AppError("VALIDATION", {}, { field: "requiredPermitType" });
}

/**
 * The bids on a tender whose bidder lost a permit the tender requires while
 * it ran (suspended or revoked: see change-permit-status.server.ts), for the
 * officers' tender page. Names and permit numbers only.
 */
export async function permitFlagsOfTender(tenderId: string, db: Queryable) {
  return db
    .select({
      bidId: bidPermitFlags.bidId,
      permitNumber: permits.number,
      permitStatus: bidPermitFlags.permitStatus,
      reason: bidPermitFlags.reason,
      flaggedAt: bidPermitFlags.flaggedAt,
      businessNameAr: organisations.nameAr,
      businessNameEn: organisations.nameEn,
    })
    .from(bidPermitFlags)
    .innerJoin(bids, eq(bids.id, bidPermitFlags.bidId))
    .innerJoin(permits, eq(permits.id, bidPermitFlags.permitId))
    .innerJoin(organisations, eq(organisations.id, bids.businessId))
    .where(eq(bids.tenderId, tenderId))
    .orderBy(bidPermitFlags.flaggedAt);
}
