import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { ledgerCheckpoints, ledgerTransactions } from "#db/schema/index.ts";
import { checkpointStatement } from "./checkpoints.server.ts";
import type { PlatformKey } from "./platform-key.server.ts";

/**
 * Everything needed to check a published checkpoint without trusting
 * Shafaf: its signed statement, the content hashes of the ledger
 * transactions it closes in ledger order, and the platform's public key.
 * A receipt's content hash found in `contentHashes` is proven to be part of
 * the books as they were signed. All of it is public (hashes reveal nothing
 * about who paid).
 */
export interface CheckpointContents {
  id: string;
  xidFrom: string;
  xidTo: string;
  transactionCount: string;
  previousHash: string;
  root: string;
  hash: string;
  /** Base64 Ed25519 signature over `statement`. */
  signature: string;
  keyId: string;
  createdAt: string;
  /** The exact text that was hashed (`hash`) and signed (`signature`). */
  statement: string;
  /** SHA-256 content hashes of the closed transactions, in ledger (seq) order. */
  contentHashes: string[];
  /** The platform key that signed it; null if the checkpoint was signed with a key no longer in use. */
  publicKey: { keyId: string; pem: string } | null;
  /** The checks, in words, for someone writing their own verifier. */
  howToVerify: string[];
}

const HOW_TO_VERIFY = [
  "root: start with h = previousHash; for each entry c of contentHashes in order, h = hex(SHA-256(h + c)) where h and c are their 64-character lowercase hexadecimal texts; the final h must equal root, and contentHashes must have transactionCount entries.",
  "hash: hex(SHA-256(statement)) must equal hash. The statement is canonical JSON (keys sorted, no spaces) of statement, xidFrom, xidTo, transactionCount, root, previousHash and keyId, with numbers as strings.",
  "signature: verify the Ed25519 signature (base64) of the statement's UTF-8 bytes with the public key (SPKI PEM) whose keyId is named in the statement.",
  "chain: previousHash must equal the hash of the checkpoint before this one (64 zeros for the first).",
];

export async function checkpointContents(
  id: bigint,
  db: Queryable,
  key: Pick<PlatformKey, "keyId" | "publicKeyPem">,
): Promise<CheckpointContents | null> {
  const [c] = await db.select().from(ledgerCheckpoints).where(eq(ledgerCheckpoints.id, id));
  if (!c) return null;
  const rows = await db
    .select({ h: ledgerTransactions.contentHash })
    .from(ledgerTransactions)
    .where(and(gte(ledgerTransactions.createdXid, c.xidFrom), lt(ledgerTransactions.createdXid, c.xidTo)))
    .orderBy(asc(ledgerTransactions.seq));
  return {
    id: c.id.toString(),
    xidFrom: c.xidFrom.toString(),
    xidTo: c.xidTo.toString(),
    transactionCount: c.transactionCount.toString(),
    previousHash: c.previousHash,
    root: c.root,
    hash: c.hash,
    signature: c.signature,
    keyId: c.keyId,
    createdAt: c.createdAt.toISOString(),
    statement: checkpointStatement(c),
    contentHashes: rows.map((r) => r.h),
    publicKey: key.keyId === c.keyId ? { keyId: key.keyId, pem: key.publicKeyPem } : null,
    howToVerify: HOW_TO_VERIFY,
  };
}
