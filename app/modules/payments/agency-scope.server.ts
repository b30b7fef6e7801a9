import { eq } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan, type Permission } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { type Organisation, organisations } from "#db/schema/index.ts";

/**
 * The agency a finance user acts for, after checking the permission: every
 * finance use case works on its own agency's money and nobody else's.
 */
export async function financeAgencyOf(
  actor: Actor,
  permission: Permission,
  db: Queryable,
): Promise<{ agency: Organisation; userId: string }> {
  assertCan(actor, permission);
  const agency = await db.query.organisations.findFirst({
    where: eq(organisations.id, actor.membership!.organisationId),
  });
  if (agency?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { agency, userId: actor.userId };
}
