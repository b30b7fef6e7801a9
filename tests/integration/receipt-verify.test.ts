import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { issueBidReceipt } from "#app/modules/bids/bid-receipt.server.ts";
import { serializeBidReceipt } from "#app/modules/bids/bid-receipt.ts";
import { platformKeyFromPem } from "#app/modules/ledger/platform-key.server.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "shafaf-receipt-verify-"));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const verify = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/receipt-verify.ts", ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: "utf8",
    timeout: 60_000,
  });
const newKey = () =>
  platformKeyFromPem(
    generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  );

const platform = newKey();
const receipt = issueBidReceipt(platform, {
  tenderReference: "MOH-2026-00042",
  bidId: "0192f6a4-7c1e-7d2a-9b1c-3f4e5d6c7b8a",
  version: 1,
  bidderId: "0192f6a4-0000-7000-8000-000000000b1d",
  receivedAt: "2026-03-01T09:15:42.123456Z",
  sealedSha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
});
const good = write("good.json", serializeBidReceipt(receipt));
const platformPem = write("platform.pem", platform.publicKeyPem);

test("npm run receipt:verify accepts a genuine receipt, with its own key or the published one", () => {
  const own = verify(good);
  expect(own.stderr).toBe("");
  expect(own.stdout).toContain(`VALID: this bid receipt was signed by key ${platform.keyId}.`);
  expect(own.stdout).toContain("received at     2026-03-01T09:15:42.123456Z");
  expect(own.stdout).toContain("compare");
  expect(own.status).toBe(0);

  const published = verify(good, "--public-key", platformPem);
  expect(published.stderr).toBe("");
  expect(published.stdout).toContain(`VALID: this bid receipt was signed by key ${platform.keyId}.`);
  expect(published.status).toBe(0);
});

test("npm run receipt:verify refuses a tampered receipt, naming what changed", () => {
  const tampered = write(
    "tampered.json",
    serializeBidReceipt({ ...receipt, receivedAt: "2026-03-01T09:15:41.123456Z" }),
  );
  const result = verify(tampered);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain(
    "NOT VALID: its fields do not match the signed statement (differs in: received-at).",
  );
  expect(result.status).toBe(1);
});

test("npm run receipt:verify warns about, and refuses, a receipt signed by a key other than the published one", () => {
  const stranger = newKey();
  const forged = issueBidReceipt(stranger, receipt);
  const file = write("forged.json", serializeBidReceipt(forged));
  expect(verify(file).status).toBe(0); // consistent with the key it carries...
  const result = verify(file, "--public-key", platformPem); // ...but not the platform's
  expect(result.stderr).toContain(
    `warning: the receipt carries key ${stranger.keyId}, not the given key ${platform.keyId}`,
  );
  expect(result.stderr).toContain(
    `NOT VALID: it names key ${stranger.keyId}, but the key checked against is ${platform.keyId}`,
  );
  expect(result.status).toBe(1);
});

test("npm run receipt:verify exits 2 for input it cannot read", () => {
  const missing = verify(path.join(dir, "nowhere.json"));
  expect(missing.stderr).toContain("cannot read the receipt");
  expect(missing.status).toBe(2);
  expect(verify(write("junk.json", "{ not json")).status).toBe(2);
  const other = verify(write("other.json", JSON.stringify({ format: "something-else" })));
  expect(other.stderr).toContain("is not a Shafaf bid receipt");
  expect(other.status).toBe(2);
  expect(verify(good, "--public-key", write("bad.pem", "nope")).status).toBe(2);
  expect(verify().status).toBe(2);
});
