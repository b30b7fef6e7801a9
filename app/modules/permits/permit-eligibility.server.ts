import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { type Permit, permits, permitTypes } from "#db/schema/index.ts";

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
