import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import {
  awards,
  type Contract,
  contractMilestones,
  contracts,
  tenderLots,
  tenders,
} from "#db/schema/index.ts";
import { releaseSettledBidSecurities } from "./bid-securities.server.ts";
import { agencyActor, auditContract } from "./contract-access.server.ts";
import { checkTerms, type MilestoneForm, termsSnapshot } from "./contract-rules.ts";

/**
 * The procurement officer makes the contract of one lot from its approved
 * award, once the standstill has ended by the database clock and no complaint
 * suspends the award. Its value is the awarded price, in the award's currency
 * (an amendment changes it later); the officer sets the period and the
 * milestones, whose amounts must add up to the value.
 *
 * The award's row is locked FOR UPDATE first: of two officers making the
 * contract at once, the second waits, then finds the award contracted
 * (CONTRACT_EXISTS); a complaint lodged at that moment waits too (it locks the
 * same row) and then finds the standstill over. The database says the same
 * whatever the code does: one contract per award (unique), made only from an
 * approved award after its standstill (trigger contracts_award_final).
 *
 * The award becomes `contracted`, and the securities of the bids that lost
 * every lot they priced go back to their bidders (the award is final now).
 */
export async function createContract(
  input: {
    actor: Actor;
    awardId: string;
    startsOn: string;
    endsOn: string;
    milestones: MilestoneForm[];
    ip?: string | null;
  },
  db: Db,
): Promise<Contract> {
  const who = agencyActor(input.actor, "contract:manage");
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .select({
          award: awards,
          reference: tenders.reference,
          lotNumber: tenderLots.number,
          final: sql<boolean>`coalesce(${awards.standstillEndsAt} <= now(), false)`,
        })
        .from(awards)
        .innerJoin(tenders, eq(tenders.id, awards.tenderId))
        .innerJoin(tenderLots, eq(tenderLots.id, awards.tenderLotId))
        .where(and(eq(awards.id, input.awardId), eq(tenders.agencyId, who.organisationId)))
        .for("update", { of: awards });
      if (!row) throw new AppError("NOT_FOUND");
      const { award } = row;
      if (award.status === "contracted") throw new AppError("CONTRACT_EXISTS");
      if (award.status !== "approved") throw new AppError("CONTRACT_AWARD_NOT_APPROVED");
      if (!row.final) throw new AppError("CONTRACT_STANDSTILL_RUNNING");
      const terms = checkTerms(input, award.price, award.currency);
      const [contract] = await tx
        .insert(contracts)
        .values({
          reference: `${row.reference}-C${row.lotNumber}`,
          awardId: award.id,
          tenderId: award.tenderId,
          tenderLotId: award.tenderLotId,
          agencyId: who.organisationId,
          businessId: award.businessId,
          currency: award.currency,
          value: award.price,
          startsOn: terms.startsOn,
          endsOn: terms.endsOn,
          createdBy: who.userId,
        })
        .returning();
      const milestones = await tx
        .insert(contractMilestones)
        .values(
          terms.milestones.map((m) => ({
            contractId: contract!.id,
            position: m.position,
            titleAr: m.titleAr,
            titleEn: m.titleEn,
            dueOn: m.dueOn,
            amount: m.amount,
          })),
        )
        .returning({ id: contractMilestones.id });
      await tx.update(awards).set({ status: "contracted" }).where(eq(awards.id, award.id));
      await auditContract(
        tx,
        who,
        "contract.created",
        contract!.id,
        {
          reference: contract!.reference,
          awardId: award.id,
          tenderId: award.tenderId,
          lotId: award.tenderLotId,
          businessId: award.businessId,
          terms: termsSnapshot({
            ...terms,
            milestones: terms.milestones.map((m, i) => ({ ...m, id: milestones[i]!.id })),
          }),
        },
        input.ip,
      );
      await releaseSettledBidSecurities(tx, award.tenderId, { userId: who.userId, ip: input.ip });
      return contract!;
    });
  } catch (e) {
    if (postgresErrorOf(e)?.constraint === "contracts_one_per_award") throw new AppError("CONTRACT_EXISTS");
    throw e;
  }
}
