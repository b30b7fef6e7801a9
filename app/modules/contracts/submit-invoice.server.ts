import { and, eq, isNull, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { parseAmount, toDecimalString } from "#app/modules/ledger/money.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { type ContractInvoice, contractInvoices, contractMilestones, storedFiles } from "#db/schema/index.ts";
import { auditContract, lockContract, supplierActor } from "./contract-access.server.ts";

/**
 * The supplier invoices one milestone of its signed contract: its own invoice
 * number (unique for the supplier), an amount no larger than what is left to
 * invoice on the milestone (its amount less the invoices not rejected), and
 * optionally the invoice document (an upload stored first, attached here).
 *
 * The milestone's row is locked, so two invoices sent at once are counted one
 * after the other; the database keeps the same bound by itself (a trigger
 * moves the milestone's invoiced amount, a CHECK holds it within the amount).
 */
export async function submitInvoice(
  input: {
    actor: Actor;
    contractId: string;
    milestoneId: string;
    number: string;
    amount: string;
    documentFileId?: string | null;
    ip?: string | null;
  },
  db: Db,
): Promise<ContractInvoice> {
  const who = supplierActor(input.actor, "contract:invoice");
  const number = input.number.trim().replace(/\s+/g, " ").slice(0, 60);
  if (!number) throw new AppError("INVOICE_NUMBER_REQUIRED", {}, { field: "number" });
  try {
    return await db.transaction(async (tx) => {
      const contract = await lockContract(tx, input.contractId, "supplier", who.organisationId);
      if (contract.status !== "signed") throw new AppError("CONTRACT_NOT_SIGNED");
      const [milestone] = await tx
        .select()
        .from(contractMilestones)
        .where(
          and(eq(contractMilestones.id, input.milestoneId), eq(contractMilestones.contractId, contract.id)),
        )
        .for("update");
      if (!milestone) throw new AppError("NOT_FOUND", {}, { field: "milestoneId" });
      const amount = parseAmount(input.amount, contract.currency);
      if (amount === null || amount <= 0n) throw new AppError("AMOUNT_INVALID", {}, { field: "amount" });
      const left = milestone.amount - milestone.invoicedAmount;
      if (amount > left)
        throw new AppError(
          "INVOICE_EXCEEDS_MILESTONE",
          { left: `${toDecimalString({ amount: left, currency: contract.currency })} ${contract.currency}` },
          { field: "amount" },
        );
      const taken = await tx.query.contractInvoices.findFirst({
        where: and(eq(contractInvoices.businessId, who.organisationId), eq(contractInvoices.number, number)),
      });
      if (taken) throw new AppError("INVOICE_NUMBER_TAKEN", {}, { field: "number" });
      if (input.documentFileId) {
        const [attached] = await tx
          .update(storedFiles)
          .set({ attachedAt: sql`now()` })
          .where(and(eq(storedFiles.id, input.documentFileId), isNull(storedFiles.attachedAt)))
          .returning({ id: storedFiles.id });
        if (!attached) throw new AppError("VALIDATION", {}, { field: "document" });
      }
      const [invoice] = await tx
        .insert(contractInvoices)
        .values({
          contractId: contract.id,
          milestoneId: milestone.id,
          businessId: who.organisationId,
          number,
          amount,
          currency: contract.currency,
          documentFileId: input.documentFileId ?? null,
          submittedBy: who.userId,
        })
        .returning();
      await auditContract(
        tx,
        who,
        "contract_invoice.submitted",
        invoice!.id,
        {
          contractId: contract.id,
          reference: contract.reference,
          milestoneId: milestone.id,
          number,
          amount: amount.toString(),
          currency: contract.currency,
          documentFileId: input.documentFileId ?? null,
        },
        input.ip,
      );
      return invoice!;
    });
  } catch (e) {
    const pg = postgresErrorOf(e);
    if (pg?.constraint === "contract_invoices_number_per_supplier")
      throw new AppError("INVOICE_NUMBER_TAKEN", {}, { field: "number" });
    if (pg?.constraint === "contract_milestones_invoiced_within")
      throw new AppError("INVOICE_EXCEEDS_MILESTONE", { left: "" }, { field: "amount" });
    throw e;
  }
}
