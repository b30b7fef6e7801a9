import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import type { BidMasterKey } from "./master-key.server.ts";

/**
 * Envelope encryption of sealed bids (docs/decisions/012): each tender has
 * its own random AES-256 data key, stored only wrapped (encrypted) by the
 * master key; bid content and documents are sealed with the data key. Pure
 * crypto: no database, no files. AES-256-GCM throughout, with a fresh random
 * 96-bit IV per encryption.
 *
 * Documents are sealed whole, in memory (no streaming variant): uploads are
 * limited by UPLOAD_MAX_BYTES (25 MB by default), and GCM cannot release any
 * plaintext before the tag is checked at the end anyway.
 */

const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed buffer: the format (v1 = AES-256-GCM, layout below). */
const SEALED_V1 = 0x01;
const DATA_KEY_AAD = "shafaf:tender-data-key:v1:";

/** Decryption failed: wrong key, wrong context, or the bytes were changed. Says nothing more, on purpose. */
export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeError";
  }
}

export interface NewDataKey {
  /** The data key itself, for immediate use; never store it. */
  key: KeyObject;
  /** base64(iv ‖ tag ‖ ciphertext): the data key encrypted by the master key. Store this. */
  wrapped: string;
  /** The master key that wrapped it: store beside `wrapped`, so rotation knows what to re-wrap. */
  masterKeyId: string;
}

function requireContext(what: string, value: string): void {
  if (value.length === 0)
    throw new TypeError(`${what} must not be empty: it binds the ciphertext to its owner`);
}

function requireAesKey(key: KeyObject): void {
  if (key.type !== "secret" || key.symmetricKeySize !== KEY_BYTES)
    throw new TypeError("expected a 32-byte secret key (AES-256)");
}

function encrypt(
  key: KeyObject,
  plaintext: Buffer,
  aad: Buffer,
): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  requireAesKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function decrypt(key: KeyObject, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer {
  requireAesKey(key);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new EnvelopeError("cannot decrypt: wrong key or context, or the sealed bytes were changed");
  }
}

const dataKeyAad = (context: string) => Buffer.from(DATA_KEY_AAD + context, "utf8");

function wrap(master: BidMasterKey, raw: Buffer, context: string): string {
  const { iv, tag, ciphertext } = encrypt(master.key, raw, dataKeyAad(context));
  return Buffer.concat([iv, tag, ciphertext]).toString("base64");
}

/**
 * A fresh data key for one tender, wrapped by the master key. `context` is the
 * tender's id: a wrapped key only unwraps for the tender it was made for.
 */
export function newDataKey(master: BidMasterKey, context: string): NewDataKey {
  requireContext("the data key's context", context);
  const raw = randomBytes(KEY_BYTES);
  try {
    return { key: createSecretKey(raw), wrapped: wrap(master, raw, context), masterKeyId: master.keyId };
  } finally {
    raw.fill(0);
  }
}

/** The data key inside `wrapped`; throws EnvelopeError for another master key, another context, or changed bytes. */
export function unwrapDataKey(master: BidMasterKey, wrapped: string, context: string): KeyObject {
  requireContext("the data key's context", context);
  const bytes = Buffer.from(wrapped, "base64");
  if (bytes.length !== IV_BYTES + TAG_BYTES + KEY_BYTES) throw new EnvelopeError("not a wrapped data key");
  const raw = decrypt(
    master.key,
    bytes.subarray(0, IV_BYTES),
    bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    bytes.subarray(IV_BYTES + TAG_BYTES),
    dataKeyAad(context),
  );
  try {
    return createSecretKey(raw);
  } finally {
    raw.fill(0);
  }
}

/**
 * Key rotation: the same data key, unwrapped with the old master key and
 * wrapped with the new one. The bids it sealed stay as they are.
 */
export function rewrapDataKey(
  from: BidMasterKey,
  to: BidMasterKey,
  wrapped: string,
  context: string,
): { wrapped: string; masterKeyId: string } {
  const raw = unwrapDataKey(from, wrapped, context).export();
  try {
    return { wrapped: wrap(to, raw, context), masterKeyId: to.keyId };
  } finally {
    raw.fill(0);
  }
}

const sealAad = (aad: string) => Buffer.concat([Buffer.of(SEALED_V1), Buffer.from(aad, "utf8")]);

/**
 * Encrypt `plaintext` with a data key: `0x01 ‖ iv(12) ‖ tag(16) ‖ ciphertext`.
 * `aad` names what is sealed (e.g. `bid:<id>:version:<n>:content` or
 * `…:document:<file id>`): the same `aad` is needed to open it, so a
 * ciphertext cannot be moved to another bid, version or document.
 */
export function seal(dataKey: KeyObject, plaintext: Buffer, aad: string): Buffer {
  requireContext("aad", aad);
  const { iv, tag, ciphertext } = encrypt(dataKey, plaintext, sealAad(aad));
  return Buffer.concat([Buffer.of(SEALED_V1), iv, tag, ciphertext]);
}

/** The plaintext of a sealed buffer; throws EnvelopeError for a wrong key or aad, or any changed byte. */
export function open(dataKey: KeyObject, sealed: Buffer, aad: string): Buffer {
  requireContext("aad", aad);
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEALED_V1)
    throw new EnvelopeError("not a sealed buffer of a known format");
  const ivEnd = 1 + IV_BYTES;
  return decrypt(
    dataKey,
    sealed.subarray(1, ivEnd),
    sealed.subarray(ivEnd, ivEnd + TAG_BYTES),
    sealed.subarray(ivEnd + TAG_BYTES),
    sealAad(aad),
  );
}

/** SHA-256 as lowercase hex: what a bid receipt names (of the sealed bytes, as stored). */
export function digest(buffer: Buffer): string {
  return createHash("sha256").update(buffer).digest("hex");
}
