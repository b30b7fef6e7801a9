import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "#db/client.server.ts";
import { organisations, permits, permitTypes } from "#db/schema/index.ts";
import type { PermitStatus } from "#db/schema/permit-kinds.ts";
import { effectivePermitStatus, normalisePermitNumber } from "./permit-status.ts";

/**
 * What the public verification page (the certificate's QR code) shows for a
 * permit number: whether it stands now, who holds it, what it is, who issued
 * it and for which dates. Nothing private: no application answers, no
 * documents, no reasons for a suspension or revocation, no people.
 * Unknown and malformed numbers get the same answer: null.
 */
export interface PermitVerification {
  /** Normalised: trimmed, upper case. */
  number: string;
  /** As of the database clock now (a validity that ended reads "expired" before the expiry job runs). */
  status: PermitStatus;
  permitType: { code: string; nameAr: string; nameEn: string };
  agency: { nameAr: string; nameEn: string };
  holder: { nameAr: string; nameEn: string };
  /** Calendar dates (YYYY-MM-DD) in the agency's time zone; valid through `validUntil` inclusive. */
  validFrom: string;
  validUntil: string;
}

const agencies = alias(organisations, "agency");
const holders = alias(organisations, "holder");

export async function verifyPermit(input: string, db: Queryable): Promise<PermitVerification | null> {
  const number = normalisePermitNumber(input);
  if (!number) return null;
  const [row] = await db
    .select({
      number: permits.number,
      storedStatus: permits.status,
      validityEnded: sql<boolean>`now() >= ${permits.expiresAt}`,
      typeCode: permitTypes.code,
      typeNameAr: permitTypes.nameAr,
      typeNameEn: permitTypes.nameEn,
      agencyNameAr: agencies.nameAr,
      agencyNameEn: agencies.nameEn,
      holderNameAr: holders.nameAr,
      holderNameEn: holders.nameEn,
      validFrom: permits.validFrom,
      validUntil: permits.validUntil,
    })
    .from(permits)
    .innerJoin(permitTypes, eq(permitTypes.id, permits.permitTypeId))
    .innerJoin(agencies, eq(agencies.id, permitTypes.agencyId))
    .innerJoin(holders, eq(holders.id, permits.holderId))
    .where(eq(permits.number, number));
  if (!row) return null;
  return {
    number: row.number,
    status: effectivePermitStatus(row.storedStatus, row.validityEnded),
    permitType: { code: row.typeCode, nameAr: row.typeNameAr, nameEn: row.typeNameEn },
    agency: { nameAr: row.agencyNameAr, nameEn: row.agencyNameEn },
    holder: { nameAr: row.holderNameAr, nameEn: row.holderNameEn },
    validFrom: row.validFrom,
    validUntil: row.validUntil,
  };
}
