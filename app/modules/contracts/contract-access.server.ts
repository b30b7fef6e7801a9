import { and, asc, eq } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan, can, type Permission } from "#app/modules/accounts/permissions.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable, Tx } from "#db/client.server.ts";
import { type Contract, type ContractMilestone, contractMilestones, contracts } from "#db/schema/index.ts";
import type { Terms } from "./contract-rules.ts";

/**
 * Who may do what with a contract, checked by every use case:
 *
 * - the agency's PROCUREMENT OFFICERS (contract:manage) create it from an award, mark milestones
 *   delivered, approve or reject invoices and record amendments;
 * - its APPROVERS (contract:sign) sign it for the agency, after the supplier's acceptance and never
 *   the officer who created it;
 * - its FINANCE OFFICERS (contract:pay) record payments of approved invoices, never the person who
 *   approved the invoice;
 * - the supplier's OWNERS (contract:accept) accept it; its owners and finance members
 *   (contract:invoice) submit invoices.
 *
 * Each reaches only contracts of its own organisation (the agency that made it, the supplier it
 * was made with); anything else is NOT_FOUND, as if it did not exist.
 */

export interface Who {
  userId: string;
  organisationId: string;
}

/** A member of an agency with the permission. */
export function agencyActor(actor: Actor, permission: Permission): Who {
  assertCan(actor, permission);
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { userId: actor.userId, organisationId: actor.membership.organisationId };
}

/** A member of a business with the permission. */
export function supplierActor(actor: Actor, permission: Permission): Who {
  assertCan(actor, permission);
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  return { userId: actor.userId, organisationId: actor.membership.organisationId };
}

/** The permissions that let agency staff read their agency's contracts. */
export const AGENCY_CONTRACT_PERMISSIONS = ["contract:manage", "contract:sign", "contract:pay"] as const;
/** The permissions that let a supplier's members read its contracts. */
export const SUPPLIER_CONTRACT_PERMISSIONS = ["contract:accept", "contract:invoice"] as const;

/** Who reads contracts, and for which side: an agency's staff or a supplier's members. */
export function contractReader(actor: Actor): { side: "agency" | "supplier"; who: Who } {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const m = actor.membership;
  if (m?.kind === "agency" && AGENCY_CONTRACT_PERMISSIONS.some((p) => can(actor, p)))
    return { side: "agency", who: { userId: actor.userId, organisationId: m.organisationId } };
  if (m?.kind === "business" && SUPPLIER_CONTRACT_PERMISSIONS.some((p) => can(actor, p)))
    return { side: "supplier", who: { userId: actor.userId, organisationId: m.organisationId } };
  throw new AppError("FORBIDDEN");
}

/** The contract, locked FOR UPDATE, if it belongs to the organisation on the given side. */
export async function lockContract(
  tx: Tx,
  contractId: string,
  side: "agency" | "supplier",
  organisationId: string,
): Promise<Contract> {
  const [contract] = await tx
    .select()
    .from(contracts)
    .where(
      and(
        eq(contracts.id, contractId),
        eq(side === "agency" ? contracts.agencyId : contracts.businessId, organisationId),
      ),
    )
    .for("update");
  if (!contract) throw new AppError("NOT_FOUND");
  return contract;
}

export function milestonesOf(db: Queryable, contractId: string): Promise<ContractMilestone[]> {
  return db
    .select()
    .from(contractMilestones)
    .where(eq(contractMilestones.contractId, contractId))
    .orderBy(asc(contractMilestones.position));
}

/** A contract's terms as they stand. */
export function termsOf(contract: Contract, milestones: ContractMilestone[]): Terms {
  return {
    value: contract.value,
    currency: contract.currency,
    startsOn: contract.startsOn,
    endsOn: contract.endsOn,
    milestones: milestones.map((m) => ({
      id: m.id,
      position: m.position,
      titleAr: m.titleAr,
      titleEn: m.titleEn,
      dueOn: m.dueOn,
      amount: m.amount,
    })),
  };
}

/** An audit event about a contract (or one of its milestones or invoices), by someone of `who`'s organisation. */
export function auditContract(
  tx: Tx,
  who: Who,
  action: string,
  objectId: string,
  details: Record<string, unknown>,
  ip?: string | null,
) {
  return recordAudit(tx, {
    actorUserId: who.userId,
    organisationId: who.organisationId,
    action,
    objectType: action.split(".")[0],
    objectId,
    ip: ip ?? null,
    details,
  });
}
