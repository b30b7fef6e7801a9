import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { RouterContextProvider } from "react-router";
import { expect, test } from "vitest";
import type { Membership } from "#app/modules/accounts/actor.ts";
import { capturePayment, openPayment } from "#app/modules/payments/payment-ledger.server.ts";
import { receiptFor } from "#app/modules/receipts/receipt-data.server.ts";
import { loader as checkpointRoute } from "#app/routes/transparency.checkpoints.$checkpointId.ts";
import { type AppServices, servicesContext } from "#app/server/context.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { checkpointContents } from "./checkpoint-contents.server.ts";
import { createCheckpoint } from "./checkpoints.server.ts";
import { platformKeyFromPem } from "./platform-key.server.ts";

const database = testDatabase();
const { db } = database;
const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const key = platformKeyFromPem(pem);

/**
 * A verifier written from the published description only: it imports
 * nothing from the app, just node:crypto, and takes the JSON as anyone
 * downloading it would.
 */
function independentlyVerify(json: string): { ok: true } | { ok: false; why: string } {
  const c = JSON.parse(json) as Record<string, unknown> & {
    contentHashes: string[];
    publicKey: { keyId: string; pem: string } | null;
  };
  const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
  if (c.contentHashes.length !== Number(c.transactionCount)) return { ok: false, why: "count" };
  let h = c.previousHash as string;
  for (const content of c.contentHashes) h = sha256(h + content);
  if (h !== c.root) return { ok: false, why: "root" };
  // The statement, rebuilt by hand: keys in sorted order, numbers as strings, no spaces.
  const statement = JSON.stringify({
    keyId: c.keyId,
    previousHash: c.previousHash,
    root: c.root,
    statement: "shafaf-ledger-checkpoint-v1",
    transactionCount: c.transactionCount,
    xidFrom: c.xidFrom,
    xidTo: c.xidTo,
  });
  if (statement !== c.statement) return { ok: false, why: "statement" };
  if (sha256(statement) !== c.hash) return { ok: false, why: "hash" };
  if (!c.publicKey || c.publicKey.keyId !== c.keyId) return { ok: false, why: "key" };
  const signed = verify(
    null,
    Buffer.from(statement, "utf8"),
    createPublicKey(c.publicKey.pem),
    Buffer.from(c.signature as string, "base64"),
  );
  return signed ? { ok: true } : { ok: false, why: "signature" };
}

/** GET /transparency/checkpoints/:checkpointId through the route, as the JSON text served. */
async function fetchCheckpoint(checkpointId: string): Promise<{ status: number; text: string }> {
  const context = new RouterContextProvider();
  context.set(servicesContext, {
    database,
    env: { PLATFORM_SIGNING_KEY: pem, dataDir: "/nonexistent" },
  } as unknown as AppServices);
  const response = (await checkpointRoute({
    params: { checkpointId },
    context,
    request: new Request(`http://localhost/transparency/checkpoints/${checkpointId}`),
  } as unknown as Parameters<typeof checkpointRoute>[0])) as Response;
  return { status: response.status, text: await response.text() };
}

/** Checkpoint until one closes the given content hash (other workers' open transactions can hold one back). */
async function checkpointClosing(contentHash: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const made = await createCheckpoint(db, key);
    if (made) {
      const contents = await checkpointContents(made.id, db, key);
      if (contents!.contentHashes.includes(contentHash)) return made.id.toString();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no checkpoint closed the transaction");
}

test("a receipt can be checked against the published checkpoint with nothing but node:crypto", async () => {
  const business = await createOrganisation(db, businessData());
  const agency = await createOrganisation(db, agencyData());
  const owner = actorOf(await createUser(db), {
    organisationId: business.id,
    kind: "business",
    roles: ["owner"],
  } as Membership);
  const pay = async () => {
    const payment = await openPayment(
      {
        payerId: business.id,
        payeeId: agency.id,
        feeType: "tender_document",
        currency: "KWD",
        amount: 25_000n,
        method: "bank_transfer",
      },
      db,
    );
    await capturePayment({ paymentId: payment.id, actor: { userId: null } }, db);
    return receiptFor(owner, payment.reference, db, { baseUrl: "https://shafaf.example.test" });
  };

  // Two checkpoints, so the second chains from the first.
  const firstReceipt = await pay();
  const firstId = await checkpointClosing(firstReceipt.ledgerContentHash);
  const receipt = await pay();
  const id = await checkpointClosing(receipt.ledgerContentHash);
  expect(BigInt(id)).toBeGreaterThan(BigInt(firstId));

  // The receipt names the checkpoint, and the checkpoint lists the receipt.
  const named = await receiptFor(owner, receipt.number, db, { baseUrl: "https://x.test" });
  expect(named.checkpoint?.id).toBe(id);

  const served = await fetchCheckpoint(`${id}.json`);
  expect(served.status).toBe(200);
  expect(independentlyVerify(served.text)).toEqual({ ok: true });
  const published = JSON.parse(served.text);
  expect(published).toMatchObject({ id, hash: named.checkpoint!.hash, keyId: key.keyId });
  expect(published.contentHashes).toContain(receipt.ledgerContentHash);
  expect(await fetchCheckpoint(id)).toEqual(served); // with or without ".json"

  // The chain: a checkpoint starts from the hash of the one before it.
  const previous = await fetchCheckpoint((BigInt(id) - 1n).toString());
  expect(independentlyVerify(previous.text)).toEqual({ ok: true });
  expect(published.previousHash).toBe(JSON.parse(previous.text).hash);

  // Any change to what was published is caught.
  const tampered = (change: (c: typeof published) => void) => {
    const copy = structuredClone(published);
    change(copy);
    return independentlyVerify(JSON.stringify(copy));
  };
  expect(tampered((c) => c.contentHashes.reverse())).toMatchObject(
    published.contentHashes.length > 1 ? { ok: false, why: "root" } : { ok: true },
  );
  expect(tampered((c) => (c.contentHashes[0] = "f".repeat(64)))).toMatchObject({ ok: false, why: "root" });
  expect(tampered((c) => c.contentHashes.push("a".repeat(64)))).toMatchObject({ ok: false });
  expect(
    tampered((c) => {
      c.signature = Buffer.alloc(64).toString("base64");
    }),
  ).toMatchObject({ ok: false, why: "signature" });
  const stranger = platformKeyFromPem(
    generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  );
  expect(
    tampered((c) => {
      c.publicKey.pem = stranger.publicKeyPem;
    }),
  ).toMatchObject({ ok: false, why: "signature" });
});

test("an unknown or malformed checkpoint id is a 404", async () => {
  for (const bad of ["999999", "0", "abc", "1.xml", "-1", "1e3"]) {
    const { status, text } = await fetchCheckpoint(bad);
    expect(status).toBe(404);
    expect(JSON.parse(text)).toEqual({ error: "NOT_FOUND" });
  }
  expect(await checkpointContents(999_999n, db, key)).toBeNull();
});
