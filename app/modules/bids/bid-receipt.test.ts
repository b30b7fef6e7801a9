import { describe, expect, test } from "vitest";
import {
  BID_RECEIPT_FORMAT,
  type BidReceiptFields,
  bidReceiptStatement,
  parseBidReceipt,
  RECEIVED_AT_SQL_FORMAT,
} from "./bid-receipt.ts";

const fields: BidReceiptFields = {
  tenderReference: "MOH-2026-00042",
  bidId: "0192f6a4-7c1e-7d2a-9b1c-3f4e5d6c7b8a",
  version: 2,
  bidderId: "0192f6a4-0000-7000-8000-000000000b1d",
  receivedAt: "2026-03-01T09:15:42.123456Z",
  sealedSha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
};
const keyId = "0123456789abcdef";

describe("the signed statement", () => {
  test("is this exact text for these fields (changing it breaks every receipt already issued)", () => {
    expect(bidReceiptStatement(fields, keyId)).toBe(
      [
        "shafaf-bid-receipt:v1",
        "tender:MOH-2026-00042",
        "bid:0192f6a4-7c1e-7d2a-9b1c-3f4e5d6c7b8a",
        "version:2",
        "bidder:0192f6a4-0000-7000-8000-000000000b1d",
        "received-at:2026-03-01T09:15:42.123456Z",
        "sealed-sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "key:0123456789abcdef",
        "",
      ].join("\n"),
    );
  });

  test("keeps a tender reference in Arabic or with spaces as it is", () => {
    const statement = bidReceiptStatement({ ...fields, tenderReference: "وزارة الصحة 2026/42" }, keyId);
    expect(statement.split("\n")[1]).toBe("tender:وزارة الصحة 2026/42");
  });

  test.each([
    ["tenderReference", "MOH\nbid:forged"],
    ["tenderReference", ""],
    ["tenderReference", " MOH-1"],
    ["tenderReference", "MOH-\u202e1"],
    ["bidId", "b\r1"],
    ["bidderId", "x".repeat(201)],
    ["version", 0],
    ["version", 1.5],
    ["receivedAt", "2026-03-01T09:15:42.123Z"],
    ["receivedAt", "2026-03-01T09:15:42.123456+03:00"],
    ["receivedAt", "2026-13-01T09:15:42.123456Z"],
    ["sealedSha256", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"],
    ["sealedSha256", "abc"],
  ])("refuses %s = %j, which would not fit its line", (field, value) => {
    expect(() => bidReceiptStatement({ ...fields, [field]: value }, keyId)).toThrow(
      expect.objectContaining({ name: "BidReceiptFieldError", field }),
    );
  });

  test("refuses a key id that is not 16 hex digits", () => {
    expect(() => bidReceiptStatement(fields, "KEY")).toThrow(/keyId/);
  });

  test("the SQL format for received-at gives microseconds in UTC", () => {
    expect(RECEIVED_AT_SQL_FORMAT).toBe('YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  });
});

describe("reading a downloaded receipt", () => {
  const file = {
    format: BID_RECEIPT_FORMAT,
    ...fields,
    statement: "s",
    signature: "c2ln",
    keyId,
    publicKey: "-----BEGIN PUBLIC KEY-----",
  };

  test("takes the known fields and nothing else", () => {
    const parsed = parseBidReceipt({ ...file, extra: "ignored" });
    expect(parsed).toEqual({ ok: true, receipt: file });
  });

  test("names what is missing or of the wrong kind", () => {
    expect(parseBidReceipt([])).toEqual({ ok: false, detail: "it is not a JSON object" });
    expect(parseBidReceipt({ ...file, format: "other/1" })).toEqual({
      ok: false,
      detail: 'its format is not "shafaf-bid-receipt/1"',
    });
    const { signature: _s, ...unsigned } = file;
    expect(parseBidReceipt({ ...unsigned, version: "2" })).toEqual({
      ok: false,
      detail: "it lacks signature, version",
    });
  });
});
