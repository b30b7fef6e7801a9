import { asc, eq } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { memberships, organisations, users } from "#db/schema/index.ts";
import type { Integration } from "./actor.ts";
import { assertScope } from "./api-tokens.server.ts";

/** The token's own organisation (a token never reads another's). */
export async function apiOrganisation(integration: Integration, db: Queryable) {
  assertScope(integration, "organisation:read");
  const org = (await db.query.organisations.findFirst({
    where: eq(organisations.id, integration.organisationId),
  }))!;
  return {
    id: org.id,
    kind: org.kind,
    name: { ar: org.nameAr, en: org.nameEn },
    country: org.country,
    currency: org.currency,
    timeZone: org.timeZone,
    registrationNumber: org.registrationNumber,
    verification: org.verification,
  };
}

export async function apiMembers(integration: Integration, db: Queryable) {
  assertScope(integration, "members:read");
  return db
    .select({ name: users.displayName, email: users.email, roles: memberships.roles })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, integration.organisationId))
    .orderBy(asc(users.displayName));
}
