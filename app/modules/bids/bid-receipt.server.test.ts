import { generateKeyPairSync } from "node:crypto";
import { describe, expect, test } from "vitest";
import { platformKeyFromPem } from "#app/modules/ledger/platform-key.server.ts";
import { issueBidReceipt, signBidReceipt } from "./bid-receipt.server.ts";
import {
  type BidReceiptFields,
  parseBidReceipt,
  publicKeyId,
  serializeBidReceipt,
  verifyBidReceipt,
} from "./bid-receipt.ts";
import { digest } from "./envelope.server.ts";

const newKey = () =>
  platformKeyFromPem(
    generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  );
const platform = newKey();
const stranger = newKey();

const fields: BidReceiptFields = {
  tenderReference: "MOH-2026-00042",
  bidId: "0192f6a4-7c1e-7d2a-9b1c-3f4e5d6c7b8a",
  version: 1,
  bidderId: "0192f6a4-0000-7000-8000-000000000b1d",
  receivedAt: "2026-03-01T09:15:42.123456Z",
  sealedSha256: digest(Buffer.from("sealed bytes")),
};

describe("bid receipts", () => {
  test("round trip: a signed receipt verifies with the platform key, as PEM or KeyObject", () => {
    const signed = signBidReceipt(platform, fields);
    expect(signed.keyId).toBe(platform.keyId);
    expect(signed.statement).toContain(`key:${platform.keyId}\n`);
    expect(verifyBidReceipt(platform.publicKeyPem, { ...fields, ...signed })).toEqual({
      ok: true,
      keyId: platform.keyId,
    });
    expect(verifyBidReceipt(platform.publicKey, { ...fields, ...signed }).ok).toBe(true);
  });

  test("the downloaded file reads back and verifies with the key it carries", () => {
    const receipt = issueBidReceipt(platform, fields);
    expect(receipt.format).toBe("shafaf-bid-receipt/1");
    expect(receipt.publicKey).toBe(platform.publicKeyPem);
    expect(publicKeyId(receipt.publicKey)).toBe(platform.keyId);
    const text = serializeBidReceipt(receipt);
    expect(Object.keys(JSON.parse(text))).toEqual([
      "format",
      "tenderReference",
      "bidId",
      "version",
      "bidderId",
      "receivedAt",
      "sealedSha256",
      "statement",
      "signature",
      "keyId",
      "publicKey",
    ]);
    const parsed = parseBidReceipt(JSON.parse(text));
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(parsed.receipt).toEqual(receipt);
    expect(verifyBidReceipt(parsed.receipt.publicKey, parsed.receipt).ok).toBe(true);
  });

  const changes: Array<[keyof BidReceiptFields, string | number, string]> = [
    ["tenderReference", "MOH-2026-00043", "tender"],
    ["bidId", "0192f6a4-7c1e-7d2a-9b1c-3f4e5d6c7b8b", "bid"],
    ["version", 2, "version"],
    ["bidderId", "0192f6a4-0000-7000-8000-000000000b1e", "bidder"],
    ["receivedAt", "2026-03-01T09:15:42.123455Z", "received-at"],
    ["sealedSha256", digest(Buffer.from("other bytes")), "sealed-sha256"],
  ];

  test.each(changes)("a changed %s fails, naming the field", (field, value, line) => {
    const receipt = issueBidReceipt(platform, fields);
    const verdict = verifyBidReceipt(platform.publicKeyPem, { ...receipt, [field]: value });
    expect(verdict).toEqual({
      ok: false,
      problem: "statement-mismatch",
      detail: `its fields do not match the signed statement (differs in: ${line})`,
    });
  });

  test.each(changes)(
    "a changed %s with a statement rewritten to match fails on the signature",
    (field, value) => {
      const receipt = issueBidReceipt(platform, fields);
      const forged = { ...receipt, [field]: value };
      const { statement } = signBidReceipt(stranger, forged);
      const rewritten = statement.replace(`key:${stranger.keyId}`, `key:${platform.keyId}`);
      expect(verifyBidReceipt(platform.publicKeyPem, { ...forged, statement: rewritten })).toMatchObject({
        ok: false,
        problem: "bad-signature",
      });
    },
  );

  test("a malformed field fails as malformed", () => {
    const receipt = issueBidReceipt(platform, fields);
    expect(verifyBidReceipt(platform.publicKeyPem, { ...receipt, sealedSha256: "xyz" })).toMatchObject({
      ok: false,
      problem: "malformed",
    });
  });

  test("a changed signature fails", () => {
    const receipt = issueBidReceipt(platform, fields);
    const sig = Buffer.from(receipt.signature, "base64");
    sig[10]! ^= 0x01;
    expect(
      verifyBidReceipt(platform.publicKeyPem, { ...receipt, signature: sig.toString("base64") }),
    ).toMatchObject({ ok: false, problem: "bad-signature" });
    expect(
      verifyBidReceipt(platform.publicKeyPem, { ...receipt, signature: "not base64 at all" }),
    ).toMatchObject({
      ok: false,
      problem: "bad-signature",
    });
  });

  test("a receipt signed by another key fails against the platform key", () => {
    const forged = issueBidReceipt(stranger, fields);
    // It carries the stranger's key, so on its own it is consistent...
    expect(verifyBidReceipt(forged.publicKey, forged).ok).toBe(true);
    // ...but not against the platform's published key,
    expect(verifyBidReceipt(platform.publicKeyPem, forged)).toMatchObject({
      ok: false,
      problem: "wrong-key",
    });
    // even when it claims the platform's key id.
    const claimed = {
      ...forged,
      keyId: platform.keyId,
      statement: forged.statement.replace(stranger.keyId, platform.keyId),
    };
    expect(verifyBidReceipt(platform.publicKeyPem, claimed)).toMatchObject({
      ok: false,
      problem: "bad-signature",
    });
  });

  test("a malformed field is refused when signing", () => {
    expect(() => signBidReceipt(platform, { ...fields, receivedAt: "2026-03-01T09:15:42Z" })).toThrow(
      /receivedAt/,
    );
  });
});
