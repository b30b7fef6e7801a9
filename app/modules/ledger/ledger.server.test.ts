import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { connectDatabase } from "#db/client.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { ledgerAccounts, ledgerTransactions } from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { testDatabase, testDatabaseUrl } from "#tests/setup/db.ts";
import { ensureAccount, postTransaction } from "./post-transaction.server.ts";
import { verifyLedger } from "./verify-ledger.server.ts";

const database = testDatabase();
const { db } = database;
let payer: string;
let revenue: string;
let escrow: string;
let sarAccount: string;
let n = 0;
const key = () => `test-${Date.now()}-${n++}`;

beforeAll(async () => {
  const business = await createOrganisation(db, businessData());
  const agency = await createOrganisation(db, agencyData());
  payer = await ensureAccount(db, {
    organisationId: business.id,
    purpose: "business_payments",
    currency: "KWD",
  });
  revenue = await ensureAccount(db, {
    organisationId: agency.id,
    purpose: "agency_revenue",
    feeType: "tender_document",
    currency: "KWD",
  });
  escrow = await ensureAccount(db, {
    organisationId: agency.id,
    purpose: "bid_security_escrow",
    currency: "KWD",
  });
  sarAccount = await ensureAccount(db, {
    organisationId: business.id,
    purpose: "business_payments",
    currency: "SAR",
  });
});

describe("the ledger", () => {
  test("a balanced transaction moves both balances; the same key twice posts once", async () => {
    const k = key();
    const first = await postTransaction(
      {
        idempotencyKey: k,
        kind: "fee",
        postings: [
          { accountId: payer, amount: -25_000n },
          { accountId: revenue, amount: 25_000n },
        ],
      },
      db,
    );
    const again = await postTransaction(
      {
        idempotencyKey: k,
        kind: "fee",
        postings: [
          { accountId: revenue, amount: 25_000n },
          { accountId: payer, amount: -25_000n },
        ],
      },
      db,
    );
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, transaction: { id: first.transaction.id } });
    await expect(
      postTransaction(
        {
          idempotencyKey: k,
          kind: "fee",
          postings: [
            { accountId: payer, amount: -1n },
            { accountId: revenue, amount: 1n },
          ],
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT", status: 409 });
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("an unbalanced transaction is refused by the code and, if the code were bypassed, by the database", async () => {
    await expect(
      postTransaction(
        {
          idempotencyKey: key(),
          kind: "fee",
          postings: [
            { accountId: payer, amount: -10n },
            { accountId: revenue, amount: 9n },
          ],
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "LEDGER_UNBALANCED" });
    // Mixed currencies cannot net against each other either.
    await expect(
      postTransaction(
        {
          idempotencyKey: key(),
          kind: "fee",
          postings: [
            { accountId: sarAccount, amount: -10n },
            { accountId: revenue, amount: 10n },
          ],
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "LEDGER_UNBALANCED" });
    // Written directly in SQL, as the ledger writer does: a transaction and its postings in one statement.
    const rawInsert = (currency: string, debit: number, credit: number) => database.sql`
      with t as (
        insert into ledger_transactions (idempotency_key, kind, content_hash)
        values (${key()}, 'raw', ${"0".repeat(64)}) returning id
      )
      insert into ledger_postings (transaction_id, account_id, currency, amount)
      select t.id, x.account_id, ${currency}, x.amount from t,
        (values (${payer}::uuid, ${-debit}::bigint), (${revenue}::uuid, ${credit}::bigint)) as x(account_id, amount)`;
    await expect(rawInsert("KWD", 5, 4)).rejects.toMatchObject({ code: "23514" });
    // A posting in another currency than its account's is refused.
    await expect(rawInsert("SAR", 5, 5)).rejects.toMatchObject({ code: "23503" });
    // A transaction without postings is refused at the end of its statement.
    await expect(
      database.sql`insert into ledger_transactions (idempotency_key, kind, content_hash) values (${key()}, 'raw', ${"0".repeat(64)})`,
    ).rejects.toMatchObject({ code: "23514" });
    // A posting to an account that does not exist is refused.
    await expect(
      database.sql.begin(async (tx) => {
        await tx`
          with t as (
            insert into ledger_transactions (idempotency_key, kind, content_hash)
            values (${key()}, 'raw', ${"0".repeat(64)}) returning id
          )
          insert into ledger_postings (transaction_id, account_id, currency, amount)
          select t.id, x.account_id, 'KWD', x.amount from t,
            (values (${payer}::uuid, -5::bigint), (gen_random_uuid(), 5::bigint)) as x(account_id, amount)`;
      }),
    ).rejects.toMatchObject({ code: "23503" });
    // Accounts are permanent: postings point at them.
    await expect(database.sql`delete from ledger_accounts where id = ${payer}`).rejects.toMatchObject({
      code: "42501",
    });
    await expect(
      database.sql`update ledger_accounts set currency = 'SAR' where id = ${payer}`,
    ).rejects.toMatchObject({ code: "42501" });
  });

  test("no posting can be slipped into a transaction already committed", async () => {
    const { transaction } = await postTransaction(
      {
        idempotencyKey: key(),
        kind: "fee",
        postings: [
          { accountId: payer, amount: -9n },
          { accountId: revenue, amount: 9n },
        ],
      },
      db,
    );
    await expect(
      database.sql`insert into ledger_postings (transaction_id, account_id, currency, amount)
        values (${transaction.id}, ${payer}, 'KWD', -1), (${transaction.id}, ${revenue}, 'KWD', 1)`,
    ).rejects.toMatchObject({ code: "23514" });
  });

  test("posted entries cannot be updated or deleted", async () => {
    await postTransaction(
      {
        idempotencyKey: key(),
        kind: "fee",
        postings: [
          { accountId: payer, amount: -7n },
          { accountId: revenue, amount: 7n },
        ],
      },
      db,
    );
    await expect(database.sql`update ledger_postings set amount = amount * 2`).rejects.toMatchObject({
      code: "42501",
    });
    await expect(database.sql`delete from ledger_transactions`).rejects.toMatchObject({ code: "42501" });
    await expect(database.sql`truncate ledger_postings cascade`).rejects.toMatchObject({ code: "42501" });
  });

  test("many concurrent writers on the same accounts: no drift, no deadlock", async () => {
    const before = await db
      .select()
      .from(ledgerAccounts)
      .where(sql`${ledgerAccounts.id} in (${payer}, ${revenue}, ${escrow})`);
    const balance = (id: string, rows: typeof before) => rows.find((r) => r.id === id)!.balance;
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        postTransaction(
          {
            idempotencyKey: key(),
            kind: "concurrent",
            // Opposite account orders on purpose: the ledger sorts them.
            postings:
              i % 2
                ? [
                    { accountId: payer, amount: -3n },
                    { accountId: escrow, amount: 1n },
                    { accountId: revenue, amount: 2n },
                  ]
                : [
                    { accountId: revenue, amount: 2n },
                    { accountId: escrow, amount: 1n },
                    { accountId: payer, amount: -3n },
                  ],
          },
          db,
        ),
      ),
    );
    const after = await db
      .select()
      .from(ledgerAccounts)
      .where(sql`${ledgerAccounts.id} in (${payer}, ${revenue}, ${escrow})`);
    expect(balance(payer, after) - balance(payer, before)).toBe(-180n);
    expect(balance(revenue, after) - balance(revenue, before)).toBe(120n);
    expect(balance(escrow, after) - balance(escrow, before)).toBe(60n);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("group commit: callers in one batch get their own outcome; a bad one fails alone", async () => {
    const transfer = (idempotencyKey: string, amount: bigint, reverses?: string) =>
      postTransaction(
        {
          idempotencyKey,
          kind: "group",
          reverses,
          postings: [
            { accountId: payer, amount: -amount },
            { accountId: revenue, amount },
          ],
        },
        db,
      );
    const shared = key();
    // All issued in the same turn of the event loop, so they are written together.
    const results = await Promise.allSettled([
      transfer(key(), 1n),
      transfer(shared, 2n),
      transfer(shared, 2n), // the same transaction again: posted once
      transfer(shared, 3n), // the same key with other content: refused
      transfer(key(), 4n, randomUUID()), // reverses a transaction that does not exist: the database refuses it
      transfer(key(), 5n),
    ]);
    const [a, b, c, d, e, f] = results;
    expect(a).toMatchObject({ status: "fulfilled", value: { created: true } });
    expect(b).toMatchObject({ status: "fulfilled", value: { created: true } });
    expect(c).toMatchObject({ status: "fulfilled", value: { created: false } });
    expect(c.status === "fulfilled" && b.status === "fulfilled" && c.value.transaction.id).toBe(
      b.status === "fulfilled" && b.value.transaction.id,
    );
    expect(d).toMatchObject({ status: "rejected", reason: { code: "IDEMPOTENCY_CONFLICT" } });
    expect(e.status === "rejected" && postgresErrorOf(e.reason)?.code).toBe("23503");
    expect(f).toMatchObject({ status: "fulfilled", value: { created: true } });
    const kinds = await db.select().from(ledgerTransactions).where(sql`${ledgerTransactions.kind} = 'group'`);
    expect(kinds).toHaveLength(3);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  test("writers in separate processes and inside callers' transactions lock accounts in one order: no deadlock", async () => {
    const other = connectDatabase(testDatabaseUrl, { max: 8 });
    try {
      const before = (
        await db.select().from(ledgerAccounts).where(sql`${ledgerAccounts.id} = ${escrow}`)
      )[0]!;
      const posting = (i: number) => ({
        idempotencyKey: key(),
        kind: "cross",
        postings:
          i % 2
            ? [
                { accountId: escrow, amount: 1n },
                { accountId: payer, amount: -1n },
              ]
            : [
                { accountId: revenue, amount: -1n },
                { accountId: escrow, amount: 1n },
              ],
      });
      await Promise.all(
        Array.from({ length: 90 }, (_, i) =>
          i % 3 === 0
            ? postTransaction(posting(i), db)
            : i % 3 === 1
              ? postTransaction(posting(i), other.db)
              : other.db.transaction((tx) => postTransaction(posting(i), tx)),
        ),
      );
      const after = (await db.select().from(ledgerAccounts).where(sql`${ledgerAccounts.id} = ${escrow}`))[0]!;
      expect(after.balance - before.balance).toBe(90n);
      expect((await verifyLedger(db)).ok).toBe(true);
    } finally {
      await other.close();
    }
  });

  test("property: any sequence of balanced transfers keeps every invariant", async () => {
    const accounts = () => [payer, revenue, escrow];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            from: fc.nat(2),
            to: fc.nat(2),
            amount: fc.bigInt({ min: 1n, max: 10n ** 12n }),
            replay: fc.boolean(),
          }),
          { minLength: 1, maxLength: 15 },
        ),
        async (moves) => {
          const before = await db.select().from(ledgerAccounts);
          const expected = new Map(before.map((a) => [a.id, a.balance]));
          for (const m of moves) {
            if (m.from === m.to) continue;
            const [from, to] = [accounts()[m.from]!, accounts()[m.to]!];
            const k = key();
            const postings = [
              { accountId: from, amount: -m.amount },
              { accountId: to, amount: m.amount },
            ];
            await postTransaction({ idempotencyKey: k, kind: "move", postings }, db);
            if (m.replay) await postTransaction({ idempotencyKey: k, kind: "move", postings }, db); // counted once
            expected.set(from, expected.get(from)! - m.amount);
            expected.set(to, expected.get(to)! + m.amount);
          }
          const after = await db.select().from(ledgerAccounts);
          for (const a of after) expect(a.balance).toBe(expected.get(a.id));
          expect(await verifyLedger(db)).toMatchObject({ ok: true });
        },
      ),
      { numRuns: 25 },
    );
  });

  test("ledger verification names the transaction whose posting was altered", async () => {
    const { transaction } = await postTransaction(
      {
        idempotencyKey: key(),
        kind: "fee",
        postings: [
          { accountId: payer, amount: -11n },
          { accountId: revenue, amount: 11n },
        ],
      },
      db,
    );
    await database.sql.begin(async (tx) => {
      await tx`alter table ledger_postings disable trigger ledger_postings_append_only`;
      await tx`update ledger_postings set amount = -12 where transaction_id = ${transaction.id} and amount = -11`;
      await tx`update ledger_postings set amount = 12 where transaction_id = ${transaction.id} and amount = 11`;
      await tx`alter table ledger_postings enable trigger ledger_postings_append_only`;
    });
    expect(await verifyLedger(db)).toMatchObject({
      ok: false,
      problem: "content_changed",
      where: { transactionId: transaction.id },
    });
  });
});
