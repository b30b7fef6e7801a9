import { and, eq, isNull, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type ContractMilestone, contractMilestones } from "#db/schema/index.ts";
import { agencyActor, auditContract, lockContract } from "./contract-access.server.ts";

/**
 * The agency's contract manager records that a milestone of a signed contract
 * was delivered, with a note of what was received, at the database's time.
 * Once only: the update is conditional on no delivery being recorded yet.
 * An invoice against the milestone may be approved only after this.
 */
export async function deliverMilestone(
  input: { actor: Actor; contractId: string; milestoneId: string; note: string; ip?: string | null },
  db: Db,
): Promise<ContractMilestone> {
  const who = agencyActor(input.actor, "contract:manage");
  const note = input.note.trim().slice(0, 4000);
  if (note.length < 3) throw new AppError("DELIVERY_NOTE_REQUIRED", {}, { field: "note" });
  return db.transaction(async (tx) => {
    const contract = await lockContract(tx, input.contractId, "agency", who.organisationId);
    if (contract.status !== "signed") throw new AppError("CONTRACT_NOT_SIGNED");
    const [delivered] = await tx
      .update(contractMilestones)
      .set({ deliveredAt: sql`now()`, deliveredBy: who.userId, deliveryNote: note })
      .where(
        and(
          eq(contractMilestones.id, input.milestoneId),
          eq(contractMilestones.contractId, contract.id),
          isNull(contractMilestones.deliveredAt),
        ),
      )
      .returning();
    if (!delivered) {
      const exists = await tx.query.contractMilestones.findFirst({
        where: and(
          eq(contractMilestones.id, input.milestoneId),
          eq(contractMilestones.contractId, contract.id),
        ),
      });
      throw new AppError(exists ? "MILESTONE_ALREADY_DELIVERED" : "NOT_FOUND");
    }
    await auditContract(
      tx,
      who,
      "contract.milestone_delivered",
      contract.id,
      {
        reference: contract.reference,
        milestoneId: delivered.id,
        position: delivered.position,
        note,
        deliveredAt: delivered.deliveredAt?.toISOString(),
      },
      input.ip,
    );
    return delivered;
  });
}
