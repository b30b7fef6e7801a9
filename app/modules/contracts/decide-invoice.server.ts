import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { type ContractInvoice, contractInvoices, contractMilestones, contracts } from "#db/schema/index.ts";
import { agencyActor, auditContract, lockContract, type Who } from "./contract-access.server.ts";
import { postInvoiceApproved } from "./contract-ledger.server.ts";

/**
 * The agency's contract manager decides a submitted invoice: approves it —
 * only once its milestone is delivered; the ledger then moves the amount from
 * the contract's open commitment to what is owed to the supplier — or rejects
 * it with a reason (what it claimed is free to invoice again). Each decision is
 * a conditional update on `submitted`, under the contract's row lock.
 */

type Decision = { actor: Actor; invoiceId: string; ip?: string | null };

/** The invoice and its contract, both locked, if the contract is of the actor's agency. */
export async function lockInvoice(tx: Tx, who: Who, invoiceId: string) {
  const [found] = await tx
    .select({ contractId: contractInvoices.contractId })
    .from(contractInvoices)
    .innerJoin(contracts, eq(contracts.id, contractInvoices.contractId))
    .where(and(eq(contractInvoices.id, invoiceId), eq(contracts.agencyId, who.organisationId)));
  if (!found) throw new AppError("NOT_FOUND");
  const contract = await lockContract(tx, found.contractId, "agency", who.organisationId);
  const [invoice] = await tx
    .select()
    .from(contractInvoices)
    .where(eq(contractInvoices.id, invoiceId))
    .for("update");
  return { contract, invoice: invoice! };
}

export async function approveInvoice(input: Decision, db: Db): Promise<ContractInvoice> {
  const who = agencyActor(input.actor, "contract:manage");
  return db.transaction(async (tx) => {
    const { contract, invoice } = await lockInvoice(tx, who, input.invoiceId);
    if (invoice.status !== "submitted") throw new AppError("INVOICE_WRONG_STATUS");
    const milestone = await tx.query.contractMilestones.findFirst({
      where: eq(contractMilestones.id, invoice.milestoneId),
    });
    if (!milestone?.deliveredAt) throw new AppError("MILESTONE_NOT_DELIVERED");
    const [approved] = await tx
      .update(contractInvoices)
      .set({ status: "approved", decidedBy: who.userId, decidedAt: sql`now()` })
      .where(and(eq(contractInvoices.id, invoice.id), eq(contractInvoices.status, "submitted")))
      .returning();
    const posted = await postInvoiceApproved(tx, contract, approved!);
    await auditContract(
      tx,
      who,
      "contract_invoice.approved",
      invoice.id,
      {
        contractId: contract.id,
        reference: contract.reference,
        number: invoice.number,
        amount: invoice.amount.toString(),
        currency: invoice.currency,
        ledgerTransactionId: posted.transaction.id,
      },
      input.ip,
    );
    return approved!;
  });
}

export async function rejectInvoice(input: Decision & { reason: string }, db: Db): Promise<ContractInvoice> {
  const who = agencyActor(input.actor, "contract:manage");
  const reason = input.reason.trim().slice(0, 4000);
  if (reason.length < 3) throw new AppError("REASON_REQUIRED", {}, { field: "reason" });
  return db.transaction(async (tx) => {
    const { contract, invoice } = await lockInvoice(tx, who, input.invoiceId);
    if (invoice.status !== "submitted") throw new AppError("INVOICE_WRONG_STATUS");
    const [rejected] = await tx
      .update(contractInvoices)
      .set({ status: "rejected", decidedBy: who.userId, decidedAt: sql`now()`, rejectReason: reason })
      .where(and(eq(contractInvoices.id, invoice.id), eq(contractInvoices.status, "submitted")))
      .returning();
    await auditContract(
      tx,
      who,
      "contract_invoice.rejected",
      invoice.id,
      { contractId: contract.id, reference: contract.reference, number: invoice.number, reason },
      input.ip,
    );
    return rejected!;
  });
}
