import { type PlatformKey, signStatement } from "#app/modules/ledger/platform-key.server.ts";
import {
  type BidReceiptFields,
  bidReceiptStatement,
  type PortableBidReceipt,
  type SignedBidReceipt,
  toPortableBidReceipt,
} from "./bid-receipt.ts";

/** Sign a bid receipt with the platform's Ed25519 key. Throws BidReceiptFieldError for a malformed field. */
export function signBidReceipt(key: PlatformKey, fields: BidReceiptFields): SignedBidReceipt {
  const statement = bidReceiptStatement(fields, key.keyId);
  return { statement, signature: signStatement(key, statement), keyId: key.keyId };
}

/** The signed receipt as the file the bidder downloads, with the public key that checks it. */
export function issueBidReceipt(key: PlatformKey, fields: BidReceiptFields): PortableBidReceipt {
  return toPortableBidReceipt(fields, signBidReceipt(key, fields), key.publicKeyPem);
}
