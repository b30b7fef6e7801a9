import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { EmbeddedPostgresError, startEmbeddedPostgres } from "./embedded-postgres.ts";

test("a port held by another program is named in the message", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-pgport-"));
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const attempt = startEmbeddedPostgres({
      dataDir: path.join(dir, "postgres"),
      passwordFile: path.join(dir, "postgres.password"),
      port,
    });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedPostgresError);
    await expect(attempt).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
  } finally {
    blocker.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test("a second start on the same data directory joins the running server instead of failing", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-pgjoin-"));
  const free = net.createServer();
  await new Promise<void>((r) => free.listen(0, "127.0.0.1", () => r()));
  const port = (free.address() as net.AddressInfo).port;
  await new Promise((r) => free.close(r));
  const options = { dataDir: path.join(dir, "postgres"), passwordFile: path.join(dir, "pw"), port };
  const first = await startEmbeddedPostgres(options);
  try {
    const second = await startEmbeddedPostgres(options);
    expect(second.startedHere).toBe(false);
    expect(second.url).toBe(first.url);
    await second.release(); // must not stop the first one's server
    const again = await startEmbeddedPostgres(options);
    expect(again.startedHere).toBe(false);
  } finally {
    await first.release();
    await fs.rm(dir, { recursive: true, force: true });
  }
});
