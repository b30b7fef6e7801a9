import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";

/**
 * A bid receipt: what the platform signs when it accepts a sealed bid, and
 * the portable JSON the bidder downloads. Pure: checking a receipt needs only
 * the platform's public key (published on /transparency), so the public page
 * and `npm run receipt:verify` both use this file. Signing is in
 * bid-receipt.server.ts.
 */

export const BID_RECEIPT_FORMAT = "shafaf-bid-receipt/1";
const STATEMENT_HEADER = "shafaf-bid-receipt:v1";

export interface BidReceiptFields {
  /** The tender's public reference. */
  tenderReference: string;
  bidId: string;
  /** The bid's version: 1, then one more each time the bidder replaces it before the deadline. */
  version: number;
  /** The bidding organisation's id. */
  bidderId: string;
  /** The database time of receipt, UTC, with microseconds: `2026-03-01T09:15:42.123456Z`. */
  receivedAt: string;
  /** SHA-256 (hex) of the sealed content, as stored. */
  sealedSha256: string;
}

export interface SignedBidReceipt {
  /** The exact text that was signed (bidReceiptStatement). */
  statement: string;
  /** Ed25519 signature of the statement's UTF-8 bytes, base64. */
  signature: string;
  /** The platform key's id (first 16 hex of SHA-256 of its DER public key). */
  keyId: string;
}

/** The file a bidder downloads: self-contained, checkable offline. */
export interface PortableBidReceipt extends BidReceiptFields, SignedBidReceipt {
  format: typeof BID_RECEIPT_FORMAT;
  /** The platform's public key (PEM, SPKI) that signed it. */
  publicKey: string;
}

/**
 * The format of `receivedAt`. Take it from PostgreSQL as text, never through a
 * JS Date (which keeps only milliseconds):
 * `to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.
 */
export const RECEIVED_AT_SQL_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';
const RECEIVED_AT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{16}$/;
/** A value that fits on one statement line: printable, no line breaks, no surrounding spaces. */
const LINE_VALUE =
  /^[^\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}](?:[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{0,198}[^\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}])?$/u;

export class BidReceiptFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
    this.name = "BidReceiptFieldError";
  }
}

function checkFields(fields: BidReceiptFields, keyId: string): void {
  for (const name of ["tenderReference", "bidId", "bidderId"] as const) {
    const value = fields[name];
    if (typeof value !== "string" || !LINE_VALUE.test(value))
      throw new BidReceiptFieldError(name, "must be 1 to 200 printable characters on one line");
  }
  if (!Number.isSafeInteger(fields.version) || fields.version < 1)
    throw new BidReceiptFieldError("version", "must be a whole number from 1");
  if (typeof fields.receivedAt !== "string" || !RECEIVED_AT.test(fields.receivedAt))
    throw new BidReceiptFieldError(
      "receivedAt",
      "must be UTC with microseconds, like 2026-03-01T09:15:42.123456Z",
    );
  if (typeof fields.sealedSha256 !== "string" || !SHA256_HEX.test(fields.sealedSha256))
    throw new BidReceiptFieldError("sealedSha256", "must be 64 lowercase hexadecimal digits");
  if (typeof keyId !== "string" || !KEY_ID.test(keyId))
    throw new BidReceiptFieldError("keyId", "must be 16 lowercase hexadecimal digits");
}

/**
 * The exact text that is signed: one `name:value` line each, in this order,
 * ending with a newline. Throws BidReceiptFieldError for a value that does not
 * fit its line, so that no two receipts can ever share a statement.
 */
export function bidReceiptStatement(fields: BidReceiptFields, keyId: string): string {
  checkFields(fields, keyId);
  return [
    STATEMENT_HEADER,
    `tender:${fields.tenderReference}`,
    `bid:${fields.bidId}`,
    `version:${fields.version}`,
    `bidder:${fields.bidderId}`,
    `received-at:${fields.receivedAt}`,
    `sealed-sha256:${fields.sealedSha256}`,
    `key:${keyId}`,
    "",
  ].join("\n");
}

/** A key id as the platform names its keys: first 16 hex of SHA-256 of the DER (SPKI) public key. */
export function publicKeyId(publicKey: KeyObject | string): string {
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  return createHash("sha256")
    .update(key.export({ format: "der", type: "spki" }))
    .digest("hex")
    .slice(0, 16);
}

export function toPortableBidReceipt(
  fields: BidReceiptFields,
  signed: SignedBidReceipt,
  publicKeyPem: string,
): PortableBidReceipt {
  return {
    format: BID_RECEIPT_FORMAT,
    tenderReference: fields.tenderReference,
    bidId: fields.bidId,
    version: fields.version,
    bidderId: fields.bidderId,
    receivedAt: fields.receivedAt,
    sealedSha256: fields.sealedSha256,
    statement: signed.statement,
    signature: signed.signature,
    keyId: signed.keyId,
    publicKey: publicKeyPem,
  };
}

/** The downloadable file's text (pretty JSON, fixed key order, final newline). */
export function serializeBidReceipt(receipt: PortableBidReceipt): string {
  return `${JSON.stringify(toPortableBidReceipt(receipt, receipt, receipt.publicKey), null, 2)}\n`;
}

/** A downloaded file read back: its shape only. Whether it is genuine is verifyBidReceipt's question. */
export function parseBidReceipt(
  json: unknown,
): { ok: true; receipt: PortableBidReceipt } | { ok: false; detail: string } {
  if (json === null || typeof json !== "object" || Array.isArray(json))
    return { ok: false, detail: "it is not a JSON object" };
  const r = json as Record<string, unknown>;
  if (r.format !== BID_RECEIPT_FORMAT)
    return { ok: false, detail: `its format is not "${BID_RECEIPT_FORMAT}"` };
  const strings = [
    "tenderReference",
    "bidId",
    "bidderId",
    "receivedAt",
    "sealedSha256",
    "statement",
    "signature",
    "keyId",
    "publicKey",
  ] as const;
  const missing = [
    ...strings.filter((k) => typeof r[k] !== "string"),
    ...(typeof r.version === "number" ? [] : ["version"]),
  ];
  if (missing.length > 0) return { ok: false, detail: `it lacks ${missing.join(", ")}` };
  const receipt = r as unknown as PortableBidReceipt;
  return { ok: true, receipt: toPortableBidReceipt(receipt, receipt, receipt.publicKey) };
}

export type BidReceiptVerdict =
  | { ok: true; keyId: string }
  | {
      ok: false;
      /**
       * malformed: a field does not have its form; statement-mismatch: the
       * fields are not those that were signed; wrong-key: signed with another
       * key than the one checked against; bad-signature: not signed by that key.
       */
      problem: "malformed" | "statement-mismatch" | "wrong-key" | "bad-signature";
      detail: string;
    };

/**
 * Check a receipt against a public key: its fields must give exactly the
 * statement it carries, its key id must be that key's, and the signature must
 * be that key's signature of the statement.
 */
export function verifyBidReceipt(
  publicKey: string | KeyObject,
  receipt: BidReceiptFields & SignedBidReceipt,
): BidReceiptVerdict {
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  if (key.asymmetricKeyType !== "ed25519")
    throw new TypeError("a bid receipt is checked with an Ed25519 key");
  let statement: string;
  try {
    statement = bidReceiptStatement(receipt, receipt.keyId);
  } catch (e) {
    if (e instanceof BidReceiptFieldError)
      return { ok: false, problem: "malformed", detail: `the receipt's ${e.message}` };
    throw e;
  }
  if (statement !== receipt.statement)
    return {
      ok: false,
      problem: "statement-mismatch",
      detail: `its fields do not match the signed statement (${differences(statement, receipt.statement)})`,
    };
  const keyId = publicKeyId(key);
  if (receipt.keyId !== keyId)
    return {
      ok: false,
      problem: "wrong-key",
      detail: `it names key ${receipt.keyId}, but the key checked against is ${keyId}`,
    };
  let valid = false;
  try {
    valid = verify(null, Buffer.from(statement, "utf8"), key, Buffer.from(receipt.signature, "base64"));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, problem: "bad-signature", detail: `the signature is not key ${keyId}'s` };
  return { ok: true, keyId };
}

/** Which statement lines differ, by name: for a message a person can act on. */
function differences(expected: string, given: string): string {
  const a = expected.split("\n");
  const b = given.split("\n");
  const names = new Set<string>();
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) names.add((a[i] ?? b[i] ?? "").split(":")[0] || `line ${i + 1}`);
  return `differs in: ${[...names].join(", ")}`;
}
