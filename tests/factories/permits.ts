import { randomBytes, randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import {
  organisations,
  type Permit,
  type PermitApplication,
  type PermitType,
  permitApplications,
  permits,
  permitTypes,
} from "#db/schema/index.ts";

/**
 * Permit factories: catalogue entries, applications and issued permits by
 * direct inserts, with defaults that satisfy every constraint. They take
 * ids, not whole rows, and any column can be overridden, so tests and the
 * demo seed can build any state without going through the use cases.
 */

const uniqueSuffix = () => randomBytes(4).toString("hex");

type NewPermitType = typeof permitTypes.$inferInsert;
type NewPermitApplication = typeof permitApplications.$inferInsert;
type NewPermit = typeof permits.$inferInsert;

export function permitTypeData(agencyId: string, overrides: Partial<NewPermitType> = {}): NewPermitType {
  const suffix = uniqueSuffix();
  return {
    agencyId,
    code: `permit-${suffix}`,
    nameAr: `رخصة ${suffix}`,
    nameEn: `Licence ${suffix}`,
    serviceLevelDays: 10,
    validityMonths: 12,
    ...overrides,
  };
}

export async function createPermitType(
  db: Queryable,
  agencyId: string,
  overrides: Partial<NewPermitType> = {},
): Promise<PermitType> {
  const [row] = await db.insert(permitTypes).values(permitTypeData(agencyId, overrides)).returning();
  return row!;
}

/** An application; a draft unless `status` (and the times that go with it) are given. */
export async function createPermitApplication(
  db: Queryable,
  input: { permitTypeId: string; businessId: string; createdBy: string } & Partial<NewPermitApplication>,
): Promise<PermitApplication> {
  const [row] = await db
    .insert(permitApplications)
    .values({
      reference: `APP-TEST-${uniqueSuffix().toUpperCase()}`,
      ...input,
    })
    .returning();
  return row!;
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** YYYY-MM-DD of a date, in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The calendar date `days` after (or before) a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

/**
 * An issued permit, valid from today for a year unless told otherwise. An
 * application for it (status "issued") is created when none is given.
 * `expiresAt` defaults to midnight after `validUntil` in the agency's time zone.
 */
export async function createPermit(
  db: Queryable,
  input: { permitTypeId: string; holderId: string; issuedBy: string } & Partial<NewPermit>,
): Promise<Permit> {
  const [type] = await db
    .select({ timeZone: organisations.timeZone, code: permitTypes.code })
    .from(permitTypes)
    .innerJoin(organisations, eq(organisations.id, permitTypes.agencyId))
    .where(eq(permitTypes.id, input.permitTypeId));
  if (!type) throw new Error(`permit type ${input.permitTypeId} not found`);

  const validFrom = input.validFrom ?? isoDate(new Date());
  const validUntil = input.validUntil ?? addDays(validFrom, 364);
  const applicationId =
    input.applicationId ??
    (
      await createPermitApplication(db, {
        permitTypeId: input.permitTypeId,
        businessId: input.holderId,
        createdBy: input.issuedBy,
        status: "issued",
        submittedAt: daysAgo(10),
        dueAt: daysAgo(1),
        decidedAt: daysAgo(2),
      })
    ).id;
  const [row] = await db
    .insert(permits)
    .values({
      number: `TST-${new Date().getUTCFullYear()}-${String(randomInt(0, 1e9)).padStart(9, "0")}`,
      expiresAt: sql`((${validUntil}::date + 1)::timestamp at time zone ${type.timeZone})`,
      ...input,
      applicationId,
      validFrom,
      validUntil,
    })
    .returning();
  return row!;
}
