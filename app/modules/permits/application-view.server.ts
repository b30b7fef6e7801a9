import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  memberships,
  organisations,
  permitApplicationDocuments,
  permitApplicationEvents,
  permitApplications,
  permitInspections,
  permits,
  permitTypes,
  storedFiles,
  users,
} from "#db/schema/index.ts";
import { isUuid } from "./application-access.server.ts";
import { applicationFee } from "./application-fee.server.ts";

/**
 * An application as its pages show it: to the applicant business (the
 * timeline without officers' names) or to a licensing officer of the issuing
 * agency (with names, the checklist and the officers who may be assigned).
 * Anyone else gets NOT_FOUND.
 */
async function load(applicationId: string, db: Queryable) {
  if (!isUuid(applicationId)) return null;
  const [row] = await db
    .select({ application: permitApplications, type: permitTypes, agency: organisations })
    .from(permitApplications)
    .innerJoin(permitTypes, eq(permitTypes.id, permitApplications.permitTypeId))
    .innerJoin(organisations, eq(organisations.id, permitTypes.agencyId))
    .where(eq(permitApplications.id, applicationId));
  return row ?? null;
}

async function details(
  row: NonNullable<Awaited<ReturnType<typeof load>>>,
  db: Queryable,
  withNames: boolean,
) {
  const { application } = row;
  const [events, documents, inspections, business, fee, permit] = await Promise.all([
    db
      .select({
        kind: permitApplicationEvents.kind,
        note: permitApplicationEvents.note,
        at: permitApplicationEvents.at,
        actorName: users.displayName,
      })
      .from(permitApplicationEvents)
      .leftJoin(users, eq(users.id, permitApplicationEvents.actorId))
      .where(eq(permitApplicationEvents.applicationId, application.id))
      .orderBy(asc(permitApplicationEvents.at)),
    db
      .select({
        key: permitApplicationDocuments.requirementKey,
        fileId: storedFiles.id,
        name: storedFiles.originalName,
        mediaType: storedFiles.mediaType,
        size: storedFiles.sizeBytes,
        sha256: storedFiles.sha256,
        uploadedAt: permitApplicationDocuments.uploadedAt,
      })
      .from(permitApplicationDocuments)
      .innerJoin(storedFiles, eq(storedFiles.id, permitApplicationDocuments.fileId))
      .where(eq(permitApplicationDocuments.applicationId, application.id)),
    db
      .select({
        id: permitInspections.id,
        scheduledFor: permitInspections.scheduledFor,
        location: permitInspections.location,
        result: permitInspections.result,
        findings: permitInspections.findings,
        inspectorName: users.displayName,
      })
      .from(permitInspections)
      .innerJoin(users, eq(users.id, permitInspections.inspectorId))
      .where(eq(permitInspections.applicationId, application.id))
      .orderBy(desc(permitInspections.createdAt)),
    db.query.organisations.findFirst({ where: eq(organisations.id, application.businessId) }),
    applicationFee(application, row.type, db),
    db.query.permits.findFirst({
      where: application.permitId
        ? eq(permits.id, application.permitId)
        : eq(permits.applicationId, application.id),
    }),
  ]);
  return {
    ...row,
    business: business!,
    events: events.map((e) => ({ ...e, actorName: withNames ? e.actorName : null })),
    documents,
    inspections: inspections.map((i) => ({ ...i, inspectorName: withNames ? i.inspectorName : null })),
    fee,
    permit: permit ?? null,
  };
}

export type ApplicationDetails = Awaited<ReturnType<typeof details>>;

export async function applicationForApplicant(
  actor: Actor,
  applicationId: string,
  db: Queryable,
): Promise<ApplicationDetails> {
  assertCan(actor, "permit:apply");
  const row = await load(applicationId, db);
  if (!row || row.application.businessId !== actor.membership!.organisationId)
    throw new AppError("NOT_FOUND");
  return details(row, db, false);
}

export async function applicationForReview(actor: Actor, applicationId: string, db: Queryable) {
  assertCan(actor, "permit:review");
  const row = await load(applicationId, db);
  if (!row || row.type.agencyId !== actor.membership!.organisationId || row.application.status === "draft")
    throw new AppError("NOT_FOUND");
  // The agency's licensing officers, who may be assigned the application or its inspection.
  const officers = await db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(
      and(
        eq(memberships.organisationId, row.type.agencyId),
        sql`'licensing_officer' = any(${memberships.roles})`,
      ),
    )
    .orderBy(asc(users.displayName));
  return { ...(await details(row, db, true)), officers };
}

/** A document of an application, for the applicant's members and the agency's licensing officers. */
export async function applicationDocument(actor: Actor, applicationId: string, key: string, db: Queryable) {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const row = await load(applicationId, db);
  if (!row) throw new AppError("NOT_FOUND");
  const org = actor.membership?.organisationId;
  const applicant = org === row.application.businessId && actor.membership?.kind === "business";
  const officer = org === row.type.agencyId && actor.membership?.roles.includes("licensing_officer" as never);
  if (!applicant && !officer) throw new AppError("NOT_FOUND");
  const [doc] = await db
    .select({ file: storedFiles })
    .from(permitApplicationDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, permitApplicationDocuments.fileId))
    .where(
      and(
        eq(permitApplicationDocuments.applicationId, applicationId),
        eq(permitApplicationDocuments.requirementKey, key),
      ),
    );
  if (!doc) throw new AppError("NOT_FOUND");
  return doc.file;
}
