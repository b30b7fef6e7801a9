import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import type { PermitApplication } from "#db/schema/index.ts";
import {
  addApplicationEvent,
  applicationOfApplicant,
  assertStatus,
  databaseNow,
  setApplication,
  userIdOf,
} from "./application-access.server.ts";
import { restartClock, UNDER_REVIEW_STATUSES } from "./permit-rules.ts";
import { checkFields } from "./save-application.server.ts";

export const NOTE_MAX = 4000;

function noteOf(text: string | undefined, field = "note"): string {
  const note = (text ?? "").trim();
  if (note.length < 2 || note.length > NOTE_MAX) throw new AppError("REASON_REQUIRED", {}, { field });
  return note;
}

async function audit(
  tx: Tx,
  actor: Actor,
  application: PermitApplication,
  action: string,
  ip?: string | null,
) {
  await recordAudit(tx, {
    actorUserId: userIdOf(actor),
    organisationId: application.businessId,
    action,
    objectType: "permit_application",
    objectId: application.id,
    ip: ip ?? null,
  });
}

/**
 * Answer an information request: the applicant writes its answer (and may
 * have changed fields or documents with saveApplication meanwhile). The
 * application goes back to review and the service-level clock restarts, the
 * due date moved on by the working days it was stopped.
 */
export async function answerInformationRequest(
  input: { actor: Actor; applicationId: string; answer: string; ip?: string | null },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const { application, type, agencyTimeZone } = await applicationOfApplicant(
      tx,
      input.actor,
      input.applicationId,
    );
    assertStatus(application, ["information_requested"]);
    const answer = noteOf(input.answer, "answer");
    checkFields(type.fields, application.fields, true);
    const now = await databaseNow(tx);
    const dueAt =
      application.dueAt && application.clockStoppedAt
        ? restartClock(application.dueAt, application.clockStoppedAt, now, agencyTimeZone)
        : application.dueAt;
    const updated = await setApplication(tx, application.id, {
      status: "in_review",
      clockStoppedAt: null,
      dueAt,
    });
    await addApplicationEvent(tx, {
      applicationId: application.id,
      kind: "information_provided",
      actorId: userIdOf(input.actor),
      note: answer,
    });
    await audit(tx, input.actor, application, "permit_application.information_provided", input.ip);
    return updated;
  });
}

/** Withdraw an application that is not yet decided (a draft, or one with the agency). */
export async function withdrawApplication(
  input: { actor: Actor; applicationId: string; ip?: string | null },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const { application } = await applicationOfApplicant(tx, input.actor, input.applicationId);
    assertStatus(application, ["draft", ...UNDER_REVIEW_STATUSES]);
    const updated = await setApplication(tx, application.id, { status: "withdrawn", clockStoppedAt: null });
    await addApplicationEvent(tx, {
      applicationId: application.id,
      kind: "withdrawn",
      actorId: userIdOf(input.actor),
    });
    await audit(tx, input.actor, application, "permit_application.withdrawn", input.ip);
    return updated;
  });
}
