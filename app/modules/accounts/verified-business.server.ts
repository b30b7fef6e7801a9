import { eq, sql } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { preparedPerHandle } from "#db/prepared.server.ts";
import { organisations } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";

/** Asked on every bid submission: prepared once (see preparedPerHandle). */
const verificationOf = preparedPerHandle((db) =>
  db
    .select({ verification: organisations.verification })
    .from(organisations)
    .where(eq(organisations.id, sql.placeholder("id")))
    .prepare("organisation_verification"),
);

/**
 * Bidding and applying for permits need a verified business. An unverified
 * one can browse and prepare drafts, but the submitting use cases call this
 * first (tenders and permits issues).
 */
export async function assertVerifiedBusiness(actor: Actor, db: Queryable): Promise<void> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  const [org] = await verificationOf(db).execute({ id: actor.membership.organisationId });
  if (org?.verification !== "verified") throw new AppError("BUSINESS_NOT_VERIFIED");
}
