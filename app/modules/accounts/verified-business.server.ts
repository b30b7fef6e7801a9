import { eq } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { organisations } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";

/**
 * Bidding and applying for permits need a verified business. An unverified
 * one can browse and prepare drafts, but the submitting use cases call this
 * first (tenders and permits issues).
 */
export async function assertVerifiedBusiness(actor: Actor, db: Queryable): Promise<void> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  const org = await db.query.organisations.findFirst({
    where: eq(organisations.id, actor.membership.organisationId),
  });
  if (org?.verification !== "verified") throw new AppError("BUSINESS_NOT_VERIFIED");
}
