import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Env } from "#app/utils/env.server.ts";

export interface PlatformKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex of SHA-256 of the raw public key: names the key in what it signs. */
  keyId: string;
  /** The public key as PEM, for anyone who wants to check a signature. */
  publicKeyPem: string;
}

export function platformKeyFromPem(pem: string): PlatformKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("the platform signing key must be Ed25519");
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: "der", type: "spki" });
  return {
    privateKey,
    publicKey,
    keyId: createHash("sha256").update(raw).digest("hex").slice(0, 16),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

/**
 * The platform's signing key: PLATFORM_SIGNING_KEY when set (required when
 * several instances run), otherwise generated once under DATA_DIR/keys,
 * readable only by its owner.
 */
export async function loadPlatformKey(
  env: Pick<Env, "PLATFORM_SIGNING_KEY" | "dataDir">,
): Promise<PlatformKey> {
  if (env.PLATFORM_SIGNING_KEY) return platformKeyFromPem(env.PLATFORM_SIGNING_KEY);
  const file = path.join(env.dataDir, "keys", "platform-ed25519.pem");
  try {
    return platformKeyFromPem(await fs.readFile(file, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  try {
    await fs.writeFile(file, pem, { mode: 0o600, flag: "wx" });
    return platformKeyFromPem(pem);
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST")
      return platformKeyFromPem(await fs.readFile(file, "utf8"));
    throw e;
  }
}

export function signStatement(key: PlatformKey, statement: string): string {
  return sign(null, Buffer.from(statement), key.privateKey).toString("base64");
}

export function verifyStatement(publicKey: KeyObject, statement: string, signature: string): boolean {
  return verify(null, Buffer.from(statement), publicKey, Buffer.from(signature, "base64"));
}
