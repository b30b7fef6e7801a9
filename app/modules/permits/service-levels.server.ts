import { and, asc, eq, or, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { organisations, permitApplications, permitTypes } from "#db/schema/index.ts";

/**
 * How fast each agency decides permit applications, per permit type: public
 * figures for the transparency page and the agency's profile.
 *
 * Decided: approved, rejected or issued, with a decision time. Days to a
 * decision are calendar days from submission to decision (time the clock was
 * stopped for an information request included; the due date already moves
 * later for it). "On time": decided at or before the application's due date.
 * Open: submitted and not yet decided (drafts and withdrawals are neither).
 */
export interface PermitServiceLevel {
  agency: { id: string; slug: string; nameAr: string; nameEn: string };
  permitType: { id: string; code: string; nameAr: string; nameEn: string; serviceLevelDays: number };
  /** Applications decided. */
  decided: number;
  /** Median calendar days from submission to decision, one decimal; null when none was decided. */
  medianDaysToDecision: number | null;
  /** Decided applications that had a due date, and how many of them were decided by it. */
  withDueDate: number;
  decidedByDueDate: number;
  /** decidedByDueDate / withDueDate as a percentage, one decimal; null when no decided application had a due date. */
  onTimePercent: number | null;
  /** Applications submitted and waiting for a decision now. */
  open: number;
}

export interface ServiceLevelOptions {
  /** One agency only (its profile page). */
  agencyId?: string;
  /** Count only decisions made at or after this instant (open applications are always counted). */
  decidedSince?: Date;
}

const DECIDED_STATUSES = ["approved", "rejected", "issued"] as const;
const OPEN_STATUSES = [
  "submitted",
  "in_review",
  "information_requested",
  "inspection_scheduled",
  "inspected",
] as const;

const inList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * Service levels per permit type, ordered by agency and type (English names).
 * Lists every active type, and an inactive one while it has decided or open applications.
 */
export async function permitServiceLevels(
  db: Queryable,
  options: ServiceLevelOptions = {},
): Promise<PermitServiceLevel[]> {
  const a = permitApplications;
  const decidedConditions: SQL[] = [
    sql`${a.status} in (${inList(DECIDED_STATUSES)})`,
    sql`${a.decidedAt} is not null`,
    sql`${a.submittedAt} is not null`,
  ];
  if (options.decidedSince)
    decidedConditions.push(sql`${a.decidedAt} >= ${options.decidedSince.toISOString()}::timestamptz`);
  const decided = sql`(${sql.join(decidedConditions, sql` and `)})`;
  const open = sql`(${a.status} in (${inList(OPEN_STATUSES)}))`;
  const days = sql`extract(epoch from (${a.decidedAt} - ${a.submittedAt})) / 86400`;

  const rows = await db
    .select({
      agencyId: organisations.id,
      agencySlug: organisations.slug,
      agencyNameAr: organisations.nameAr,
      agencyNameEn: organisations.nameEn,
      typeId: permitTypes.id,
      code: permitTypes.code,
      nameAr: permitTypes.nameAr,
      nameEn: permitTypes.nameEn,
      serviceLevelDays: permitTypes.serviceLevelDays,
      decided: sql<number>`(count(*) filter (where ${decided}))::int`,
      medianDaysToDecision: sql<number | null>`round(
        (percentile_cont(0.5) within group (order by ${days}) filter (where ${decided}))::numeric, 1
      )::float8`,
      withDueDate: sql<number>`(count(*) filter (where ${decided} and ${a.dueAt} is not null))::int`,
      decidedByDueDate: sql<number>`(count(*) filter (where ${decided} and ${a.decidedAt} <= ${a.dueAt}))::int`,
      onTimePercent: sql<number | null>`round(
        100.0 * count(*) filter (where ${decided} and ${a.decidedAt} <= ${a.dueAt})
          / nullif(count(*) filter (where ${decided} and ${a.dueAt} is not null), 0), 1
      )::float8`,
      open: sql<number>`(count(*) filter (where ${open}))::int`,
    })
    .from(permitTypes)
    .innerJoin(organisations, eq(organisations.id, permitTypes.agencyId))
    .leftJoin(a, eq(a.permitTypeId, permitTypes.id))
    .where(
      and(
        eq(organisations.kind, "agency"),
        options.agencyId ? eq(permitTypes.agencyId, options.agencyId) : undefined,
      ),
    )
    .groupBy(permitTypes.id, organisations.id)
    .having(or(eq(permitTypes.active, true), sql`count(*) filter (where ${decided} or ${open}) > 0`))
    .orderBy(asc(organisations.nameEn), asc(permitTypes.nameEn), asc(permitTypes.code));

  return rows.map((r) => ({
    agency: { id: r.agencyId, slug: r.agencySlug, nameAr: r.agencyNameAr, nameEn: r.agencyNameEn },
    permitType: {
      id: r.typeId,
      code: r.code,
      nameAr: r.nameAr,
      nameEn: r.nameEn,
      serviceLevelDays: r.serviceLevelDays,
    },
    decided: r.decided,
    medianDaysToDecision: r.medianDaysToDecision,
    withDueDate: r.withDueDate,
    decidedByDueDate: r.decidedByDueDate,
    onTimePercent: r.onTimePercent,
    open: r.open,
  }));
}
