import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { type Actor, ANONYMOUS } from "#app/modules/accounts/actor.ts";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { AppError } from "#app/utils/errors.ts";
import {
  auditEvents,
  bankStatementImports,
  bankStatementLines,
  ledgerTransactions,
  type Payment,
  paymentReceipts,
  payments,
} from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { savePaymentSettings } from "./fee-schedules.server.ts";
import { importBankStatement } from "./import-bank-statement.server.ts";
import { capturePayment, openPayment } from "./payment-ledger.server.ts";
import { recordReceiptIn } from "./record-receipt.server.ts";

const { db } = testDatabase();

type UserActor = Extract<Actor, { type: "user" }>;
let agencyId: string;
let otherAgencyId: string;
let businessId: string;
let officer: UserActor;
let secondOfficer: UserActor;
let otherAgencyOfficer: UserActor;

async function financeOfficer(organisationId: string): Promise<UserActor> {
  const user = await createUser(db, { memberships: [{ organisationId, roles: ["finance_officer"] }] });
  return actorOf(user, { organisationId, kind: "agency", roles: ["finance_officer"] });
}

beforeAll(async () => {
  agencyId = (await createOrganisation(db, agencyData())).id;
  otherAgencyId = (await createOrganisation(db, agencyData())).id;
  businessId = (await createOrganisation(db, businessData())).id;
  officer = await financeOfficer(agencyId);
  secondOfficer = await financeOfficer(agencyId);
  otherAgencyOfficer = await financeOfficer(otherAgencyId);
  // Receipts of 100 KWD or more wait for a second finance officer.
  await savePaymentSettings(
    {
      actor: officer,
      form: {
        bankName: "",
        accountName: "",
        iban: "",
        counterAr: "",
        counterEn: "",
        secondOfficerFrom: "100",
      },
    },
    db,
  );
});

function pendingPayment(amount: bigint, payeeId = agencyId): Promise<Payment> {
  return openPayment(
    {
      payerId: businessId,
      payeeId,
      feeType: "tender_document",
      currency: "KWD",
      amount,
      method: "bank_transfer",
    },
    db,
  );
}

const statement = (rows: string[]) =>
  Buffer.from(`Date,Description,Amount,Currency,Transaction ID\n${rows.join("\n")}\n`, "utf8");

const importFile = (content: Buffer, actor: Actor = officer, fileName = "statement.csv") =>
  importBankStatement({ actor, fileName, content }, db);

const paymentNow = async (id: string) => (await db.query.payments.findFirst({ where: eq(payments.id, id) }))!;
const receiptsOf = (paymentId: string) =>
  db.select().from(paymentReceipts).where(eq(paymentReceipts.paymentId, paymentId));
const capturesOf = (paymentId: string) =>
  db
    .select()
    .from(ledgerTransactions)
    .where(
      and(eq(ledgerTransactions.referenceType, "payment"), eq(ledgerTransactions.referenceId, paymentId)),
    );

/** Rows in every table an import writes to. */
async function stored() {
  const n = async (table: typeof bankStatementImports | typeof bankStatementLines | typeof paymentReceipts) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    imports: await n(bankStatementImports),
    lines: await n(bankStatementLines),
    receipts: await n(paymentReceipts),
    ledger: (await db.select({ n: count() }).from(ledgerTransactions))[0]!.n,
  };
}

let unique = 0;
const txId = () => `BK-${Date.now()}-${unique++}`;

describe("importing a bank statement", () => {
  test("matches what it can, says why for the rest, and importing it again changes nothing", async () => {
    const matched = await pendingPayment(12_500n);
    const large = await pendingPayment(150_000n);
    const otherAgencys = await pendingPayment(12_500n, otherAgencyId);
    const wrongAmount = await pendingPayment(20_000n);
    const wrongCurrency = await pendingPayment(5_000n);
    const paid = await capturePayment(
      { paymentId: (await pendingPayment(3_000n)).id, providerReference: "earlier", actor: { userId: null } },
      db,
    );
    const ids = {
      matched: txId(),
      large: txId(),
      noReference: txId(),
      unknown: txId(),
      otherAgency: txId(),
      amount: txId(),
      currency: txId(),
      paid: txId(),
      debit: txId(),
    };
    const content = statement([
      `2026-11-20,Transfer from Al Noor ref ${matched.reference.toLowerCase()},12.500,KWD,${ids.matched}`,
      `20/11/2026,Tender fee ${large.reference},150.000,KWD,${ids.large}`,
      `2026-11-20,Salary transfer,12.500,KWD,${ids.noReference}`,
      `2026-11-21,Payment SHF-ZZZZ-ZZZZ,12.500,KWD,${ids.unknown}`,
      `2026-11-21,Payment ${otherAgencys.reference},12.500,KWD,${ids.otherAgency}`,
      `2026-11-21,Payment ${wrongAmount.reference},19.000,KWD,${ids.amount}`,
      `2026-11-21,Payment ${wrongCurrency.reference},5.00,SAR,${ids.currency}`,
      `2026-11-22,"Payment, again ${paid.reference}",3.000,KWD,${ids.paid}`,
      `2026-11-22,Bank charges ${wrongAmount.reference},-20.000,KWD,${ids.debit}`,
    ]);
    const before = await stored();
    const result = await importFile(content, officer, "november.csv");

    const outcomes = Object.fromEntries(result.lines.map((l) => [l.bankTransactionId, l.outcome]));
    expect(outcomes).toEqual({
      [ids.matched]: "matched",
      [ids.large]: "matched",
      [ids.noReference]: "no_reference",
      [ids.unknown]: "unknown_reference",
      [ids.otherAgency]: "unknown_reference",
      [ids.amount]: "amount_mismatch",
      [ids.currency]: "currency_mismatch",
      [ids.paid]: "already_paid",
    }); // the debit line is not money received: ignored
    expect(result.alreadyImported).toBe(0);
    const line = (id: string) => result.lines.find((l) => l.bankTransactionId === id)!;
    expect(line(ids.matched)).toMatchObject({
      agencyId,
      importId: result.importId,
      bookedOn: "2026-11-20",
      amount: 12_500n,
      currency: "KWD",
      reference: matched.reference,
      paymentId: matched.id,
    });
    expect(line(ids.otherAgency).paymentId).toBeNull(); // another agency's payment is not even named
    expect(line(ids.noReference)).toMatchObject({ reference: null, paymentId: null });
    expect(line(ids.currency)).toMatchObject({ currency: "SAR", amount: 500n, paymentId: wrongCurrency.id });

    // (a) matched below the limit: captured at once, by a receipt that names its line.
    expect(await paymentNow(matched.id)).toMatchObject({
      status: "captured",
      capturedAmount: 12_500n,
      providerReference: ids.matched,
    });
    expect(await receiptsOf(matched.id)).toEqual([
      expect.objectContaining({
        amount: 12_500n,
        bankReference: ids.matched,
        receivedOn: "2026-11-20",
        source: "statement",
        statementLineId: line(ids.matched).id,
        status: "confirmed",
        recordedBy: officer.userId,
      }),
    ]);
    expect(await capturesOf(matched.id)).toHaveLength(1);
    // Matched at the limit: waits for a second officer, like a receipt typed by hand.
    expect(await paymentNow(large.id)).toMatchObject({ status: "pending" });
    const [waiting] = await receiptsOf(large.id);
    expect(waiting).toMatchObject({ status: "awaiting_confirmation", source: "statement" });
    expect(await capturesOf(large.id)).toHaveLength(0);
    // Nothing else was captured or receipted, least of all the other agency's payment.
    for (const p of [otherAgencys, wrongAmount, wrongCurrency]) {
      expect(await paymentNow(p.id)).toMatchObject({ status: "pending", capturedAmount: 0n });
      expect(await receiptsOf(p.id)).toHaveLength(0);
      expect(await capturesOf(p.id)).toHaveLength(0);
    }
    expect(await receiptsOf(paid.id)).toHaveLength(0);
    expect(await capturesOf(paid.id)).toHaveLength(1);

    const [imported] = await db
      .select()
      .from(bankStatementImports)
      .where(eq(bankStatementImports.id, result.importId));
    expect(imported).toMatchObject({
      agencyId,
      fileName: "november.csv",
      importedBy: officer.userId,
      lineCount: 8,
      matchedCount: 2,
    });
    expect(imported!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, "payments.statement_imported"), eq(auditEvents.objectId, result.importId)),
      );
    expect(event).toMatchObject({
      organisationId: agencyId,
      details: { fileName: "november.csv", lines: 8, matched: 2, alreadyImported: 0 },
    });
    const afterFirst = await stored();
    expect(afterFirst).toMatchObject({ lines: before.lines + 8, receipts: before.receipts + 2 });
    expect(afterFirst.ledger).toBe(before.ledger + 1);
    expect((await verifyLedger(db)).ok).toBe(true);

    // The same file again: every line is recognised, nothing is matched or captured twice.
    const again = await importFile(content);
    expect(again).toMatchObject({ lines: [], alreadyImported: 8 });
    const afterSecond = await stored();
    expect(afterSecond).toMatchObject({
      lines: afterFirst.lines,
      receipts: afterFirst.receipts,
      ledger: afterFirst.ledger,
    });
    expect(await receiptsOf(matched.id)).toHaveLength(1);
    expect(await receiptsOf(large.id)).toHaveLength(1);
    expect(await paymentNow(large.id)).toMatchObject({ status: "pending" });

    // A later statement overlapping this one: only its new line is imported.
    const fresh = await pendingPayment(7_000n);
    const overlapping = await importFile(
      statement([
        `2026-11-20,Transfer from Al Noor ref ${matched.reference},12.500,KWD,${ids.matched}`,
        `2026-11-23,Fee ${fresh.reference},7.000,KWD,${txId()}`,
      ]),
    );
    expect(overlapping.alreadyImported).toBe(1);
    expect(overlapping.lines.map((l) => l.outcome)).toEqual(["matched"]);
    expect(await paymentNow(fresh.id)).toMatchObject({ status: "captured" });
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("two lines for one payment: the first pays it, the second reads already paid", async () => {
    const payment = await pendingPayment(4_000n);
    const result = await importFile(
      statement([
        `2026-11-24,Fee ${payment.reference},4.000,KWD,${txId()}`,
        `2026-11-24,Fee again ${payment.reference},4.000,KWD,${txId()}`,
      ]),
    );
    expect(result.lines.map((l) => l.outcome)).toEqual(["matched", "already_paid"]);
    expect(await receiptsOf(payment.id)).toHaveLength(1);
    expect(await capturesOf(payment.id)).toHaveLength(1);
  });

  test("a malformed file is refused whole: no import, no lines, no receipts", async () => {
    const payment = await pendingPayment(8_000n);
    const before = await stored();
    const files = [
      statement([
        `2026-11-20,Fee ${payment.reference},8.000,KWD,${txId()}`,
        `2026-02-30,Other,1.000,KWD,${txId()}`,
      ]),
      statement([
        `2026-11-20,Fee ${payment.reference},8.000,KWD,${txId()}`,
        `2026-11-21,Other,1.0001,KWD,${txId()}`,
      ]),
      Buffer.from(`Date,Description,Amount\n2026-11-20,Fee ${payment.reference},8.000\n`),
      Buffer.from(""),
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]),
    ];
    for (const content of files) {
      const error = await importFile(content).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "STATEMENT_UNREADABLE", status: 400, field: "file" });
    }
    const error = (await importFile(files[0]!).catch((e: unknown) => e)) as AppError;
    expect(error.params.detail).toMatch(/line 2/);
    expect(await stored()).toEqual(before);
    expect(await paymentNow(payment.id)).toMatchObject({ status: "pending" });
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("only the agency's finance officers import, and only against their own agency", async () => {
    const payment = await pendingPayment(9_000n);
    const content = statement([`2026-11-25,Fee ${payment.reference},9.000,KWD,${txId()}`]);
    const procurement = actorOf(
      await createUser(db, { memberships: [{ organisationId: agencyId, roles: ["procurement_officer"] }] }),
      { organisationId: agencyId, kind: "agency", roles: ["procurement_officer"] },
    );
    const before = await stored();
    await expect(importFile(content, procurement)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(importFile(content, ANONYMOUS)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await stored()).toEqual(before);

    // The other agency's officer imports the same line into their own books: unknown to them.
    const theirs = await importFile(content, otherAgencyOfficer);
    expect(theirs.lines.map((l) => [l.outcome, l.paymentId])).toEqual([["unknown_reference", null]]);
    expect(await paymentNow(payment.id)).toMatchObject({ status: "pending" });
    // Each agency keeps its own statement lines: ours still imports and matches.
    const ours = await importFile(content, secondOfficer);
    expect(ours.lines.map((l) => l.outcome)).toEqual(["matched"]);
    expect(await paymentNow(payment.id)).toMatchObject({ status: "captured" });
  });

  test("the same file imported twice at the same moment (a double click): imported once, both answered", async () => {
    const payment = await pendingPayment(2_100n);
    const content = statement([
      `2026-11-27,Fee ${payment.reference},2.100,KWD,${txId()}`,
      `2026-11-27,No reference,1.000,KWD,${txId()}`,
    ]);
    const results = await Promise.allSettled([importFile(content), importFile(content)]);
    for (const r of results) if (r.status === "rejected") throw r.reason;
    const values = results.map(
      (r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof importFile>>>).value,
    );
    expect(values.map((v) => [v.lines.length, v.alreadyImported]).sort()).toEqual([
      [0, 2],
      [2, 0],
    ]);
    expect(await receiptsOf(payment.id)).toHaveLength(1);
    expect(await capturesOf(payment.id)).toHaveLength(1);
  });

  test("a receipt recorded by hand while the statement is imported: no failure, no deadlock, paid once", async () => {
    const first = await pendingPayment(1_100n);
    const byHand = await pendingPayment(1_200n);
    const content = statement([
      `2026-11-26,Fee ${first.reference},1.100,KWD,${txId()}`,
      `2026-11-26,Fee ${byHand.reference},1.200,KWD,${txId()}`,
    ]);
    // An officer's form holds the payment row while the import starts...
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const manual = db.transaction(async (tx) => {
      await tx.select().from(payments).where(eq(payments.id, byHand.id)).for("update");
      locked();
      await gate;
      return recordReceiptIn(tx, {
        paymentId: byHand.id,
        amount: 1_200n,
        bankReference: "COUNTER-1",
        receivedOn: "2026-11-26",
        source: "manual",
        agencyId,
        userId: secondOfficer.userId,
      });
    });
    await holding;
    const imported = importFile(content);
    await waitForLockWait();
    release();
    const [manualResult, importResult] = await Promise.allSettled([manual, imported]);
    if (manualResult.status === "rejected") throw manualResult.reason;
    if (importResult.status === "rejected") throw importResult.reason;
    // ...and commits first: the import then sees the payment paid.
    expect(importResult.value.lines.map((l) => l.outcome)).toEqual(["matched", "already_paid"]);
    expect(await receiptsOf(byHand.id)).toEqual([expect.objectContaining({ source: "manual" })]);
    expect(await capturesOf(byHand.id)).toHaveLength(1);
    expect(await capturesOf(first.id)).toHaveLength(1);
    expect((await verifyLedger(db)).ok).toBe(true);
  });
});

/** Until another session of this database waits for a lock (or a second has passed). */
async function waitForLockWait() {
  for (let i = 0; i < 100; i++) {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
