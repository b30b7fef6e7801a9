import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type ContractInvoice, contractInvoices } from "#db/schema/index.ts";
import { agencyActor, auditContract } from "./contract-access.server.ts";
import { postInvoicePaid } from "./contract-ledger.server.ts";
import { lockInvoice } from "./decide-invoice.server.ts";

/**
 * A finance officer of the agency records the payment of an approved invoice
 * (in full), with the transfer's reference, at the database's time — never the
 * person who approved the invoice (segregation of duties; a CHECK too). The
 * ledger settles the debt to the supplier: the supplier's contract receipts
 * grow by the amount. Once only: a conditional update on `approved`.
 */
export async function payInvoice(
  input: { actor: Actor; invoiceId: string; paymentReference: string; ip?: string | null },
  db: Db,
): Promise<ContractInvoice> {
  const who = agencyActor(input.actor, "contract:pay");
  const reference = input.paymentReference.trim().replace(/\s+/g, " ").slice(0, 100);
  if (!reference) throw new AppError("PAYMENT_REFERENCE_REQUIRED", {}, { field: "paymentReference" });
  return db.transaction(async (tx) => {
    const { contract, invoice } = await lockInvoice(tx, who, input.invoiceId);
    if (invoice.status !== "approved") throw new AppError("INVOICE_WRONG_STATUS");
    if (invoice.decidedBy === who.userId) throw new AppError("INVOICE_SELF_PAYMENT");
    const [paid] = await tx
      .update(contractInvoices)
      .set({ status: "paid", paidBy: who.userId, paidAt: sql`now()`, paymentReference: reference })
      .where(and(eq(contractInvoices.id, invoice.id), eq(contractInvoices.status, "approved")))
      .returning();
    const posted = await postInvoicePaid(tx, contract, paid!);
    await auditContract(
      tx,
      who,
      "contract_invoice.paid",
      invoice.id,
      {
        contractId: contract.id,
        reference: contract.reference,
        number: invoice.number,
        amount: invoice.amount.toString(),
        currency: invoice.currency,
        paymentReference: reference,
        ledgerTransactionId: posted.transaction.id,
      },
      input.ip,
    );
    return paid!;
  });
}
