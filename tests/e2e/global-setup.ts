import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";
import type { TestProject } from "vitest/node";
import { serverArgs } from "#scripts/lib/server-command.ts";
import { deliverWebhook, FAKE_STRIPE_SECRET_KEY, startFakeStripe } from "../fakes/stripe-api.ts";

/** The webhook secret the app and the fake Stripe share in browser tests. */
const STRIPE_WEBHOOK_SECRET = "whsec_shafafBrowserTests";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Start the app exactly as `npm start` does, but on free ports and a throw-away data directory. */
export default async function setup(project: TestProject) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-e2e-"));
  const port = await getPort();
  const pgPort = await getPort();
  let log = "";
  const baseUrl = `http://127.0.0.1:${port}`;
  // Card payments go to a local fake of Stripe; its checkout page delivers the
  // signed webhooks to the app before sending the browser back, as Stripe does.
  const stripe = await startFakeStripe({
    onEvents: async (events) => {
      for (const event of events)
        await deliverWebhook(`${baseUrl}/webhooks/stripe`, event, STRIPE_WEBHOOK_SECRET);
    },
  });
  const app: ChildProcess = spawn(process.execPath, serverArgs(), {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      LOG_LEVEL: "info",
      STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout?.on("data", (c) => {
    log += c;
  });
  app.stderr?.on("data", (c) => {
    log += c;
  });
  const exited = new Promise<number | null>((resolve) => app.on("exit", (code) => resolve(code)));

  const deadline = Date.now() + 170_000;
  while (true) {
    if (app.exitCode !== null) throw new Error(`the app exited during start:\n${log}`);
    const ok = await fetch(`${baseUrl}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      app.kill("SIGKILL");
      throw new Error(`the app did not become healthy:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  project.provide("baseUrl", baseUrl);

  return async () => {
    app.kill("SIGTERM");
    const code = await exited;
    await stripe.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    if (code !== 0)
      throw new Error(`the app did not stop cleanly on SIGTERM (exit ${code}):\n${log.slice(-3000)}`);
    if (!log.includes("embedded PostgreSQL stopped"))
      throw new Error(`the embedded database was not stopped:\n${log.slice(-3000)}`);
  };
}
