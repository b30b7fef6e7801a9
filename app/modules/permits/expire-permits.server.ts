import { and, eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { notifyUser } from "#app/modules/notifications/notify.server.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { EXPIRY_REMINDER_DAYS, memberships, type Permit, permitEvents, permits } from "#db/schema/index.ts";

/**
 * The two scheduled duties of permits, run by the job queue: a permit whose
 * validity has ended becomes expired (by the database clock; the job runs
 * every minute, so a permit changes within a minute of its expiry), and the
 * holder's owners are reminded 30, 7 and 1 days before the end, each reminder
 * once per validity period however often the job runs.
 */

async function tellOwners(
  tx: Tx,
  permit: Permit,
  kind: "permitExpiring" | "permitExpired",
  params: Record<string, string>,
) {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organisationId, permit.holderId), sql`'owner' = any(${memberships.roles})`));
  for (const { userId } of owners)
    await notifyUser(tx, {
      userId,
      kind,
      params: { number: permit.number, validUntil: permit.validUntil, ...params },
      link: "/permits/mine",
    });
}

export async function expireDuePermits(db: Db): Promise<{ expired: number }> {
  return db.transaction(async (tx) => {
    const due = await tx
      .update(permits)
      .set({ status: "expired", updatedAt: sql`now()` })
      .where(
        inArray(
          permits.id,
          tx
            .select({ id: permits.id })
            .from(permits)
            .where(and(eq(permits.status, "valid"), sql`${permits.expiresAt} <= now()`))
            .orderBy(permits.expiresAt)
            .limit(500)
            .for("update", { skipLocked: true }),
        ),
      )
      .returning();
    for (const permit of due) {
      await tx
        .insert(permitEvents)
        .values({ permitId: permit.id, kind: "expired", validUntilBefore: permit.validUntil });
      await tellOwners(tx, permit, "permitExpired", {});
    }
    if (due.length > 0)
      await recordAudit(tx, {
        actorUserId: null,
        action: "permit.expired",
        objectType: "permit",
        details: { numbers: due.map((p) => p.number) },
      });
    return { expired: due.length };
  });
}

export async function sendExpiryReminders(db: Db): Promise<{ sent: number }> {
  return db.transaction(async (tx) => {
    // Days left in the issuing agency's own calendar; each threshold covers the days down to the next one,
    // so a permit issued with 5 days left gets the 7-day reminder, not the 30-day one.
    const thresholds = [...EXPIRY_REMINDER_DAYS].sort((a, b) => b - a);
    const bands = thresholds.map((d, i) => `(${d}, ${thresholds[i + 1] ?? -1})`).join(", ");
    const rows = await tx.execute<{ permit_id: string; days_before: number }>(sql`
      with due as (
        select p.id as permit_id, p.valid_until, b.days_before
        from permits p
        join permit_types t on t.id = p.permit_type_id
        join organisations a on a.id = t.agency_id
        cross join (values ${sql.raw(bands)}) as b(days_before, below)
        where p.status = 'valid'
          and p.valid_until - (now() at time zone a.time_zone)::date <= b.days_before
          and p.valid_until - (now() at time zone a.time_zone)::date > b.below
      )
      insert into permit_expiry_reminders (permit_id, valid_until, days_before)
      select permit_id, valid_until, days_before from due
      on conflict do nothing
      returning permit_id, days_before`);
    for (const row of rows) {
      const [permit] = await tx.select().from(permits).where(eq(permits.id, row.permit_id));
      await tellOwners(tx, permit!, "permitExpiring", { days: String(row.days_before) });
    }
    return { sent: rows.length };
  });
}
