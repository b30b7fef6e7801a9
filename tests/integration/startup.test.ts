import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { serverArgs } from "#scripts/lib/server-command.ts";
import { testDatabaseUrl } from "#tests/setup/db.ts";

/** Run `npm start`'s entry point with the given settings; it must exit by itself. */
function start(env: Record<string, string>, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, serverArgs(), {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`start did not exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

const STACK_LINE = /^\s+at /m;

describe("a bad configuration stops the start with a clear message", () => {
  test("PORT=abc", async () => {
    const { code, stderr } = await start({ PORT: "abc" });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be a whole number from 1 to 65535 (got "abc")');
    expect(stderr).not.toMatch(STACK_LINE);
  });

  test("a malformed DATABASE_URL", async () => {
    const { code, stderr } = await start({ DATABASE_URL: "postgres//nohost" });
    expect(code).toBe(1);
    expect(stderr).toContain("DATABASE_URL must be a URL like postgres://");
    expect(stderr).not.toMatch(STACK_LINE);
  });

  test("a DATABASE_URL nobody answers at", async () => {
    const { code, stderr } = await start({ DATABASE_URL: "postgres://shafaf:secret@127.0.0.1:1/shafaf" });
    expect(code).toBe(1);
    expect(stderr).toContain("Cannot reach PostgreSQL at 127.0.0.1:1/shafaf");
    expect(stderr).not.toContain("secret");
    expect(stderr).not.toMatch(STACK_LINE);
  });

  test("an HTTP port already taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const { code, stderr } = await start({
        DATABASE_URL: testDatabaseUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        JOBS_ENABLED: "false",
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).not.toMatch(STACK_LINE);
    } finally {
      blocker.close();
    }
  }, 120_000);

  test("a data directory that holds something else", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-baddata-"));
    await fs.mkdir(path.join(dir, "postgres"));
    await fs.writeFile(path.join(dir, "postgres", "notes.txt"), "not a database");
    const { code, stderr } = await start({ DATA_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toContain(`The data directory ${path.join(dir, "postgres")} is unusable`);
    expect(stderr).not.toMatch(STACK_LINE);
  });
});
