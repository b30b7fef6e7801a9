import { createHash, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Env } from "#app/utils/env.server.ts";

/**
 * The master key of sealed bids: an AES-256 key that wraps (encrypts) each
 * tender's data key, never the bids themselves. See
 * docs/decisions/012-sealed-bids-envelope-encryption.md. Never log it.
 */
export interface BidMasterKey {
  /** A secret KeyObject of 32 bytes, for AES-256-GCM. */
  key: KeyObject;
  /** First 16 hex of SHA-256("shafaf-bid-master:" ‖ raw key): stored beside each key it wraps. */
  keyId: string;
}

const KEY_BYTES = 32;

export class BidMasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BidMasterKeyError";
  }
}

export function bidMasterKeyFromRaw(raw: Buffer): BidMasterKey {
  if (raw.length !== KEY_BYTES)
    throw new BidMasterKeyError(`the bid master key must be ${KEY_BYTES} bytes, not ${raw.length}`);
  return {
    key: createSecretKey(Buffer.from(raw)),
    keyId: createHash("sha256").update("shafaf-bid-master:").update(raw).digest("hex").slice(0, 16),
  };
}

function fromBase64(text: string, origin: string): BidMasterKey {
  const trimmed = text.trim();
  const raw = Buffer.from(trimmed, "base64");
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed) || raw.length !== KEY_BYTES)
    throw new BidMasterKeyError(`${origin} does not hold 32 bytes in base64; it may be damaged`);
  return bidMasterKeyFromRaw(raw);
}

/** Where the generated key lives when BID_MASTER_KEY is unset. */
export function bidMasterKeyFile(dataDir: string): string {
  return path.join(dataDir, "keys", "bid-master.key");
}

/**
 * The bid master key: BID_MASTER_KEY when set (required when several
 * instances run), otherwise generated once under DATA_DIR/keys/bid-master.key
 * (base64, one line, mode 0600 in a 0700 directory), readable only by its owner. A damaged file is an error,
 * never silently replaced: the bids sealed under it would be lost.
 */
export async function loadBidMasterKey(env: Pick<Env, "BID_MASTER_KEY" | "dataDir">): Promise<BidMasterKey> {
  if (env.BID_MASTER_KEY) return fromBase64(env.BID_MASTER_KEY, "BID_MASTER_KEY");
  const file = bidMasterKeyFile(env.dataDir);
  try {
    return fromBase64(await fs.readFile(file, "utf8"), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = `${randomBytes(KEY_BYTES).toString("base64")}\n`;
  // Written whole to a private temporary file, then linked into place: link
  // fails if the name exists, so two processes starting at once agree on one
  // key, and neither can read the other's file half-written.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  await fs.writeFile(temporary, text, { mode: 0o600, flag: "wx" });
  try {
    try {
      await fs.link(temporary, file);
    } catch (e) {
      // A file system without hard links: exclusive create, as the platform key does.
      if (!["EPERM", "ENOTSUP", "ENOSYS", "EOPNOTSUPP"].includes((e as NodeJS.ErrnoException).code ?? ""))
        throw e;
      await fs.writeFile(file, text, { mode: 0o600, flag: "wx" });
    }
    return fromBase64(text, file);
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST")
      return fromBase64(await fs.readFile(file, "utf8"), file);
    throw e;
  } finally {
    await fs.rm(temporary, { force: true });
  }
}
