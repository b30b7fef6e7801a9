import { eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type Contract, contracts } from "#db/schema/index.ts";
import { auditContract, lockContract, supplierActor } from "./contract-access.server.ts";

/**
 * The supplier accepts the contract's terms as they stand (its version is
 * recorded): an owner of the business the award went to, in the app, at the
 * database's time. Only then may the agency sign it.
 */
export async function acceptContract(
  input: { actor: Actor; contractId: string; ip?: string | null },
  db: Db,
): Promise<Contract> {
  const who = supplierActor(input.actor, "contract:accept");
  return db.transaction(async (tx) => {
    const contract = await lockContract(tx, input.contractId, "supplier", who.organisationId);
    if (contract.status !== "awaiting_acceptance") throw new AppError("CONTRACT_WRONG_STATUS");
    const [accepted] = await tx
      .update(contracts)
      .set({ status: "accepted", acceptedBy: who.userId, acceptedAt: sql`now()` })
      .where(eq(contracts.id, contract.id))
      .returning();
    await auditContract(
      tx,
      who,
      "contract.accepted",
      contract.id,
      {
        reference: contract.reference,
        version: contract.version,
        acceptedAt: accepted!.acceptedAt?.toISOString(),
      },
      input.ip,
    );
    return accepted!;
  });
}
