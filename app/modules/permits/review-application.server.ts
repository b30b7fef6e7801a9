import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { notifyUser } from "#app/modules/notifications/notify.server.ts";
import { AppError } from "#app/utils/errors.ts";
import { formatInZone, zonedToInstant } from "#app/utils/time-zones.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { memberships, type PermitApplication, permitInspections } from "#db/schema/index.ts";
import { NOTE_MAX } from "./applicant-steps.server.ts";
import {
  addApplicationEvent,
  applicantRecipients,
  applicationForOfficer,
  assertStatus,
  isUuid,
  type LoadedApplication,
  setApplication,
  userIdOf,
} from "./application-access.server.ts";

/**
 * The licensing officer's steps on an application before the decision:
 * take or assign it, work through the type's checklist, ask the applicant for
 * information (the service-level clock stops until they answer), schedule an
 * inspection and record its result. Each step is on the timeline the
 * applicant sees, and in the audit log.
 */

type Step = { actor: Actor; applicationId: string; ip?: string | null; baseUrl?: string };

function noteOf(text: string | undefined, field: string): string {
  const note = (text ?? "").trim();
  if (note.length < 2 || note.length > NOTE_MAX) throw new AppError("REASON_REQUIRED", {}, { field });
  return note;
}

async function audit(
  tx: Tx,
  input: Step,
  loaded: LoadedApplication,
  action: string,
  details?: Record<string, unknown>,
) {
  await recordAudit(tx, {
    actorUserId: userIdOf(input.actor),
    organisationId: loaded.type.agencyId,
    action,
    objectType: "permit_application",
    objectId: loaded.application.id,
    ip: input.ip ?? null,
    details,
  });
}

/** Tell the applicant's owners (and who applied) that something needs their attention or happened. */
export async function notifyApplicant(
  tx: Tx,
  loaded: LoadedApplication,
  kind:
    | "permitInformationRequested"
    | "permitInspectionScheduled"
    | "permitApproved"
    | "permitRejected"
    | "permitIssued",
  params: Record<string, string>,
  baseUrl?: string,
): Promise<void> {
  for (const userId of await applicantRecipients(tx, loaded.application)) {
    await notifyUser(tx, {
      userId,
      kind,
      params: {
        reference: loaded.application.reference,
        type: loaded.type.nameEn,
        typeAr: loaded.type.nameAr,
        ...params,
      },
      link: `/permits/applications/${loaded.application.id}`,
      baseUrl,
    });
  }
}

/** Is `userId` a licensing officer of `agencyId`? */
async function isLicensingOfficer(tx: Tx, userId: string, agencyId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.organisationId, agencyId),
        sql`'licensing_officer' = any(${memberships.roles})`,
      ),
    );
  return Boolean(row);
}

/** Assign the application to an officer of the agency (oneself by default); a submitted one moves into review. */
export async function assignApplication(
  input: Step & { assigneeId?: string },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
    assertStatus(loaded.application, [
      "submitted",
      "in_review",
      "information_requested",
      "inspection_scheduled",
      "inspected",
      "approved",
    ]);
    const assignee = input.assigneeId ?? userIdOf(input.actor);
    if (!isUuid(assignee) || !(await isLicensingOfficer(tx, assignee, loaded.type.agencyId)))
      throw new AppError("VALIDATION", {}, { field: "assigneeId" });
    const moving = loaded.application.status === "submitted";
    const updated = await setApplication(tx, loaded.application.id, {
      assignedTo: assignee,
      ...(moving ? { status: "in_review" as const } : {}),
    });
    await addApplicationEvent(tx, {
      applicationId: loaded.application.id,
      kind: "assigned",
      actorId: userIdOf(input.actor),
    });
    if (moving)
      await addApplicationEvent(tx, {
        applicationId: loaded.application.id,
        kind: "review_started",
        actorId: userIdOf(input.actor),
      });
    await audit(tx, input, loaded, "permit_application.assigned", { assignee });
    return updated;
  });
}

/** Tick or untick the checklist items (only the type's own items are kept). */
export async function updateChecklist(
  input: Step & { checked: string[] },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
    assertStatus(loaded.application, ["in_review", "inspection_scheduled", "inspected"]);
    const checklist = Object.fromEntries(
      loaded.type.checklist.map((item) => [item.key, input.checked.includes(item.key)]),
    );
    const updated = await setApplication(tx, loaded.application.id, { checklist });
    await audit(tx, input, loaded, "permit_application.checklist_updated", { checklist });
    return updated;
  });
}

/** Ask the applicant for information: the clock stops until they answer. */
export async function requestInformation(
  input: Step & { message: string },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
    assertStatus(loaded.application, ["submitted", "in_review", "inspected"]);
    const message = noteOf(input.message, "message");
    const updated = await setApplication(tx, loaded.application.id, {
      status: "information_requested",
      clockStoppedAt: sql`now()` as never,
      assignedTo: loaded.application.assignedTo ?? userIdOf(input.actor),
    });
    await addApplicationEvent(tx, {
      applicationId: loaded.application.id,
      kind: "information_requested",
      actorId: userIdOf(input.actor),
      note: message,
    });
    await audit(tx, input, loaded, "permit_application.information_requested");
    await notifyApplicant(tx, loaded, "permitInformationRequested", { message }, input.baseUrl);
    return updated;
  });
}

/** Schedule an inspection (types that need one) at a wall-clock time in the agency's zone. */
export async function scheduleInspection(
  input: Step & { when: string; location: string; inspectorId?: string },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
    assertStatus(loaded.application, ["in_review", "inspected"]);
    if (!loaded.type.inspectionRequired) throw new AppError("INSPECTION_NOT_REQUIRED");
    const at = zonedToInstant(input.when, loaded.agencyTimeZone);
    if (!at) throw new AppError("VALIDATION", {}, { field: "when" });
    const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
    if (at.getTime() <= new Date(clock!.now).getTime())
      throw new AppError("INSPECTION_IN_PAST", {}, { field: "when" });
    const location = noteOf(input.location, "location");
    const inspector = input.inspectorId ?? userIdOf(input.actor);
    if (!isUuid(inspector) || !(await isLicensingOfficer(tx, inspector, loaded.type.agencyId)))
      throw new AppError("VALIDATION", {}, { field: "inspectorId" });
    await tx.insert(permitInspections).values({
      applicationId: loaded.application.id,
      scheduledFor: at,
      location,
      inspectorId: inspector,
      scheduledBy: userIdOf(input.actor),
    });
    const updated = await setApplication(tx, loaded.application.id, { status: "inspection_scheduled" });
    const when = formatInZone(at, loaded.agencyTimeZone);
    await addApplicationEvent(tx, {
      applicationId: loaded.application.id,
      kind: "inspection_scheduled",
      actorId: userIdOf(input.actor),
      note: `${when} — ${location}`,
    });
    await audit(tx, input, loaded, "permit_application.inspection_scheduled", { at: at.toISOString() });
    await notifyApplicant(
      tx,
      loaded,
      "permitInspectionScheduled",
      { when: `\u2066${when}\u2069`, location },
      input.baseUrl,
    );
    return updated;
  });
}

/** Record the result of the scheduled inspection: passed or failed, with findings. */
export async function recordInspection(
  input: Step & { result: "passed" | "failed"; findings: string },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
    assertStatus(loaded.application, ["inspection_scheduled"]);
    if (input.result !== "passed" && input.result !== "failed")
      throw new AppError("VALIDATION", {}, { field: "result" });
    const findings = noteOf(input.findings, "findings");
    const [open] = await tx
      .update(permitInspections)
      .set({ result: input.result, findings, recordedAt: sql`now()` })
      .where(
        and(
          eq(permitInspections.applicationId, loaded.application.id),
          sql`${permitInspections.result} is null`,
        ),
      )
      .returning();
    if (!open) throw new AppError("APPLICATION_WRONG_STATUS", { status: loaded.application.status });
    const updated = await setApplication(tx, loaded.application.id, { status: "inspected" });
    await addApplicationEvent(tx, {
      applicationId: loaded.application.id,
      kind: "inspected",
      actorId: userIdOf(input.actor),
      note: findings,
    });
    await audit(tx, input, loaded, "permit_application.inspected", { result: input.result });
    return updated;
  });
}
