import { and, inArray, sql } from "drizzle-orm";
import { type NotificationKind, notifyUser } from "#app/modules/notifications/notify.server.ts";
import type { Tx } from "#db/client.server.ts";
import { memberships } from "#db/schema/index.ts";

/**
 * Who hears of complaints and cancellations, in the transaction of the change:
 * a business through its owners and bidders, an agency through the roles the
 * matter concerns (its procurement officers; the complaint reviewers).
 */

export const BUSINESS_LISTENERS = ["owner", "bidder"] as const;
export const AGENCY_OFFICERS = ["procurement_officer"] as const;
export const COMPLAINT_REVIEWERS = ["approver", "agency_admin"] as const;

/** The users of these organisations holding any of these roles, each once. */
export async function usersWithRoles(
  tx: Tx,
  organisationIds: string[],
  roles: readonly string[],
): Promise<string[]> {
  if (organisationIds.length === 0) return [];
  const rows = await tx
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        inArray(memberships.organisationId, organisationIds),
        sql`${memberships.roles} && ${sql.raw(`array[${roles.map((r) => `'${r}'`).join(",")}]::text[]`)}`,
      ),
    );
  return rows.map((r) => r.userId);
}

/** Tell each of these users (once, even when listed twice). */
export async function notifyAll(
  tx: Tx,
  userIds: string[],
  notice: { kind: NotificationKind; params: Record<string, string>; link: string; baseUrl?: string },
): Promise<void> {
  for (const userId of new Set(userIds)) await notifyUser(tx, { userId, ...notice });
}

/** The members of one organisation with these roles (see usersWithRoles). */
export function membersOf(tx: Tx, organisationId: string, roles: readonly string[]) {
  return usersWithRoles(tx, [organisationId], roles);
}
