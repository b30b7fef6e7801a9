import { eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { parseAmount } from "#app/modules/ledger/money.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import {
  type ContractAmendment,
  contractAmendments,
  contractInvoices,
  contractMilestones,
  contracts,
} from "#db/schema/index.ts";
import { agencyActor, auditContract, lockContract, termsOf } from "./contract-access.server.ts";
import { postCommitment } from "./contract-ledger.server.ts";
import { checkTerms, type MilestoneForm, planAmendment, termsSnapshot } from "./contract-rules.ts";

/**
 * The procurement officer amends a contract's terms — its value, its period,
 * its milestones — with a reason. The amended terms are checked like new ones
 * (milestones adding up to the value), a milestone never falls below what was
 * invoiced against it, and one delivered or invoiced is never removed.
 *
 * The amendment is kept with the terms before and after (and the audit event
 * carries both), the contract's version goes up by one, and:
 * - before the signature, an acceptance the supplier gave is withdrawn — the
 *   supplier accepts the amended terms again;
 * - after it, a change of value moves the commitment in the ledger by the
 *   difference (an amendment agreed with the supplier, recorded by the agency).
 */
export async function amendContract(
  input: {
    actor: Actor;
    contractId: string;
    reason: string;
    /** The new value, a decimal in the contract's currency; blank keeps it. */
    value?: string | null;
    startsOn: string;
    endsOn: string;
    milestones: MilestoneForm[];
    ip?: string | null;
  },
  db: Db,
): Promise<ContractAmendment> {
  const who = agencyActor(input.actor, "contract:manage");
  const reason = input.reason.trim().slice(0, 4000);
  if (reason.length < 3) throw new AppError("REASON_REQUIRED", {}, { field: "reason" });
  return db.transaction(async (tx) => {
    const contract = await lockContract(tx, input.contractId, "agency", who.organisationId);
    const current = await tx
      .select()
      .from(contractMilestones)
      .where(eq(contractMilestones.contractId, contract.id))
      .orderBy(contractMilestones.position)
      .for("update");
    const counts = new Map(
      (
        await tx
          .select({ milestoneId: contractInvoices.milestoneId, n: sql<number>`count(*)::int` })
          .from(contractInvoices)
          .where(eq(contractInvoices.contractId, contract.id))
          .groupBy(contractInvoices.milestoneId)
      ).map((r) => [r.milestoneId, r.n]),
    );
    const value = input.value?.trim() ? parseAmount(input.value, contract.currency) : contract.value;
    if (value === null || value <= 0n) throw new AppError("AMOUNT_INVALID", {}, { field: "value" });
    const before = termsOf(contract, current);
    const after = checkTerms(input, value, contract.currency);
    const plan = planAmendment(
      before,
      after,
      current.map((m) => ({
        id: m.id,
        invoicedAmount: m.invoicedAmount,
        invoiceCount: counts.get(m.id) ?? 0,
        delivered: m.deliveredAt !== null,
      })),
    );
    if (plan.remove.length)
      await tx.delete(contractMilestones).where(inArray(contractMilestones.id, plan.remove));
    // Positions move out of the way first: (contract, position) is unique at every statement.
    await tx
      .update(contractMilestones)
      .set({ position: sql`-${contractMilestones.position}` })
      .where(eq(contractMilestones.contractId, contract.id));
    for (const m of plan.keep)
      await tx
        .update(contractMilestones)
        .set({
          position: m.position,
          titleAr: m.titleAr,
          titleEn: m.titleEn,
          dueOn: m.dueOn,
          amount: m.amount,
        })
        .where(eq(contractMilestones.id, m.id!));
    const added = plan.add.length
      ? await tx
          .insert(contractMilestones)
          .values(
            plan.add.map((m) => ({
              contractId: contract.id,
              position: m.position,
              titleAr: m.titleAr,
              titleEn: m.titleEn,
              dueOn: m.dueOn,
              amount: m.amount,
            })),
          )
          .returning({ id: contractMilestones.id, position: contractMilestones.position })
      : [];
    const version = contract.version + 1;
    const withdrawn = contract.status === "accepted";
    const [amended] = await tx
      .update(contracts)
      .set({
        value: after.value,
        startsOn: after.startsOn,
        endsOn: after.endsOn,
        version,
        ...(withdrawn ? { status: "awaiting_acceptance" as const, acceptedBy: null, acceptedAt: null } : {}),
      })
      .where(eq(contracts.id, contract.id))
      .returning();
    const afterSnapshot = termsSnapshot({
      ...after,
      milestones: after.milestones.map((m) => ({
        ...m,
        id: m.id ?? added.find((a) => a.position === m.position)?.id ?? null,
      })),
    });
    const beforeSnapshot = termsSnapshot(before);
    const [amendment] = await tx
      .insert(contractAmendments)
      .values({
        contractId: contract.id,
        version,
        reason,
        before: beforeSnapshot,
        after: afterSnapshot,
        createdBy: who.userId,
      })
      .returning();
    const posted =
      contract.status === "signed"
        ? await postCommitment(tx, amended!, plan.valueDelta, { kind: "contract_amended", version })
        : null;
    await auditContract(
      tx,
      who,
      "contract.amended",
      contract.id,
      {
        reference: contract.reference,
        version,
        reason,
        before: beforeSnapshot,
        after: afterSnapshot,
        acceptanceWithdrawn: withdrawn,
        ledgerTransactionId: posted?.transaction.id ?? null,
      },
      input.ip,
    );
    return amendment!;
  });
}
