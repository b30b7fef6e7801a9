import { parse } from "csv-parse/sync";
import { parseAmount } from "#app/modules/ledger/money.ts";

/**
 * Reading a bank statement exported as CSV. Banks name their columns
 * differently (and in Arabic), so each field accepts several headers; only
 * credit lines matter to us. Pure: the matching against payments is in
 * import-bank-statement.server.ts.
 */

export interface StatementLine {
  /** 1-based line number in the file (after the header), for messages. */
  line: number;
  bankTransactionId: string;
  bookedOn: string;
  amount: bigint;
  currency: string;
  description: string;
  /** A Shafaf payment reference found in the description. */
  reference: string | null;
}

const HEADERS: Record<keyof Omit<StatementLine, "line" | "amount" | "reference"> | "amount", string[]> = {
  bankTransactionId: [
    "transaction id",
    "transaction_id",
    "id",
    "bank reference",
    "reference number",
    "رقم العملية",
  ],
  bookedOn: ["date", "booking date", "value date", "booked on", "التاريخ", "تاريخ القيد"],
  amount: ["amount", "credit", "المبلغ", "دائن"],
  currency: ["currency", "العملة"],
  description: ["description", "details", "narrative", "remittance information", "البيان", "الوصف"],
};

const REFERENCE = /SHF-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/i;

export class StatementError extends Error {}

export function findReference(text: string): string | null {
  return text.match(REFERENCE)?.[0].toUpperCase() ?? null;
}

/** Dates as YYYY-MM-DD, or DD/MM/YYYY as most banks in the region print them. */
function normaliseDate(text: string): string | null {
  const iso = text.match(/^(\d{4})-(\d{2})-(\d{2})/);
  const dmy = text.match(/^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/);
  const [y, m, d] = iso
    ? [iso[1], iso[2], iso[3]]
    : dmy
      ? [dmy[3], dmy[2]!.padStart(2, "0"), dmy[1]!.padStart(2, "0")]
      : [];
  if (!y) return null;
  const value = `${y}-${m}-${d}`;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value) ? value : null;
}

/**
 * Parse the file. Throws StatementError naming the line for anything
 * unreadable: a statement is imported whole or not at all.
 */
export function parseStatement(content: Buffer, defaultCurrency: string): StatementLine[] {
  let records: Record<string, string>[];
  try {
    records = parse(content, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    });
  } catch (e) {
    throw new StatementError((e as Error).message);
  }
  if (records.length === 0) throw new StatementError("no lines");
  const headers = Object.keys(records[0]!);
  const column = (field: keyof typeof HEADERS, required: boolean) => {
    const found = headers.find((h) => HEADERS[field].includes(h));
    if (!found && required) throw new StatementError(`missing column "${HEADERS[field][0]}"`);
    return found;
  };
  const idCol = column("bankTransactionId", true)!;
  const dateCol = column("bookedOn", true)!;
  const amountCol = column("amount", true)!;
  const descriptionCol = column("description", true)!;
  const currencyCol = column("currency", false);

  const lines: StatementLine[] = [];
  records.forEach((record, index) => {
    const line = index + 1;
    const currency = (currencyCol ? record[currencyCol] : "")?.toUpperCase() || defaultCurrency;
    if (!/^[A-Z]{3}$/.test(currency)) throw new StatementError(`line ${line}: currency "${currency}"`);
    const amount = parseAmount(record[amountCol] ?? "", currency);
    if (amount === null) throw new StatementError(`line ${line}: amount "${record[amountCol]}"`);
    const bookedOn = normaliseDate(record[dateCol] ?? "");
    if (!bookedOn) throw new StatementError(`line ${line}: date "${record[dateCol]}"`);
    const bankTransactionId = record[idCol] ?? "";
    if (!bankTransactionId) throw new StatementError(`line ${line}: no transaction id`);
    if (amount <= 0n) return; // a debit or a zero line: not money received
    const description = record[descriptionCol] ?? "";
    lines.push({
      line,
      bankTransactionId,
      bookedOn,
      amount,
      currency,
      description,
      reference: findReference(description),
    });
  });
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l.bankTransactionId))
      throw new StatementError(`line ${l.line}: transaction id "${l.bankTransactionId}" appears twice`);
    seen.add(l.bankTransactionId);
  }
  return lines;
}
