import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { agencyCode } from "#app/modules/tenders/tender-rules.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { organisations, type Permit, permitEvents, permits } from "#db/schema/index.ts";
import {
  addApplicationEvent,
  applicationForOfficer,
  assertStatus,
  databaseNow,
  setApplication,
  userIdOf,
} from "./application-access.server.ts";
import { validPermitOf } from "./permit-eligibility.server.ts";
import { dateInZone, renewedValidity, validityFrom } from "./permit-rules.ts";
import { notifyApplicant } from "./review-application.server.ts";

/** "MOC-CL-2026-000042": the agency's code, the type's initials, the year and a number in sequence. */
async function nextPermitNumber(tx: Tx, agencyId: string, typeCode: string, year: number): Promise<string> {
  const [agency] = await tx
    .select({ slug: organisations.slug })
    .from(organisations)
    .where(eq(organisations.id, agencyId));
  const prefix = `${agencyCode(agency!.slug)}-${agencyCode(typeCode)}-${year}-`;
  // One issuer at a time per prefix, so the sequence has no gaps or repeats.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`permit-number:${prefix}`}))`);
  // The position is cast: left untyped, the parameter makes this substring(text from pattern) —
  // a regular expression that matches nothing, so every number came out as 000001.
  const [row] = await tx.execute<{ n: number }>(sql`
    select coalesce(max(substring(number from ${prefix.length + 1}::int)::int), 0) + 1 as n
    from permits where number like ${`${prefix}%`}`);
  return `${prefix}${String(row!.n).padStart(6, "0")}`;
}

/**
 * Issue what an approved application grants: a new permit with its number
 * and validity, a renewal (the same permit, validity moved on without a gap
 * when renewed in time), or an amendment (the permit's details changed). The
 * permit's history records each, with the validity before and after.
 */
export async function issuePermit(
  input: { actor: Actor; applicationId: string; ip?: string | null; baseUrl?: string },
  db: Db,
): Promise<Permit> {
  try {
    return await db.transaction(async (tx) => {
      const loaded = await applicationForOfficer(tx, input.actor, input.applicationId);
      const { application, type, agencyTimeZone } = loaded;
      assertStatus(application, ["approved"]);
      const me = userIdOf(input.actor);
      const now = await databaseNow(tx);
      const today = dateInZone(now, agencyTimeZone);
      let permit: Permit;

      if (application.kind === "new") {
        let parentPermitId: string | null = null;
        if (type.parentTypeId) {
          const parent = await validPermitOf(
            { holderId: application.businessId, typeId: type.parentTypeId },
            tx,
          );
          if (!parent) throw new AppError("PARENT_LICENCE_REQUIRED", { nameAr: "", nameEn: "" });
          parentPermitId = parent.id;
        }
        const validity = validityFrom(today, type.validityMonths, agencyTimeZone);
        [permit] = (await tx
          .insert(permits)
          .values({
            number: await nextPermitNumber(tx, type.agencyId, type.code, Number(today.slice(0, 4))),
            permitTypeId: type.id,
            holderId: application.businessId,
            applicationId: application.id,
            parentPermitId,
            fields: application.fields,
            ...validity,
            issuedBy: me,
          })
          .returning()) as [Permit];
        await tx.insert(permitEvents).values({
          permitId: permit.id,
          kind: "issued",
          applicationId: application.id,
          validUntilAfter: permit.validUntil,
          actorId: me,
        });
      } else {
        const [current] = await tx
          .select()
          .from(permits)
          .where(and(eq(permits.id, application.permitId!), eq(permits.holderId, application.businessId)))
          .for("update");
        if (!current) throw new AppError("NOT_FOUND");
        if (current.status === "revoked") throw new AppError("PERMIT_REVOKED");
        if (application.kind === "renewal") {
          if (current.status === "suspended") throw new AppError("PERMIT_NOT_VALID");
          const validity = renewedValidity(current, today, type.validityMonths, agencyTimeZone);
          [permit] = (await tx
            .update(permits)
            .set({
              ...validity,
              status: "valid",
              statusReason: null,
              fields: application.fields,
              updatedAt: sql`now()`,
            })
            .where(eq(permits.id, current.id))
            .returning()) as [Permit];
          await tx.insert(permitEvents).values({
            permitId: permit.id,
            kind: "renewed",
            applicationId: application.id,
            validUntilBefore: current.validUntil,
            validUntilAfter: permit.validUntil,
            actorId: me,
          });
        } else {
          if (current.status !== "valid") throw new AppError("PERMIT_NOT_VALID");
          [permit] = (await tx
            .update(permits)
            .set({ fields: application.fields, updatedAt: sql`now()` })
            .where(eq(permits.id, current.id))
            .returning()) as [Permit];
          await tx.insert(permitEvents).values({
            permitId: permit.id,
            kind: "amended",
            applicationId: application.id,
            validUntilBefore: current.validUntil,
            validUntilAfter: current.validUntil,
            actorId: me,
          });
        }
      }

      await setApplication(tx, application.id, { status: "issued" });
      await addApplicationEvent(tx, {
        applicationId: application.id,
        kind: "issued",
        actorId: me,
        note: permit.number,
      });
      await recordAudit(tx, {
        actorUserId: me,
        organisationId: type.agencyId,
        action: `permit.${application.kind === "new" ? "issued" : application.kind === "renewal" ? "renewed" : "amended"}`,
        objectType: "permit",
        objectId: permit.id,
        ip: input.ip ?? null,
        details: { number: permit.number, applicationId: application.id, validUntil: permit.validUntil },
      });
      await notifyApplicant(
        tx,
        loaded,
        "permitIssued",
        { number: permit.number, validUntil: permit.validUntil },
        input.baseUrl,
      );
      return permit;
    });
  } catch (e) {
    // A permit of this type is already live for the holder (issued by another application).
    if (postgresErrorOf(e)?.constraint === "permits_one_live_key") throw new AppError("PERMIT_ALREADY_HELD");
    throw e;
  }
}
