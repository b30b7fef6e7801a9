import { generateKeyPairSync } from "node:crypto";
import { expect, test } from "vitest";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { createCheckpoint, verifyCheckpoints } from "./checkpoints.server.ts";
import { platformKeyFromPem } from "./platform-key.server.ts";
import { ensureAccount, postTransaction } from "./post-transaction.server.ts";

const database = testDatabase();
const { db } = database;
const key = platformKeyFromPem(
  generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
);
const keys = new Map([[key.keyId, key.publicKey]]);
let n = 0;

test("checkpoints close every transaction exactly once, even one that commits late, and are signed", async () => {
  const a = await ensureAccount(db, {
    organisationId: (await createOrganisation(db, businessData())).id,
    purpose: "business_payments",
    currency: "KWD",
  });
  const b = await ensureAccount(db, {
    organisationId: (await createOrganisation(db, agencyData())).id,
    purpose: "agency_revenue",
    currency: "KWD",
  });
  const move = (tx: Parameters<typeof postTransaction>[1]) =>
    postTransaction(
      {
        idempotencyKey: `cp-${n++}`,
        kind: "fee",
        postings: [
          { accountId: a, amount: -5n },
          { accountId: b, amount: 5n },
        ],
      },
      tx,
    );

  await move(db);
  await move(db);
  // A writer that started before the checkpoint and commits after it.
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  const late = db.transaction(async (tx) => {
    await move(tx);
    await held;
  });
  await new Promise((r) => setTimeout(r, 100));
  // (Other test workers share the server, and their open transactions can hold
  // a checkpoint back; what must hold is: the late writer is never closed
  // early, and in the end everything is closed exactly once.)
  const first = await createCheckpoint(db, key);
  expect(first?.transactionCount ?? 0n).toBeLessThanOrEqual(2n);
  release();
  await late;
  await move(db);
  let closed = first?.transactionCount ?? 0n;
  for (let i = 0; i < 50 && closed < 4n; i++) {
    closed += (await createCheckpoint(db, key))?.transactionCount ?? 0n;
    if (closed < 4n) await new Promise((r) => setTimeout(r, 100));
  }
  expect(closed).toBe(4n); // two before, the late one, one after: each exactly once
  expect(await verifyCheckpoints(db, keys)).toMatchObject({ ok: true });

  // Another key's signature does not verify.
  const stranger = platformKeyFromPem(
    generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  );
  expect(await verifyCheckpoints(db, new Map([[key.keyId, stranger.publicKey]]))).toMatchObject({
    ok: false,
  });

  // Rewriting a closed transaction (guards off) breaks the checkpoint that closed it.
  await database.sql.begin(async (tx) => {
    await tx`alter table ledger_transactions disable trigger ledger_transactions_append_only`;
    await tx`update ledger_transactions set content_hash = repeat('a', 64) where idempotency_key = 'cp-0'`;
    await tx`alter table ledger_transactions enable trigger ledger_transactions_append_only`;
  });
  expect(await verifyCheckpoints(db, keys)).toMatchObject({ ok: false });
});
