import { createHash } from "node:crypto";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import {
  type BankStatementLine,
  bankStatementImports,
  bankStatementLines,
  paymentReceipts,
  payments,
} from "#db/schema/index.ts";
import { financeAgencyOf } from "./agency-scope.server.ts";
import { parseStatement, StatementError } from "./bank-statement.ts";
import { recordReceiptIn } from "./record-receipt.server.ts";

export interface StatementImport {
  importId: string;
  lines: BankStatementLine[];
  /** Lines of this file already imported before (same bank transaction id): skipped. */
  alreadyImported: number;
}

/**
 * Import a bank statement: every credit line whose description carries a
 * payment reference of this agency, for exactly the amount due in its
 * currency, becomes a receipt (waiting for a second officer at or above the
 * agency's limit, like one typed by hand). Everything else is kept and listed
 * as unmatched, with why. The whole file commits or nothing does.
 */
export async function importBankStatement(
  input: { actor: Actor; fileName: string; content: Buffer; ip?: string | null },
  db: Db,
): Promise<StatementImport> {
  const { agency, userId } = await financeAgencyOf(input.actor, "payments:reconcile", db);
  let parsed: ReturnType<typeof parseStatement>;
  try {
    parsed = parseStatement(input.content, agency.currency);
  } catch (e) {
    if (e instanceof StatementError)
      throw new AppError("STATEMENT_UNREADABLE", { detail: e.message }, { field: "file" });
    throw e;
  }
  return db.transaction(async (tx) => {
    // One import per agency at a time: the same file sent twice at once (a double
    // click) is then imported once and recognised the second time, instead of the
    // second failing on the lines' unique key.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`bank_statement_import:${agency.id}`}, 0))`,
    );
    const known = parsed.length
      ? await tx
          .select({ id: bankStatementLines.bankTransactionId })
          .from(bankStatementLines)
          .where(
            and(
              eq(bankStatementLines.agencyId, agency.id),
              inArray(
                bankStatementLines.bankTransactionId,
                parsed.map((l) => l.bankTransactionId),
              ),
            ),
          )
      : [];
    const knownIds = new Set(known.map((k) => k.id));
    const fresh = parsed.filter((l) => !knownIds.has(l.bankTransactionId));
    const [statement] = await tx
      .insert(bankStatementImports)
      .values({
        agencyId: agency.id,
        fileName: input.fileName.slice(0, 200),
        sha256: createHash("sha256").update(input.content).digest("hex"),
        importedBy: userId,
        lineCount: fresh.length,
        matchedCount: 0,
      })
      .returning();

    // Lock every payment this file may pay, in one order, before anything is
    // matched or audited: a receipt recorded by hand at the same moment then
    // either commits first (and the line reads already_paid) or waits for this
    // import, instead of failing the whole file or deadlocking with it on the
    // audit chain's lock.
    const references = [...new Set(fresh.flatMap((l) => (l.reference ? [l.reference] : [])))];
    if (references.length)
      await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.payeeId, agency.id), inArray(payments.reference, references)))
        .orderBy(asc(payments.id))
        .for("update");

    const lines: BankStatementLine[] = [];
    let matched = 0;
    for (const l of fresh) {
      const payment = l.reference
        ? await tx.query.payments.findFirst({
            where: and(eq(payments.reference, l.reference), eq(payments.payeeId, agency.id)),
          })
        : undefined;
      const live = payment
        ? await tx.query.paymentReceipts.findFirst({
            where: and(eq(paymentReceipts.paymentId, payment.id), ne(paymentReceipts.status, "rejected")),
          })
        : undefined;
      const outcome: BankStatementLine["outcome"] = !l.reference
        ? "no_reference"
        : !payment
          ? "unknown_reference"
          : payment.status !== "pending" || live
            ? "already_paid"
            : payment.currency !== l.currency
              ? "currency_mismatch"
              : payment.amount !== l.amount
                ? "amount_mismatch"
                : "matched";
      const [row] = await tx
        .insert(bankStatementLines)
        .values({
          importId: statement!.id,
          agencyId: agency.id,
          bankTransactionId: l.bankTransactionId,
          bookedOn: l.bookedOn,
          amount: l.amount,
          currency: l.currency,
          description: l.description.slice(0, 500),
          reference: l.reference,
          outcome,
          paymentId: payment?.id ?? null,
        })
        .returning();
      lines.push(row!);
      if (outcome !== "matched") continue;
      matched++;
      await recordReceiptIn(tx, {
        paymentId: payment!.id,
        amount: l.amount,
        bankReference: l.bankTransactionId,
        receivedOn: l.bookedOn,
        source: "statement",
        statementLineId: row!.id,
        agencyId: agency.id,
        userId,
        ip: input.ip,
      });
    }
    await tx
      .update(bankStatementImports)
      .set({ matchedCount: matched })
      .where(eq(bankStatementImports.id, statement!.id));
    await recordAudit(tx, {
      actorUserId: userId,
      organisationId: agency.id,
      action: "payments.statement_imported",
      objectType: "bank_statement",
      objectId: statement!.id,
      ip: input.ip ?? null,
      details: { fileName: input.fileName, lines: fresh.length, matched, alreadyImported: knownIds.size },
    });
    return { importId: statement!.id, lines, alreadyImported: knownIds.size };
  });
}
