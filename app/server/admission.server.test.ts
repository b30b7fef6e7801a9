import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, test } from "vitest";
import {
  type AdmissionOptions,
  admissionControl,
  bidAdmission,
  isBidSubmission,
} from "./admission.server.ts";

/**
 * An app whose bid handler holds every request until the test lets it go, so
 * the tests can see exactly how many are inside at a time.
 */
async function harness(options: Omit<AdmissionOptions, "matches">) {
  const admission = admissionControl({ ...options, matches: isBidSubmission });
  const held: Array<{ id: string; finish: () => void }> = [];
  const entered: string[] = [];
  const app = express();
  app.use(admission);
  app.all("/{*splat}", (req, res) => {
    const id = String(req.query.id ?? "");
    entered.push(id);
    if (req.query.fast) return void res.send(`done ${id}`);
    held.push({ id, finish: () => res.send(`done ${id}`) });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push(server);

  const send = (path: string, method = "POST") => {
    const req = http.request({ host: "127.0.0.1", port, path, method, agent: false });
    const answer = new Promise<{ status: number; retryAfter?: string; nosniff?: string; body: string }>(
      (resolve, reject) => {
        req.on("response", (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c) => {
            body += c;
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode!,
              retryAfter: res.headers["retry-after"] as string,
              nosniff: res.headers["x-content-type-options"] as string,
              body,
            }),
          );
        });
        req.on("error", reject);
      },
    );
    answer.catch(() => {});
    req.end("intent=submit");
    return { answer, abort: () => req.destroy() };
  };
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };
  return { admission, held, entered, send, until };
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const bid = (id: string) => `/tenders/7d3b1c52-0000-4000-8000-000000000001/bid?id=${id}`;

describe("admission control of bid submissions", () => {
  test("matches POSTs to a tender's bid page only, document or .data request", () => {
    expect(isBidSubmission({ method: "POST", path: "/tenders/abc/bid" })).toBe(true);
    expect(isBidSubmission({ method: "POST", path: "/tenders/abc/bid.data" })).toBe(true);
    expect(isBidSubmission({ method: "GET", path: "/tenders/abc/bid" })).toBe(false);
    expect(isBidSubmission({ method: "POST", path: "/tenders/abc/bid/receipts/1" })).toBe(false);
    expect(isBidSubmission({ method: "POST", path: "/tenders/abc" })).toBe(false);
  });

  test("at most N are handled at once; beyond N and a full queue, 503 with Retry-After at once", async () => {
    const h = await harness({ maxInFlight: 2, queueMax: 0, queueWaitMs: 10_000 });
    const a = h.send(bid("a"));
    const b = h.send(bid("b"));
    await h.until(() => h.entered.length === 2);
    const c = await h.send(bid("c")).answer;
    expect(c.status).toBe(503);
    expect(c.retryAfter).toBe("1");
    expect(c.body).toContain("Busy, try again in a second");
    expect(c.nosniff).toBe("nosniff");
    expect(h.entered).toEqual(["a", "b"]); // the shed request never reached the handler
    expect(h.admission.stats()).toMatchObject({ inFlight: 2, queued: 0, shed: 1 });
    for (const r of h.held) r.finish();
    expect((await a.answer).status).toBe(200);
    expect((await b.answer).status).toBe(200);
    await h.until(() => h.admission.stats().inFlight === 0);
  });

  test("a shed response is marked as such and counted once a second, not logged one by one", async () => {
    const reports: number[] = [];
    const h = await harness({
      maxInFlight: 1,
      queueMax: 0,
      queueWaitMs: 10_000,
      onShed: (n) => reports.push(n),
    });
    h.send(bid("a"));
    await h.until(() => h.entered.length === 1);
    const shed = await Promise.all([h.send(bid("b")).answer, h.send(bid("c")).answer]);
    expect(shed.map((r) => r.status)).toEqual([503, 503]);
    expect(reports).toEqual([]);
    await h.until(() => reports.length === 1);
    expect(reports).toEqual([2]);
  });

  test("others pass straight through, uncounted", async () => {
    const h = await harness({ maxInFlight: 1, queueMax: 0, queueWaitMs: 10_000 });
    h.send(bid("a"));
    await h.until(() => h.entered.length === 1);
    expect((await h.send("/tenders/x/bid?id=get&fast=1", "GET").answer).status).toBe(200);
    expect((await h.send("/tenders/x?id=other&fast=1").answer).status).toBe(200);
    expect(h.admission.stats()).toMatchObject({ inFlight: 1, shed: 0 });
  });

  test("waiters are let in first come, first served as slots free up", async () => {
    const h = await harness({ maxInFlight: 1, queueMax: 2, queueWaitMs: 10_000 });
    const a = h.send(bid("a"));
    await h.until(() => h.entered.length === 1);
    const b = h.send(bid("b"));
    await h.until(() => h.admission.stats().queued === 1);
    const c = h.send(bid("c"));
    await h.until(() => h.admission.stats().queued === 2);
    expect((await h.send(bid("d")).answer).status).toBe(503); // queue full
    expect(h.entered).toEqual(["a"]);

    h.held.shift()!.finish();
    expect((await a.answer).status).toBe(200);
    await h.until(() => h.entered.length === 2);
    expect(h.entered).toEqual(["a", "b"]);
    expect(h.admission.stats()).toMatchObject({ inFlight: 1, queued: 1 });
    h.held.shift()!.finish();
    await h.until(() => h.entered.length === 3);
    expect(h.entered).toEqual(["a", "b", "c"]);
    h.held.shift()!.finish();
    expect((await b.answer).body).toBe("done b");
    expect((await c.answer).body).toBe("done c");
    await h.until(() => h.admission.stats().inFlight === 0);
  });

  test("a waiter not let in within the wait is answered 503 and leaves the queue", async () => {
    const h = await harness({ maxInFlight: 1, queueMax: 5, queueWaitMs: 50 });
    h.send(bid("a"));
    await h.until(() => h.entered.length === 1);
    const started = Date.now();
    const b = await h.send(bid("b")).answer;
    expect(b.status).toBe(503);
    expect(b.retryAfter).toBe("1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(h.admission.stats()).toMatchObject({ inFlight: 1, queued: 0, shed: 1 });
    h.held.shift()!.finish();
    await h.until(() => h.admission.stats().inFlight === 0);
    expect(h.entered).toEqual(["a"]);
  });

  test("a client that goes away frees its slot, even though no answer was sent", async () => {
    const h = await harness({ maxInFlight: 1, queueMax: 0, queueWaitMs: 10_000 });
    const a = h.send(bid("a"));
    await h.until(() => h.entered.length === 1);
    expect((await h.send(bid("b")).answer).status).toBe(503);
    a.abort();
    await h.until(() => h.admission.stats().inFlight === 0);
    const c = h.send(bid("c"));
    await h.until(() => h.entered.length === 2);
    h.held.at(-1)!.finish();
    expect((await c.answer).status).toBe(200);
  });

  test("a waiting client that goes away leaves the queue and is never let in", async () => {
    const h = await harness({ maxInFlight: 1, queueMax: 1, queueWaitMs: 10_000 });
    h.send(bid("a"));
    await h.until(() => h.entered.length === 1);
    const b = h.send(bid("b"));
    await h.until(() => h.admission.stats().queued === 1);
    b.abort();
    await h.until(() => h.admission.stats().queued === 0);
    const c = h.send(bid("c"));
    await h.until(() => h.admission.stats().queued === 1);
    h.held.shift()!.finish();
    await h.until(() => h.entered.length === 2);
    expect(h.entered).toEqual(["a", "c"]);
    h.held.shift()!.finish();
    expect((await c.answer).status).toBe(200);
    await h.until(() => h.admission.stats().inFlight === 0);
  });

  test("configured from the environment, N defaulting to the pool size", () => {
    const base = { BID_QUEUE_MAX: 3, BID_QUEUE_WAIT_MS: 100, DATABASE_POOL_MAX: 7 };
    expect(bidAdmission({ ...base, BID_MAX_IN_FLIGHT: undefined }).limits).toEqual({
      maxInFlight: 7,
      queueMax: 3,
      queueWaitMs: 100,
    });
    expect(bidAdmission({ ...base, BID_MAX_IN_FLIGHT: 2 }).limits.maxInFlight).toBe(2);
  });
});
