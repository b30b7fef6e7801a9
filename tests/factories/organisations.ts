import { randomBytes } from "node:crypto";
import type { Queryable } from "#db/client.server.ts";
import { type NewOrganisation, type Organisation, organisations } from "#db/schema/index.ts";

/**
 * Organisation factories, shared by the tests and the demo seed (so the demo
 * data is always data the tests know how to build).
 */

const uniqueSuffix = () => randomBytes(4).toString("hex");

export function agencyData(overrides: Partial<NewOrganisation> = {}): NewOrganisation {
  const suffix = uniqueSuffix();
  return {
    kind: "agency",
    slug: `agency-${suffix}`,
    nameAr: `جهة حكومية ${suffix}`,
    nameEn: `Government agency ${suffix}`,
    country: "KW",
    currency: "KWD",
    timeZone: "Asia/Kuwait",
    ...overrides,
  };
}

export function businessData(overrides: Partial<NewOrganisation> = {}): NewOrganisation {
  const suffix = uniqueSuffix();
  return {
    kind: "business",
    slug: `business-${suffix}`,
    registrationNumber: `CR-${suffix}`,
    taxNumber: `TX-${suffix}`,
    sector: "construction",
    contactEmail: `contact-${suffix}@example.test`,
    verification: "verified",
    nameAr: `شركة ${suffix}`,
    nameEn: `Company ${suffix} LLC`,
    country: "KW",
    currency: "KWD",
    timeZone: "Asia/Kuwait",
    ...overrides,
  };
}

/** Insert an organisation; with `onConflict: "keep"` an existing slug is left as it is and returned. */
export async function createOrganisation(
  db: Queryable,
  data: NewOrganisation,
  { onConflict = "fail" }: { onConflict?: "fail" | "keep" } = {},
): Promise<Organisation> {
  if (onConflict === "keep") {
    await db.insert(organisations).values(data).onConflictDoNothing({ target: organisations.slug });
    const found = await db.query.organisations.findFirst({ where: (o, { eq }) => eq(o.slug, data.slug) });
    if (!found) throw new Error(`organisation ${data.slug} vanished after insert`);
    return found;
  }
  const [row] = await db.insert(organisations).values(data).returning();
  return row!;
}
