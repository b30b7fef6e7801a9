import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  organisations,
  permitApplications,
  permitEvents,
  permits,
  permitTypes,
  users,
} from "#db/schema/index.ts";
import { isUuid } from "./application-access.server.ts";
import { UNDER_REVIEW_STATUSES } from "./permit-rules.ts";

/** The business's permits and applications (the "My permits" page). */
export async function myPermits(actor: Actor, db: Queryable) {
  assertCan(actor, "permit:apply");
  const businessId = actor.membership!.organisationId;
  const [held, applications, clock] = await Promise.all([
    db
      .select({ permit: permits, type: permitTypes, agency: organisations })
      .from(permits)
      .innerJoin(permitTypes, eq(permitTypes.id, permits.permitTypeId))
      .innerJoin(organisations, eq(organisations.id, permitTypes.agencyId))
      .where(eq(permits.holderId, businessId))
      .orderBy(asc(permits.validUntil)),
    db
      .select({ application: permitApplications, type: permitTypes })
      .from(permitApplications)
      .innerJoin(permitTypes, eq(permitTypes.id, permitApplications.permitTypeId))
      .where(eq(permitApplications.businessId, businessId))
      .orderBy(desc(permitApplications.createdAt))
      .limit(200),
    db.execute<{ now: string }>(sql`select now()::text as now`),
  ]);
  return { held, applications, now: new Date(clock[0]!.now) };
}

export interface QueueFilters {
  status?: string;
  typeId?: string;
  assigned?: "me" | "unassigned" | "all";
  overdue?: boolean;
}

/**
 * The licensing officer's queue: the agency's applications with the agency,
 * oldest due first, filtered by status, type, assignment and lateness. Drafts
 * are the applicant's own business and never appear.
 */
export async function licensingQueue(actor: Actor, filters: QueueFilters, db: Queryable) {
  assertCan(actor, "permit:review");
  const agencyId = actor.membership!.organisationId;
  const status = APPLICATION_STATUSES.includes(filters.status as ApplicationStatus)
    ? (filters.status as ApplicationStatus)
    : null;
  const conditions = [
    eq(permitTypes.agencyId, agencyId),
    status
      ? eq(permitApplications.status, status)
      : inArray(permitApplications.status, [...UNDER_REVIEW_STATUSES, "approved"]),
    filters.typeId && isUuid(filters.typeId)
      ? eq(permitApplications.permitTypeId, filters.typeId)
      : undefined,
    filters.assigned === "me"
      ? eq(permitApplications.assignedTo, actor.type === "user" ? actor.userId : "")
      : undefined,
    filters.assigned === "unassigned" ? sql`${permitApplications.assignedTo} is null` : undefined,
    filters.overdue
      ? sql`${permitApplications.dueAt} < now() and ${permitApplications.clockStoppedAt} is null`
      : undefined,
  ];
  const [rows, types, counts, clock] = await Promise.all([
    db
      .select({
        application: permitApplications,
        type: permitTypes,
        businessNameAr: organisations.nameAr,
        businessNameEn: organisations.nameEn,
        assigneeName: users.displayName,
      })
      .from(permitApplications)
      .innerJoin(permitTypes, eq(permitTypes.id, permitApplications.permitTypeId))
      .innerJoin(organisations, eq(organisations.id, permitApplications.businessId))
      .leftJoin(users, eq(users.id, permitApplications.assignedTo))
      .where(and(...conditions))
      .orderBy(asc(permitApplications.dueAt))
      .limit(200),
    db.select().from(permitTypes).where(eq(permitTypes.agencyId, agencyId)).orderBy(asc(permitTypes.nameEn)),
    db
      .select({ status: permitApplications.status, n: sql<number>`count(*)::int` })
      .from(permitApplications)
      .innerJoin(permitTypes, eq(permitTypes.id, permitApplications.permitTypeId))
      .where(and(eq(permitTypes.agencyId, agencyId), sql`${permitApplications.status} <> 'draft'`))
      .groupBy(permitApplications.status),
    db.execute<{ now: string }>(sql`select now()::text as now`),
  ]);
  return { rows, types, counts, now: new Date(clock[0]!.now) };
}

/** The agency's issued permits, newest first, optionally one holder's or one number. */
export async function agencyPermits(actor: Actor, query: { number?: string }, db: Queryable) {
  assertCan(actor, "permit:review");
  const agencyId = actor.membership!.organisationId;
  const number = (query.number ?? "").trim().toUpperCase().slice(0, 40);
  return db
    .select({
      permit: permits,
      type: permitTypes,
      holderNameAr: organisations.nameAr,
      holderNameEn: organisations.nameEn,
    })
    .from(permits)
    .innerJoin(permitTypes, eq(permitTypes.id, permits.permitTypeId))
    .innerJoin(organisations, eq(organisations.id, permits.holderId))
    .where(
      and(
        eq(permitTypes.agencyId, agencyId),
        number ? sql`${permits.number} like ${`%${number}%`}` : undefined,
      ),
    )
    .orderBy(desc(permits.issuedAt))
    .limit(200);
}

/** One permit of the agency with its history (for the officer's permit page). */
export async function agencyPermit(actor: Actor, permitId: string, db: Queryable) {
  assertCan(actor, "permit:review");
  if (!isUuid(permitId)) throw new AppError("NOT_FOUND");
  const [row] = await db
    .select({ permit: permits, type: permitTypes, holder: organisations })
    .from(permits)
    .innerJoin(permitTypes, eq(permitTypes.id, permits.permitTypeId))
    .innerJoin(organisations, eq(organisations.id, permits.holderId))
    .where(eq(permits.id, permitId));
  if (!row || row.type.agencyId !== actor.membership!.organisationId) throw new AppError("NOT_FOUND");
  const history = await db
    .select({ event: permitEvents, actorName: users.displayName })
    .from(permitEvents)
    .leftJoin(users, eq(users.id, permitEvents.actorId))
    .where(eq(permitEvents.permitId, permitId))
    .orderBy(asc(permitEvents.at));
  const agency = await db.query.organisations.findFirst({ where: eq(organisations.id, row.type.agencyId) });
  return { ...row, agencyTimeZone: agency!.timeZone, history };
}
