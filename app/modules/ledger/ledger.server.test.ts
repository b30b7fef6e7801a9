import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { ledgerAccounts } from "#db/schema/index.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { testDatabase } from "#tests/setup/db.ts";
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
    await expect(
      database.sql.begin(async (tx) => {
        const [t] =
          await tx`insert into ledger_transactions (idempotency_key, kind, content_hash) values (${key()}, 'raw', ${"0".repeat(64)}) returning id`;
        await tx`insert into ledger_postings (transaction_id, account_id, currency, amount) values (${t!.id}, ${payer}, 'KWD', -5), (${t!.id}, ${revenue}, 'KWD', 4)`;
      }),
    ).rejects.toMatchObject({ code: "23514" });
    // A posting in another currency than its account's is refused by a key.
    await expect(
      database.sql.begin(async (tx) => {
        const [t] =
          await tx`insert into ledger_transactions (idempotency_key, kind, content_hash) values (${key()}, 'raw', ${"0".repeat(64)}) returning id`;
        await tx`insert into ledger_postings (transaction_id, account_id, currency, amount) values (${t!.id}, ${payer}, 'SAR', -5), (${t!.id}, ${revenue}, 'SAR', 5)`;
      }),
    ).rejects.toMatchObject({ code: "23503" });
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
