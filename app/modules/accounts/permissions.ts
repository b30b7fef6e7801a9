import { AppError } from "#app/utils/errors.ts";
import type { Actor } from "./actor.ts";

/**
 * Who may do what: explicit permission strings, checked inside every module
 * function (DESIGN.md convention 6). docs/permissions.md shows this table for
 * people; a test keeps the two in step.
 */
export const PERMISSIONS = {
  "admin:outbox:read": ["platform_admin"],
  "admin:audit:read": ["platform_admin"],
  "agency:audit:read": ["agency_admin"],
  "agency:create": ["platform_admin"],
  "business:verify": ["platform_admin"],
  "members:invite": ["agency_admin", "owner"],
  "members:manage": ["agency_admin", "owner"],
  "tokens:manage": ["agency_admin", "owner", "platform_admin"],
  "tender:draft": ["procurement_officer"],
  "tender:publish": ["procurement_officer"],
  "tender:answer": ["procurement_officer"],
  "bids:open": ["procurement_officer"],
  "bids:evaluate": ["evaluator"],
  "award:approve": ["approver"],
  "complaint:review": ["approver", "agency_admin"],
  "permit:review": ["licensing_officer"],
  "permit:catalogue": ["agency_admin", "platform_admin"],
  "payments:reconcile": ["finance_officer"],
  "payments:configure": ["agency_admin", "finance_officer"],
  "payments:read": ["agency_admin", "finance_officer"],
  "contract:manage": ["procurement_officer"],
  "contract:sign": ["approver"],
  "contract:pay": ["finance_officer"],
  "contract:accept": ["owner"],
  "contract:invoice": ["owner", "finance"],
  "bid:submit": ["owner", "bidder"],
  "permit:apply": ["owner"],
  "payments:pay": ["owner", "finance"],
  "billing:read": ["owner", "finance", "bidder"],
  "business:profile:edit": ["owner"],
} as const satisfies Record<string, readonly string[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.type !== "user" || !actor.membership) return false;
  const allowed: readonly string[] = PERMISSIONS[permission];
  return actor.membership.roles.some((role) => allowed.includes(role));
}

/** Throw UNAUTHENTICATED for the public, FORBIDDEN for a user without the permission. */
export function assertCan(
  actor: Actor,
  permission: Permission,
): asserts actor is Extract<Actor, { type: "user" }> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  if (!can(actor, permission)) throw new AppError("FORBIDDEN");
}
