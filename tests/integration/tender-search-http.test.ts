import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import getPort from "get-port";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serverArgs } from "#scripts/lib/server-command.ts";
import { testDatabaseUrl } from "#tests/setup/db.ts";

/**
 * The tender search over HTTP, against the app started as `npm start` starts
 * it (production build) on this test file's database: no query string,
 * however malformed, gets a 5xx from the page, the suggestions or the feed.
 */

let app: ChildProcess;
let baseUrl: string;
let log = "";
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-search-http-"));
  const port = await getPort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, serverArgs(), {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: testDatabaseUrl,
      JOBS_ENABLED: "false",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout?.on("data", (c) => {
    log = (log + c).slice(-20_000);
  });
  app.stderr?.on("data", (c) => {
    log = (log + c).slice(-20_000);
  });
  const deadline = Date.now() + 280_000;
  while (true) {
    if (app.exitCode !== null) throw new Error(`the app exited during start:\n${log}`);
    if (
      await fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`the app did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}, 300_000);

afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app.once("exit", r));
    app.kill("SIGTERM");
    await exited;
  }
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Raw query strings (already percent-encoded, possibly wrongly): what a browser, a bot or an attacker may send. */
const rawQuery = fc.oneof(
  fc
    .string({ unit: "binary", maxLength: 120 })
    .map((s) => `q=${encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ""))}`),
  fc.constantFrom(
    "q=%00",
    "q=%FF%FE%C0%AF",
    "q=%ED%A0%80",
    "q=%",
    "q=%%%",
    "q='%3B drop table tenders%3B --",
    `q=${"%D9%85".repeat(5000)}`,
    `q=${"x".repeat(10_000)}`,
    "q=a%3A*%20%26%20!b%20%7C%20(c)",
    "q=%E2%80%AB%D8%B7%D8%B1%D9%82%E2%80%AC",
    "q=%F0%9F%9A%A7",
    "q=%22&status=open&sort=relevance",
    "status=%00&cpv=%FF&min=1e999&currency=kwd&from=2026-02-31&page=99999999999999999999",
    "q=road&q=school&agency=..%2F..&region=<x>",
  ),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          "q",
          "status",
          "cpv",
          "min",
          "max",
          "currency",
          "from",
          "to",
          "page",
          "sort",
          "region",
          "agency",
        ),
        fc.string({ maxLength: 30 }),
      ),
    )
    .map((pairs) => new URLSearchParams(pairs).toString()),
);

describe("the search over HTTP", () => {
  test("the page answers with a GET search form and the results", async () => {
    const response = await fetch(`${baseUrl}/tenders?q=road&status=open`, {
      headers: { "accept-language": "en" },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('role="search"');
    expect(html).toContain('name="q"');
    expect(html).toMatch(/<form[^>]*method="get"/);
    expect(html).toContain('type="application/atom+xml"');
  });

  test("what was typed is shown escaped, never as markup", async () => {
    const response = await fetch(`${baseUrl}/tenders?q=${encodeURIComponent('<script>alert("x")</script>')}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).not.toContain('<script>alert("x")</script>');
  });

  test("suggestions are JSON; the feed is Atom", async () => {
    const suggest = await fetch(`${baseUrl}/tenders/suggest?q=${encodeURIComponent("طرق")}`);
    expect(suggest.status).toBe(200);
    expect(suggest.headers.get("content-type")).toContain("application/json");
    expect(Array.isArray(((await suggest.json()) as { suggestions: unknown[] }).suggestions)).toBe(true);
    const feed = await fetch(`${baseUrl}/tenders/feed.atom?q=road`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toContain("application/atom+xml");
    expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
  });

  test("no query string makes the page, the suggestions or the feed fail", async () => {
    await fc.assert(
      fc.asyncProperty(
        rawQuery,
        fc.constantFrom("/tenders", "/tenders/suggest", "/tenders/feed.atom"),
        async (query, route) => {
          const response = await fetch(`${baseUrl}${route}?${query}`);
          await response.arrayBuffer();
          expect(response.status, `${route}?${query.slice(0, 200)}\n${log.slice(-2000)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
  }, 240_000);
});
