import { and, count, desc, eq, gte, like, lt, type SQL, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { auditEvents, users } from "#db/schema/index.ts";

export interface AuditFilters {
  /** An action or the start of one, e.g. "auth." or "members.invited". */
  action?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  page: number;
  pageSize?: number;
}

/**
 * Audit events the actor may see: the platform admin sees all; an agency
 * admin sees the events of their own agency, and nothing of anyone else's.
 */
export async function listAuditEvents(actor: Actor, filters: AuditFilters, db: Queryable) {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const where: SQL[] = [];
  if (can(actor, "admin:audit:read")) {
    // everything
  } else if (can(actor, "agency:audit:read")) {
    where.push(eq(auditEvents.organisationId, actor.membership!.organisationId));
  } else {
    throw new AppError("FORBIDDEN");
  }
  if (filters.action)
    where.push(like(auditEvents.action, `${filters.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filters.from) where.push(gte(auditEvents.occurredAt, filters.from));
  if (filters.to) where.push(lt(auditEvents.occurredAt, filters.to));
  const condition = where.length ? and(...where) : sql`true`;
  const pageSize = filters.pageSize ?? 50;
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(auditEvents).where(condition);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filters.page, pages);
  const rows = await db
    .select({
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      action: auditEvents.action,
      objectType: auditEvents.objectType,
      objectId: auditEvents.objectId,
      ip: auditEvents.ip,
      details: auditEvents.details,
      hash: auditEvents.hash,
      actorName: users.displayName,
      actorEmail: users.email,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(condition)
    .orderBy(desc(auditEvents.seq))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total, page, pages };
}
