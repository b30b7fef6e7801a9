import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { Language } from "#app/modules/i18n/i18n.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { type Organisation, organisations } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { COUNTRIES, type CountryCode } from "./countries.ts";
import { createInvitation } from "./invitations.server.ts";
import { assertCan } from "./permissions.ts";

/**
 * The platform admin creates an agency and invites its first administrator,
 * who then invites the agency's staff. Agency, invitation, e-mail and audit
 * event commit together.
 */
export async function createAgency(
  input: {
    actor: Actor;
    nameAr: string;
    nameEn: string;
    country: CountryCode;
    adminEmail: string;
    language: Language;
    baseUrl: string;
    ip: string | null;
  },
  db: Db,
): Promise<Organisation> {
  assertCan(input.actor, "agency:create");
  const actor = input.actor;
  const base =
    input.nameEn
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "agency";
  return db.transaction(async (tx) => {
    const [agency] = await tx
      .insert(organisations)
      .values({
        kind: "agency",
        slug: `${base}-${randomBytes(2).toString("hex")}`,
        nameAr: input.nameAr.trim(),
        nameEn: input.nameEn.trim(),
        country: input.country,
        currency: COUNTRIES[input.country].currency,
        timeZone: COUNTRIES[input.country].timeZone,
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: agency!.id,
      action: "agency.created",
      objectType: "organisation",
      objectId: agency!.id,
      ip: input.ip,
      details: { nameEn: agency!.nameEn, country: agency!.country },
    });
    await createInvitation(tx, {
      organisation: agency!,
      email: input.adminEmail.trim(),
      roles: ["agency_admin"],
      inviter: { userId: actor.userId, name: actor.displayName },
      language: input.language,
      baseUrl: input.baseUrl,
      ip: input.ip,
    });
    return agency!;
  });
}

export async function listAgenciesForAdmin(actor: Actor, db: Queryable) {
  assertCan(actor, "agency:create");
  return db
    .select()
    .from(organisations)
    .where(eq(organisations.kind, "agency"))
    .orderBy(asc(organisations.nameEn));
}
