// npm run receipt:verify -- receipt.json [--public-key platform-key.pem]
//
// Check a downloaded bid receipt offline: that the platform's Ed25519 key
// signed exactly these fields. Without --public-key, the key inside the receipt
// is used (compare its id with the one on /transparency); with it, the given
// key (the platform key published on /transparency) is the one that counts.
// Exit 0: valid; 1: not valid; 2: the receipt or key file cannot be read.
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  type PortableBidReceipt,
  parseBidReceipt,
  publicKeyId,
  verifyBidReceipt,
} from "#app/modules/bids/bid-receipt.ts";

const USAGE = "usage: npm run receipt:verify -- <receipt.json> [--public-key <platform-key.pem>]";

function unreadable(message: string): never {
  console.error(`receipt:verify: ${message}`);
  process.exit(2);
}

function notValid(detail: string): never {
  console.error(`NOT VALID: ${detail}.`);
  console.error("This receipt does not prove that the platform received this bid.");
  process.exit(1);
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    unreadable(`cannot read the ${what} ${file}${code ? ` (${code})` : ""}`);
  }
}

function ed25519(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { "public-key": { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    unreadable(`${(e as Error).message}\n${USAGE}`);
  }
}

const args = parseCommandLine();
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) unreadable(`give one receipt file\n${USAGE}`);
const receiptFile = args.positionals[0]!;

let json: unknown;
try {
  json = JSON.parse(read(receiptFile, "receipt"));
} catch (e) {
  if (e instanceof SyntaxError) unreadable(`${receiptFile} is not JSON: ${e.message}`);
  throw e;
}
const parsed = parseBidReceipt(json);
if (!parsed.ok) unreadable(`${receiptFile} is not a Shafaf bid receipt: ${parsed.detail}`);
const receipt: PortableBidReceipt = parsed.receipt;

const embedded = ed25519(receipt.publicKey);
let key: KeyObject;
const keyFile = args.values["public-key"];
if (keyFile) {
  const given = ed25519(read(keyFile, "public key"));
  if (!given) unreadable(`${keyFile} is not an Ed25519 public key in PEM`);
  key = given;
  if (!embedded)
    console.warn("warning: the public key inside the receipt cannot be read; checking with the given key.");
  else if (publicKeyId(embedded) !== publicKeyId(given))
    console.warn(
      `warning: the receipt carries key ${publicKeyId(embedded)}, not the given key ${publicKeyId(given)}; ` +
        "checking with the given key.",
    );
} else {
  if (!embedded) notValid("the public key inside the receipt is not an Ed25519 public key");
  key = embedded;
}

const verdict = verifyBidReceipt(key, receipt);
if (!verdict.ok) notValid(verdict.detail);

console.log(`VALID: this bid receipt was signed by key ${verdict.keyId}.`);
console.log(`  tender          ${receipt.tenderReference}`);
console.log(`  bid             ${receipt.bidId}, version ${receipt.version}`);
console.log(`  bidder          ${receipt.bidderId}`);
console.log(`  received at     ${receipt.receivedAt} (UTC, the platform database's clock)`);
console.log(`  sealed SHA-256  ${receipt.sealedSha256}`);
if (!keyFile)
  console.log(
    "Checked with the public key inside the receipt. To be sure it is the platform's key, compare " +
      `${verdict.keyId} with the key id published on /transparency, or pass --public-key with that key.`,
  );
process.exit(0);
