import { desc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { type PermitApplication, permitInspections } from "#db/schema/index.ts";
import { NOTE_MAX } from "./applicant-steps.server.ts";
import {
  addApplicationEvent,
  applicationForOfficer,
  assertStatus,
  setApplication,
  userIdOf,
} from "./application-access.server.ts";
import { notifyApplicant } from "./review-application.server.ts";

type Step = { actor: Actor; applicationId: string; ip?: string | null; baseUrl?: string };

const DECIDABLE = ["in_review", "inspected"] as const;

/**
 * Approve an application. The checklist must be complete and, for types that
 * need one, the last inspection passed. Types that need two officers: the
 * first approval is recorded and waits; a different officer's approval
 * decides (the database refuses the same officer twice).
 */
export async function approveApplication(
  input: Step & { note?: string },
  db: Db,
): Promise<PermitApplication> {
  try {
    return await db.transaction(async (tx) => {
      const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
      const { application, type } = loaded;
      assertStatus(application, DECIDABLE);
      const me = userIdOf(input.actor);
      const unchecked = type.checklist.filter((item) => !application.checklist[item.key]);
      if (unchecked.length > 0) throw new AppError("CHECKLIST_INCOMPLETE", { count: unchecked.length });
      if (type.inspectionRequired) {
        const [last] = await tx
          .select()
          .from(permitInspections)
          .where(eq(permitInspections.applicationId, application.id))
          .orderBy(desc(permitInspections.createdAt))
          .limit(1);
        if (last?.result !== "passed") throw new AppError("INSPECTION_NOT_PASSED");
      }
      const note = input.note?.trim().slice(0, NOTE_MAX) || null;
      if (type.secondApprovalRequired && !application.firstApprovedBy) {
        const updated = await setApplication(tx, application.id, { firstApprovedBy: me });
        await addApplicationEvent(tx, {
          applicationId: application.id,
          kind: "first_approval",
          actorId: me,
          note,
        });
        await recordAudit(tx, {
          actorUserId: me,
          organisationId: type.agencyId,
          action: "permit_application.first_approval",
          objectType: "permit_application",
          objectId: application.id,
          ip: input.ip ?? null,
        });
        return updated;
      }
      if (application.firstApprovedBy === me) throw new AppError("SECOND_OFFICER_REQUIRED");
      const updated = await setApplication(tx, application.id, {
        status: "approved",
        approvedBy: me,
        decidedAt: sql`now()` as never,
        decisionReason: note,
      });
      await addApplicationEvent(tx, { applicationId: application.id, kind: "approved", actorId: me, note });
      await recordAudit(tx, {
        actorUserId: me,
        organisationId: type.agencyId,
        action: "permit_application.approved",
        objectType: "permit_application",
        objectId: application.id,
        ip: input.ip ?? null,
      });
      await notifyApplicant(tx, loaded, "permitApproved", {}, input.baseUrl);
      return updated;
    });
  } catch (e) {
    if (postgresErrorOf(e)?.constraint === "permit_applications_two_approvers")
      throw new AppError("SECOND_OFFICER_REQUIRED");
    throw e;
  }
}

/** Reject an application, with the reason the applicant reads. */
export async function rejectApplication(
  input: Step & { reason: string },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
    const { application, type } = loaded;
    assertStatus(application, ["submitted", ...DECIDABLE, "inspection_scheduled"]);
    const reason = (input.reason ?? "").trim();
    if (reason.length < 2 || reason.length > NOTE_MAX)
      throw new AppError("REASON_REQUIRED", {}, { field: "reason" });
    const me = userIdOf(input.actor);
    const updated = await setApplication(tx, application.id, {
      status: "rejected",
      decidedAt: sql`now()` as never,
      decisionReason: reason,
      clockStoppedAt: null,
    });
    await addApplicationEvent(tx, {
      applicationId: application.id,
      kind: "rejected",
      actorId: me,
      note: reason,
    });
    await recordAudit(tx, {
      actorUserId: me,
      organisationId: type.agencyId,
      action: "permit_application.rejected",
      objectType: "permit_application",
      objectId: application.id,
      ip: input.ip ?? null,
    });
    await notifyApplicant(tx, loaded, "permitRejected", { reason }, input.baseUrl);
    return updated;
  });
}
