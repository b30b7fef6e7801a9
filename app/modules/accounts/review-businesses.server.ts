import { and, asc, eq, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { isLanguage } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { memberships, organisationDocuments, organisations, storedFiles, users } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { assertCan } from "./permissions.ts";

type Status = "pending" | "verified" | "rejected";

/** Businesses for the platform admin to review, oldest first. */
export async function listBusinessesForReview(actor: Actor, status: Status, db: Queryable) {
  assertCan(actor, "business:verify");
  return db
    .select({
      id: organisations.id,
      nameAr: organisations.nameAr,
      nameEn: organisations.nameEn,
      country: organisations.country,
      registrationNumber: organisations.registrationNumber,
      sector: organisations.sector,
      verification: organisations.verification,
      createdAt: organisations.createdAt,
    })
    .from(organisations)
    .where(and(eq(organisations.kind, "business"), eq(organisations.verification, status)))
    .orderBy(asc(organisations.createdAt));
}

/** One business with its documents, for the reviewer. */
export async function getBusinessForReview(actor: Actor, organisationId: string, db: Queryable) {
  assertCan(actor, "business:verify");
  const business = await db.query.organisations.findFirst({
    where: and(eq(organisations.id, organisationId), eq(organisations.kind, "business")),
  });
  if (!business) throw new AppError("NOT_FOUND");
  const documents = await db
    .select({
      fileId: storedFiles.id,
      kind: organisationDocuments.kind,
      name: storedFiles.originalName,
      mediaType: storedFiles.mediaType,
      sizeBytes: storedFiles.sizeBytes,
      sha256: storedFiles.sha256,
    })
    .from(organisationDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, organisationDocuments.fileId))
    .where(eq(organisationDocuments.organisationId, organisationId))
    .orderBy(asc(organisationDocuments.createdAt));
  return { business, documents };
}

/**
 * Verify or reject a pending business (a rejection needs a reason, which the
 * owners receive). Decided once: a second decision on the same business is refused.
 */
export async function decideBusinessVerification(
  input: {
    actor: Actor;
    organisationId: string;
    decision: "verified" | "rejected";
    reason: string;
    ip: string | null;
  },
  db: Db,
): Promise<void> {
  assertCan(input.actor, "business:verify");
  const reason = input.reason.trim();
  if (input.decision === "rejected" && reason.length === 0)
    throw new AppError("REASON_REQUIRED", {}, { field: "reason" });
  const actor = input.actor;
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(organisations)
      .set({
        verification: input.decision,
        verificationReason: reason || null,
        verifiedAt: input.decision === "verified" ? sql`now()` : null,
      })
      .where(
        and(
          eq(organisations.id, input.organisationId),
          eq(organisations.kind, "business"),
          eq(organisations.verification, "pending"),
        ),
      )
      .returning();
    if (!updated) {
      const exists = await tx.query.organisations.findFirst({
        where: eq(organisations.id, input.organisationId),
      });
      throw new AppError(exists ? "BUSINESS_NOT_PENDING" : "NOT_FOUND");
    }
    const owners = await tx
      .select({ email: users.email, name: users.displayName, language: users.language })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, updated.id), sql`'owner' = any(${memberships.roles})`));
    for (const owner of owners) {
      const language = isLanguage(owner.language) ? owner.language : "ar";
      await queueEmail(tx, {
        to: owner.email,
        language,
        template: input.decision === "verified" ? "businessVerified" : "businessRejected",
        params: { name: owner.name, business: language === "ar" ? updated.nameAr : updated.nameEn, reason },
      });
    }
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: updated.id,
      action: input.decision === "verified" ? "business.verified" : "business.rejected",
      objectType: "organisation",
      objectId: updated.id,
      ip: input.ip,
      details: reason ? { reason } : {},
    });
  });
}
