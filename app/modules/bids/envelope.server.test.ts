import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  digest,
  EnvelopeError,
  newDataKey,
  open,
  rewrapDataKey,
  seal,
  unwrapDataKey,
} from "./envelope.server.ts";
import { bidMasterKeyFromRaw } from "./master-key.server.ts";

const master = bidMasterKeyFromRaw(randomBytes(32));
const otherMaster = bidMasterKeyFromRaw(randomBytes(32));
const tenderId = "0192f6a4-7c1e-7d2a-9b1c-3f4e5d6c7b8a";
const aad = "bid:b-1:version:1:content";
const content = Buffer.from(
  JSON.stringify({ lots: [{ lot: 1, price: "QUITE-DISTINCTIVE-PRICE-4417.250 KWD" }], note: "عرض مختوم" }),
);

/** Flip one bit of the byte at `index`. */
function flipped(buffer: Buffer, index: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[index]! ^= 0x01;
  return copy;
}

describe("data keys", () => {
  test("a new data key unwraps, with its master key and tender, to the same key", () => {
    const made = newDataKey(master, tenderId);
    expect(made.masterKeyId).toBe(master.keyId);
    expect(Buffer.from(made.wrapped, "base64")).toHaveLength(12 + 16 + 32);
    const unwrapped = unwrapDataKey(master, made.wrapped, tenderId);
    expect(unwrapped.export().equals(made.key.export())).toBe(true);
    // What the key sealed, the unwrapped key opens.
    expect(open(unwrapped, seal(made.key, content, aad), aad).equals(content)).toBe(true);
  });

  test("each tender gets its own key, and wrapping twice never gives the same bytes", () => {
    const a = newDataKey(master, tenderId);
    const b = newDataKey(master, tenderId);
    expect(a.key.export().equals(b.key.export())).toBe(false);
    expect(a.wrapped).not.toBe(b.wrapped);
  });

  test("a wrapped data key is unusable with another master key", () => {
    const { wrapped } = newDataKey(master, tenderId);
    expect(() => unwrapDataKey(otherMaster, wrapped, tenderId)).toThrow(EnvelopeError);
  });

  test("a wrapped data key does not unwrap for another tender", () => {
    const { wrapped } = newDataKey(master, tenderId);
    expect(() => unwrapDataKey(master, wrapped, "another-tender")).toThrow(EnvelopeError);
  });

  test("a changed byte anywhere in a wrapped data key is detected", () => {
    const bytes = Buffer.from(newDataKey(master, tenderId).wrapped, "base64");
    for (const index of [0, 11, 12, 27, 28, bytes.length - 1]) {
      expect(() => unwrapDataKey(master, flipped(bytes, index).toString("base64"), tenderId)).toThrow(
        EnvelopeError,
      );
    }
    expect(() => unwrapDataKey(master, bytes.subarray(1).toString("base64"), tenderId)).toThrow(
      EnvelopeError,
    );
  });

  test("rotation re-wraps the same data key under the new master key; the old one no longer opens it", () => {
    const made = newDataKey(master, tenderId);
    const sealed = seal(made.key, content, aad);
    const rotated = rewrapDataKey(master, otherMaster, made.wrapped, tenderId);
    expect(rotated.masterKeyId).toBe(otherMaster.keyId);
    expect(rotated.masterKeyId).not.toBe(made.masterKeyId);
    const key = unwrapDataKey(otherMaster, rotated.wrapped, tenderId);
    expect(open(key, sealed, aad).equals(content)).toBe(true);
    expect(() => unwrapDataKey(master, rotated.wrapped, tenderId)).toThrow(EnvelopeError);
  });

  test("an empty context is refused: every key is bound to its tender", () => {
    expect(() => newDataKey(master, "")).toThrow(TypeError);
  });
});

describe("sealing", () => {
  const { key } = newDataKey(master, tenderId);

  test("round trip: what is sealed opens to the same bytes, for empty, small and large content", () => {
    for (const plaintext of [Buffer.alloc(0), content, randomBytes(3_000_000)]) {
      const sealed = seal(key, plaintext, aad);
      expect(sealed).toHaveLength(1 + 12 + 16 + plaintext.length);
      expect(sealed[0]).toBe(0x01);
      expect(open(key, sealed, aad).equals(plaintext)).toBe(true);
    }
  });

  test("the sealed bytes do not contain the plaintext", () => {
    const sealed = seal(key, content, aad);
    expect(sealed.includes(Buffer.from("QUITE-DISTINCTIVE-PRICE"))).toBe(false);
    expect(sealed.includes(Buffer.from("عرض مختوم"))).toBe(false);
    expect(sealed.toString("latin1")).not.toContain("DISTINCTIVE");
  });

  test("the same content sealed twice gives different bytes (a fresh IV each time)", () => {
    const a = seal(key, content, aad);
    const b = seal(key, content, aad);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(digest(a)).not.toBe(digest(b));
  });

  test("a flipped bit in the version, IV, tag or ciphertext makes opening fail", () => {
    const sealed = seal(key, content, aad);
    const positions = {
      version: 0,
      "iv start": 1,
      "iv end": 12,
      "tag start": 13,
      "tag end": 28,
      "ciphertext start": 29,
      "ciphertext end": sealed.length - 1,
    };
    for (const [where, index] of Object.entries(positions)) {
      expect(() => open(key, flipped(sealed, index), aad), where).toThrow(EnvelopeError);
    }
  });

  test("truncated or extended sealed bytes make opening fail", () => {
    const sealed = seal(key, content, aad);
    expect(() => open(key, sealed.subarray(0, sealed.length - 1), aad)).toThrow(EnvelopeError);
    expect(() => open(key, Buffer.concat([sealed, Buffer.of(0)]), aad)).toThrow(EnvelopeError);
    expect(() => open(key, sealed.subarray(0, 20), aad)).toThrow(EnvelopeError);
  });

  test("a ciphertext does not open under another bid, version or document", () => {
    const sealed = seal(key, content, aad);
    for (const other of [
      "bid:b-2:version:1:content",
      "bid:b-1:version:2:content",
      "bid:b-1:version:1:document:f-1",
    ])
      expect(() => open(key, sealed, other), other).toThrow(EnvelopeError);
  });

  test("a ciphertext does not open with another tender's data key", () => {
    const sealed = seal(key, content, aad);
    expect(() => open(newDataKey(master, "another-tender").key, sealed, aad)).toThrow(EnvelopeError);
  });

  test("an empty aad is refused: every ciphertext is bound to what it belongs to", () => {
    expect(() => seal(key, content, "")).toThrow(TypeError);
  });

  test("digest is the SHA-256 in lowercase hex", () => {
    expect(digest(Buffer.from("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});
