import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable, Tx } from "#db/client.server.ts";
import {
  type ApplicationEventKind,
  organisations,
  type PermitApplication,
  type PermitType,
  permitApplicationEvents,
  permitApplications,
  permitTypes,
} from "#db/schema/index.ts";

/**
 * What every application use case needs: the application with its type and
 * the agency's time zone, read under a row lock and scoped to who asks (the
 * applicant business, or a licensing officer of the issuing agency; anyone
 * else gets NOT_FOUND, so an id says nothing about whether it exists).
 */

export interface LoadedApplication {
  application: PermitApplication;
  type: PermitType;
  agencyTimeZone: string;
}

async function loadForUpdate(tx: Tx, applicationId: string): Promise<LoadedApplication | null> {
  if (!/^[0-9a-f-]{36}$/i.test(applicationId)) return null;
  const [row] = await tx
    .select({ application: permitApplications, type: permitTypes, agencyTimeZone: organisations.timeZone })
    .from(permitApplications)
    .innerJoin(permitTypes, eq(permitTypes.id, permitApplications.permitTypeId))
    .innerJoin(organisations, eq(organisations.id, permitTypes.agencyId))
    .where(eq(permitApplications.id, applicationId))
    .for("update", { of: permitApplications });
  return row ?? null;
}

/** The applicant's own application, locked. */
export async function applicationOfApplicant(
  tx: Tx,
  actor: Actor,
  applicationId: string,
): Promise<LoadedApplication> {
  assertCan(actor, "permit:apply");
  const loaded = await loadForUpdate(tx, applicationId);
  if (!loaded || loaded.application.businessId !== actor.membership!.organisationId)
    throw new AppError("NOT_FOUND");
  return loaded;
}

/** An application to the officer's own agency, locked. */
export async function applicationForOfficer(
  tx: Tx,
  actor: Actor,
  applicationId: string,
): Promise<LoadedApplication> {
  assertCan(actor, "permit:review");
  const loaded = await loadForUpdate(tx, applicationId);
  if (!loaded || loaded.type.agencyId !== actor.membership!.organisationId) throw new AppError("NOT_FOUND");
  if (loaded.application.status === "draft") throw new AppError("NOT_FOUND");
  return loaded;
}

/** Refuse unless the application is in one of `statuses`. */
export function assertStatus(application: PermitApplication, statuses: readonly string[]): void {
  if (!statuses.includes(application.status))
    throw new AppError("APPLICATION_WRONG_STATUS", { status: application.status });
}

/** A step on the application's timeline. */
export async function addApplicationEvent(
  tx: Tx,
  input: { applicationId: string; kind: ApplicationEventKind; actorId: string | null; note?: string | null },
): Promise<void> {
  await tx.insert(permitApplicationEvents).values({
    applicationId: input.applicationId,
    kind: input.kind,
    actorId: input.actorId,
    note: input.note ?? null,
    // The wall clock, not the transaction's start: two steps in one transaction keep their order.
    at: sql`clock_timestamp()`,
  });
}

/** Change the application's status and stamp it (the row is already locked by the caller). */
export async function setApplication(
  tx: Tx,
  applicationId: string,
  values: Partial<typeof permitApplications.$inferInsert>,
): Promise<PermitApplication> {
  const [row] = await tx
    .update(permitApplications)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(permitApplications.id, applicationId))
    .returning();
  return row!;
}

/** "APP-2026-7KQ2-M9XD": printed on the timeline and in e-mails; not guessable. */
export function newApplicationReference(year: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const chars = [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join("");
  return `APP-${year}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The database clock, for decisions that must not trust the app server's. */
export async function databaseNow(db: Queryable): Promise<Date> {
  const [row] = await db.execute<{ now: string }>(sql`select now()::text as now`);
  return new Date(row!.now);
}

/** Members of the applicant business who are told about its application (its owners and who created it). */
export async function applicantRecipients(tx: Tx, application: PermitApplication): Promise<string[]> {
  const rows = await tx.execute<{ user_id: string }>(sql`
    select user_id from memberships
    where organisation_id = ${application.businessId} and 'owner' = any(roles)
    union select ${application.createdBy}::uuid`);
  return rows.map((r) => r.user_id);
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** The signed-in user's id (the use cases have already checked the permission). */
export function userIdOf(actor: Actor): string {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  return actor.userId;
}
