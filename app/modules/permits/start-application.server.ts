import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import {
  organisations,
  type PermitApplication,
  permitApplications,
  permits,
  permitTypes,
} from "#db/schema/index.ts";
import { addApplicationEvent, isUuid, newApplicationReference } from "./application-access.server.ts";
import { validPermitOf } from "./permit-eligibility.server.ts";
import { dateInZone, inRenewalWindow, renewalWindow } from "./permit-rules.ts";

/**
 * Start an application: a new permit of a type, or the renewal or amendment
 * of a permit the business holds. Who may apply is checked here, before any
 * form is filled: the type is active, the business is verified when the type
 * asks for it and in an eligible sector, holds the parent licence, and (for a
 * renewal) is inside the renewal window. Asking again while an application of
 * the same kind is in progress returns that one.
 */
export async function startApplication(
  input: {
    actor: Actor;
    permitTypeId?: string;
    /** For a renewal or amendment: the permit. */
    permitId?: string;
    kind?: "new" | "renewal" | "amendment";
    ip?: string | null;
  },
  db: Db,
): Promise<PermitApplication> {
  const actor = input.actor;
  assertCan(actor, "permit:apply");
  const businessId = actor.membership!.organisationId;
  const kind = input.kind ?? "new";

  return db.transaction(async (tx) => {
    let typeId = input.permitTypeId;
    let permitId: string | null = null;
    // A renewal or amendment starts from the permit's answers (issuing it writes them back).
    let fields: Record<string, string> = {};
    if (kind !== "new") {
      if (!input.permitId || !isUuid(input.permitId)) throw new AppError("NOT_FOUND");
      const [permit] = await tx.select().from(permits).where(eq(permits.id, input.permitId)).for("update");
      if (!permit || permit.holderId !== businessId) throw new AppError("NOT_FOUND");
      if (permit.status === "revoked") throw new AppError("PERMIT_REVOKED");
      typeId = permit.permitTypeId;
      permitId = permit.id;
      fields = permit.fields;
      if (kind === "amendment" && permit.status !== "valid") throw new AppError("PERMIT_NOT_VALID");
      if (kind === "renewal") {
        const [type] = await tx.select().from(permitTypes).where(eq(permitTypes.id, permit.permitTypeId));
        const [agency] = await tx.select().from(organisations).where(eq(organisations.id, type!.agencyId));
        const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
        const today = dateInZone(new Date(clock!.now), agency!.timeZone);
        const window = renewalWindow(permit.validUntil, type!.renewalWindowDays, type!.gracePeriodDays);
        if (!inRenewalWindow(window, today))
          throw new AppError("RENEWAL_WINDOW_CLOSED", { opensOn: window.opensOn, closesOn: window.closesOn });
      }
    }
    if (!typeId || !isUuid(typeId)) throw new AppError("NOT_FOUND");
    const [type] = await tx.select().from(permitTypes).where(eq(permitTypes.id, typeId));
    if (!type || (!type.active && kind === "new")) throw new AppError("NOT_FOUND");

    const [business] = await tx.select().from(organisations).where(eq(organisations.id, businessId));
    if (business?.kind !== "business") throw new AppError("FORBIDDEN");
    if (type.requireVerified && business.verification !== "verified")
      throw new AppError("BUSINESS_NOT_VERIFIED");
    if (type.eligibleSectors.length > 0 && !type.eligibleSectors.includes(business.sector ?? ""))
      throw new AppError("PERMIT_SECTOR_NOT_ELIGIBLE");
    if (
      type.parentTypeId &&
      !(await validPermitOf({ holderId: businessId, typeId: type.parentTypeId }, tx))
    ) {
      const [parent] = await tx.select().from(permitTypes).where(eq(permitTypes.id, type.parentTypeId));
      throw new AppError("PARENT_LICENCE_REQUIRED", {
        nameAr: parent?.nameAr ?? "",
        nameEn: parent?.nameEn ?? "",
      });
    }
    if (kind === "new" && (await validPermitOf({ holderId: businessId, typeId: type.id }, tx)))
      throw new AppError("PERMIT_ALREADY_HELD");

    const [open] = await tx
      .select()
      .from(permitApplications)
      .where(
        and(
          eq(permitApplications.businessId, businessId),
          eq(permitApplications.permitTypeId, type.id),
          eq(permitApplications.kind, kind),
          notInArray(permitApplications.status, ["issued", "rejected", "withdrawn"]),
        ),
      );
    if (open) return open;

    const [clock] = await tx.execute<{ year: number }>(sql`select extract(year from now())::int as year`);
    let created: PermitApplication | undefined;
    try {
      [created] = await tx
        .insert(permitApplications)
        .values({
          reference: newApplicationReference(clock!.year),
          permitTypeId: type.id,
          businessId,
          kind,
          permitId,
          fields,
          createdBy: actor.userId,
        })
        .returning();
    } catch (e) {
      // Another member of the business started the same application at the same moment.
      if (postgresErrorOf(e)?.code === "23505") throw new AppError("APPLICATION_IN_PROGRESS");
      throw e;
    }
    await addApplicationEvent(tx, { applicationId: created!.id, kind: "created", actorId: actor.userId });
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: businessId,
      action: "permit_application.created",
      objectType: "permit_application",
      objectId: created!.id,
      ip: input.ip ?? null,
      details: { permitTypeId: type.id, kind, permitId },
    });
    return created!;
  });
}
