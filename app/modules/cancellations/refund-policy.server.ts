import { sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { financeAgencyOf } from "#app/modules/payments/agency-scope.server.ts";
import type { Db } from "#db/client.server.ts";
import { agencyPaymentSettings } from "#db/schema/index.ts";

/**
 * The agency's policy on document fees when it cancels a tender: refunded (the
 * default) or kept. Set by those who keep its payment settings
 * (payments:configure), audited; it applies to cancellations from then on.
 */
export async function setCancellationRefundPolicy(
  input: { actor: Actor; refundDocumentFees: boolean; ip?: string | null },
  db: Db,
): Promise<boolean> {
  const { agency, userId } = await financeAgencyOf(input.actor, "payments:configure", db);
  return db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(agencyPaymentSettings)
      .values({ agencyId: agency.id, refundDocumentFeesOnCancellation: input.refundDocumentFees })
      .onConflictDoUpdate({
        target: agencyPaymentSettings.agencyId,
        set: { refundDocumentFeesOnCancellation: input.refundDocumentFees, updatedAt: sql`now()` },
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: userId,
      organisationId: agency.id,
      action: "payment_settings.cancellation_refund_policy",
      objectType: "organisation",
      objectId: agency.id,
      ip: input.ip ?? null,
      details: { refundDocumentFeesOnCancellation: input.refundDocumentFees },
    });
    return saved!.refundDocumentFeesOnCancellation;
  });
}
