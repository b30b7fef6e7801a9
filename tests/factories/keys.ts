import { generateKeyPairSync, randomBytes } from "node:crypto";
import { bidMasterKeyFromRaw } from "#app/modules/bids/master-key.server.ts";
import type { SealingKeys } from "#app/modules/bids/submit-bid.server.ts";
import { platformKeyFromPem } from "#app/modules/ledger/platform-key.server.ts";

/** Fresh keys for a test: a bid master key and a platform signing key, never written anywhere. */
export function testSealingKeys(): SealingKeys {
  const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return { master: bidMasterKeyFromRaw(randomBytes(32)), platformKey: platformKeyFromPem(pem) };
}
