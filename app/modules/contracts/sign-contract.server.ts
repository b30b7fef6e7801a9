import { eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type Contract, contracts } from "#db/schema/index.ts";
import { releaseSettledBidSecurities } from "./bid-securities.server.ts";
import { agencyActor, auditContract, lockContract } from "./contract-access.server.ts";
import { postCommitment } from "./contract-ledger.server.ts";

/**
 * An agency signatory (contract:sign) signs the contract the supplier has
 * accepted — never the officer who created it (and the database's CHECKs say
 * the same: signed after the acceptance, by someone else than the creator).
 * The signature, at the database's time, commits the contract's value in the
 * ledger and gives the winner's bid security back (with the losers', if any
 * were still held).
 */
export async function signContract(
  input: { actor: Actor; contractId: string; ip?: string | null },
  db: Db,
): Promise<Contract> {
  const who = agencyActor(input.actor, "contract:sign");
  return db.transaction(async (tx) => {
    const contract = await lockContract(tx, input.contractId, "agency", who.organisationId);
    if (contract.status === "awaiting_acceptance") throw new AppError("CONTRACT_NOT_ACCEPTED");
    if (contract.status !== "accepted") throw new AppError("CONTRACT_WRONG_STATUS");
    if (contract.createdBy === who.userId) throw new AppError("CONTRACT_SELF_SIGNATURE");
    const [signed] = await tx
      .update(contracts)
      .set({ status: "signed", signedBy: who.userId, signedAt: sql`now()` })
      .where(eq(contracts.id, contract.id))
      .returning();
    const posted = await postCommitment(tx, signed!, signed!.value, { kind: "contract_signed" });
    await auditContract(
      tx,
      who,
      "contract.signed",
      contract.id,
      {
        reference: contract.reference,
        version: contract.version,
        value: contract.value.toString(),
        currency: contract.currency,
        acceptedBy: contract.acceptedBy,
        signedAt: signed!.signedAt?.toISOString(),
        ledgerTransactionId: posted?.transaction.id,
      },
      input.ip,
    );
    await releaseSettledBidSecurities(tx, contract.tenderId, { userId: who.userId, ip: input.ip });
    return signed!;
  });
}
