import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "#app/utils/env.server.ts";
import { newDataKey, unwrapDataKey } from "./envelope.server.ts";
import { bidMasterKeyFile, bidMasterKeyFromRaw, loadBidMasterKey } from "./master-key.server.ts";

const dirs: string[] = [];
async function tempDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-bid-master-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (e) {
    if (e instanceof EnvError) return e.problems;
    throw e;
  }
  throw new Error("expected the configuration to be refused");
}

describe("generated master key", () => {
  test("is created once under DATA_DIR/keys, readable only by its owner, and reused", async () => {
    const dataDir = await tempDataDir();
    const first = await loadBidMasterKey({ dataDir, BID_MASTER_KEY: undefined });
    const file = bidMasterKeyFile(dataDir);
    expect(file).toBe(path.join(dataDir, "keys", "bid-master.key"));
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(Buffer.from((await fs.readFile(file, "utf8")).trim(), "base64")).toHaveLength(32);
    expect(first.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(first.key.symmetricKeySize).toBe(32);

    const again = await loadBidMasterKey({ dataDir, BID_MASTER_KEY: undefined });
    expect(again.keyId).toBe(first.keyId);
    const { wrapped } = newDataKey(first, "t-1");
    expect(() => unwrapDataKey(again, wrapped, "t-1")).not.toThrow();
    // No temporary files are left behind.
    expect(await fs.readdir(path.dirname(file))).toEqual(["bid-master.key"]);
  });

  test("processes starting at once agree on one key", async () => {
    const dataDir = await tempDataDir();
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => loadBidMasterKey({ dataDir, BID_MASTER_KEY: undefined })),
    );
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
  });

  test("a damaged key file stops the start instead of being replaced", async () => {
    const dataDir = await tempDataDir();
    await fs.mkdir(path.join(dataDir, "keys"), { recursive: true });
    await fs.writeFile(bidMasterKeyFile(dataDir), "not a key\n", { mode: 0o600 });
    await expect(loadBidMasterKey({ dataDir, BID_MASTER_KEY: undefined })).rejects.toThrow(
      /does not hold 32 bytes in base64/,
    );
    expect(await fs.readFile(bidMasterKeyFile(dataDir), "utf8")).toBe("not a key\n");
  });
});

describe("BID_MASTER_KEY", () => {
  test("when set, it is the key, and no file is written", async () => {
    const dataDir = await tempDataDir();
    const raw = randomBytes(32);
    const env = parseEnv({ BID_MASTER_KEY: raw.toString("base64"), DATA_DIR: dataDir });
    const key = await loadBidMasterKey(env);
    expect(key.keyId).toBe(bidMasterKeyFromRaw(raw).keyId);
    expect(key.key.export().equals(raw)).toBe(true);
    await expect(fs.stat(bidMasterKeyFile(dataDir))).rejects.toMatchObject({ code: "ENOENT" });
  });

  test("the key id names the key without revealing it, and differs between keys", () => {
    const raw = randomBytes(32);
    const id = bidMasterKeyFromRaw(raw).keyId;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(raw.toString("hex")).not.toContain(id);
    expect(bidMasterKeyFromRaw(randomBytes(32)).keyId).not.toBe(id);
  });

  test("a value that is not 32 bytes of base64 is refused by name, without echoing it", () => {
    for (const bad of [
      "c2hvcnQ=",
      randomBytes(32).toString("hex"),
      randomBytes(48).toString("base64"),
      `${randomBytes(32).toString("base64").slice(0, -1)}!`,
    ]) {
      const problems = problemsOf({ BID_MASTER_KEY: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^BID_MASTER_KEY must be 32 random bytes in base64/);
      expect(problems[0]).not.toContain(bad);
    }
  });

  test("empty means unset", () => {
    expect(parseEnv({ BID_MASTER_KEY: "" }).BID_MASTER_KEY).toBeUndefined();
  });
});
