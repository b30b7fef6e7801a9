import { eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type PermitApplication, permitApplicationDocuments } from "#db/schema/index.ts";
import {
  addApplicationEvent,
  applicationOfApplicant,
  assertStatus,
  databaseNow,
  setApplication,
  userIdOf,
} from "./application-access.server.ts";
import { applicationFee } from "./application-fee.server.ts";
import { serviceLevelDue } from "./permit-rules.ts";
import { checkFields } from "./save-application.server.ts";

/**
 * Submit a draft: every required field filled and valid, every required
 * document attached, the fee (if any) paid. The service-level clock starts
 * now (database time) and the due date counts working days in the agency's
 * zone.
 */
export async function submitApplication(
  input: { actor: Actor; applicationId: string; ip?: string | null },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const { application, type, agencyTimeZone } = await applicationOfApplicant(
      tx,
      input.actor,
      input.applicationId,
    );
    assertStatus(application, ["draft"]);
    checkFields(type.fields, application.fields, true);
    const attached = await tx
      .select({ key: permitApplicationDocuments.requirementKey })
      .from(permitApplicationDocuments)
      .where(eq(permitApplicationDocuments.applicationId, application.id));
    const missing = type.documents.filter((d) => !attached.some((a) => a.key === d.key));
    if (missing.length > 0)
      throw new AppError("DOCUMENTS_REQUIRED", { count: missing.length }, { field: missing[0]!.key });
    const fee = await applicationFee(application, type, tx);
    if (fee && !fee.paid) throw new AppError("PERMIT_FEE_UNPAID");

    const now = await databaseNow(tx);
    const updated = await setApplication(tx, application.id, {
      status: "submitted",
      submittedAt: sql`now()` as never,
      dueAt: serviceLevelDue(now, type.serviceLevelDays, agencyTimeZone),
    });
    await addApplicationEvent(tx, {
      applicationId: application.id,
      kind: "submitted",
      actorId: userIdOf(input.actor),
    });
    await recordAudit(tx, {
      actorUserId: userIdOf(input.actor),
      organisationId: application.businessId,
      action: "permit_application.submitted",
      objectType: "permit_application",
      objectId: application.id,
      ip: input.ip ?? null,
      details: { permitTypeId: type.id, kind: application.kind, dueAt: updated.dueAt?.toISOString() },
    });
    return updated;
  });
}
