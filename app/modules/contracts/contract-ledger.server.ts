import { sql } from "drizzle-orm";
import { ensureAccount, postTransaction } from "#app/modules/ledger/post-transaction.server.ts";
import type { Queryable, Tx } from "#db/client.server.ts";
import type { Contract } from "#db/schema/index.ts";

/**
 * A contract's money in the ledger (decision 020). Every posting's transaction
 * references the contract, so its figures are one indexed read. Signs:
 * positive is a debit.
 *
 *   signature / amendment   contract_budget(agency) +V        contract_commitments(agency) −V
 *   invoice approved        contract_commitments(agency) +A   contract_payables(agency) −A
 *   payment                 contract_payables(agency) +P      contract_receipts(supplier) −P
 *
 * So contract_budget holds what was contracted, contract_commitments what is
 * contracted but not yet invoiced (approved), contract_payables what is owed to
 * suppliers for approved invoices and not yet paid, and the supplier's
 * contract_receipts what it was paid. An amendment that lowers the value posts
 * the same pair with negative amounts.
 */

export const CONTRACT_ACCOUNT_PURPOSES = [
  "contract_budget",
  "contract_commitments",
  "contract_payables",
  "contract_receipts",
] as const;

type Purpose = (typeof CONTRACT_ACCOUNT_PURPOSES)[number];

const account = (tx: Tx, contract: Contract, purpose: Purpose) =>
  ensureAccount(tx, {
    organisationId: purpose === "contract_receipts" ? contract.businessId : contract.agencyId,
    purpose,
    currency: contract.currency,
  });

const reference = (contract: Contract) => ({ type: "contract", id: contract.id });

/** The commitment made at signature (or changed by an amendment of a signed contract). */
export async function postCommitment(
  tx: Tx,
  contract: Contract,
  amount: bigint,
  key: { kind: "contract_signed" } | { kind: "contract_amended"; version: number },
) {
  if (amount === 0n) return null;
  const budget = await account(tx, contract, "contract_budget");
  const commitments = await account(tx, contract, "contract_commitments");
  return postTransaction(
    {
      idempotencyKey:
        key.kind === "contract_signed"
          ? `contract:${contract.id}:signed`
          : `contract:${contract.id}:amendment:${key.version}`,
      kind: key.kind,
      reference: reference(contract),
      description: contract.reference,
      postings: [
        { accountId: budget, amount },
        { accountId: commitments, amount: -amount },
      ],
    },
    tx,
  );
}

/** An approved invoice: the commitment becomes a debt to the supplier. */
export async function postInvoiceApproved(
  tx: Tx,
  contract: Contract,
  invoice: { id: string; number: string; amount: bigint },
) {
  const commitments = await account(tx, contract, "contract_commitments");
  const payables = await account(tx, contract, "contract_payables");
  return postTransaction(
    {
      idempotencyKey: `contract_invoice:${invoice.id}:approved`,
      kind: "contract_invoice_approved",
      reference: reference(contract),
      description: invoice.number,
      postings: [
        { accountId: commitments, amount: invoice.amount },
        { accountId: payables, amount: -invoice.amount },
      ],
    },
    tx,
  );
}

/** A payment of an approved invoice: the debt is settled and the supplier is paid. */
export async function postInvoicePaid(
  tx: Tx,
  contract: Contract,
  invoice: { id: string; number: string; amount: bigint },
) {
  const payables = await account(tx, contract, "contract_payables");
  const receipts = await account(tx, contract, "contract_receipts");
  return postTransaction(
    {
      idempotencyKey: `contract_invoice:${invoice.id}:paid`,
      kind: "contract_payment",
      reference: reference(contract),
      description: invoice.number,
      postings: [
        { accountId: payables, amount: invoice.amount },
        { accountId: receipts, amount: -invoice.amount },
      ],
    },
    tx,
  );
}

export interface ContractBooks {
  /** Contracted: the signature and every amendment since. */
  contracted: bigint;
  /** Invoiced and approved. */
  invoiced: bigint;
  /** Paid to the supplier. */
  paid: bigint;
  /** Contracted, not yet invoiced (the open commitment). */
  committed: bigint;
  /** Approved, not yet paid. */
  payable: bigint;
}

/** What the ledger says of each contract: contracted, invoiced and paid, from the postings referencing it. */
export async function contractBooks(
  db: Queryable,
  contractIds: string[],
): Promise<Map<string, ContractBooks>> {
  const books = new Map<string, ContractBooks>(
    contractIds.map((id) => [id, { contracted: 0n, invoiced: 0n, paid: 0n, committed: 0n, payable: 0n }]),
  );
  if (contractIds.length === 0) return books;
  const rows = (await db.execute(sql`
    select t.reference_id as id,
      coalesce(sum(p.amount) filter (where a.purpose = 'contract_budget'), 0) as contracted,
      coalesce(sum(p.amount) filter (where a.purpose = 'contract_commitments' and t.kind = 'contract_invoice_approved'), 0) as invoiced,
      coalesce(-sum(p.amount) filter (where a.purpose = 'contract_receipts'), 0) as paid,
      coalesce(-sum(p.amount) filter (where a.purpose = 'contract_commitments'), 0) as committed,
      coalesce(-sum(p.amount) filter (where a.purpose = 'contract_payables'), 0) as payable
    from ledger_transactions t
    join ledger_postings p on p.transaction_id = t.id
    join ledger_accounts a on a.id = p.account_id
    where t.reference_type = 'contract'
      and t.reference_id in (${sql.join(
        contractIds.map((id) => sql`${id}`),
        sql`, `,
      )})
    group by t.reference_id
  `)) as unknown as Array<Record<keyof ContractBooks | "id", string | bigint>>;
  for (const r of rows)
    books.set(String(r.id), {
      contracted: BigInt(r.contracted),
      invoiced: BigInt(r.invoiced),
      paid: BigInt(r.paid),
      committed: BigInt(r.committed),
      payable: BigInt(r.payable),
    });
  return books;
}
