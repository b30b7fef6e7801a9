// npm start: build if needed, bring up the database (embedded unless DATABASE_URL
// is set), migrate, seed the demo data on a new embedded database, start the job
// queue and serve (in WEB_CONCURRENCY processes). SIGINT/SIGTERM: finish in-flight
// requests, then stop cleanly.
import cluster from "node:cluster";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "react-router";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { createFileStore } from "#app/modules/files/file-store.server.ts";
import { JobQueue } from "#app/modules/jobs/queue.server.ts";
import { JOBS, ledgerCheckpointJob } from "#app/modules/jobs/registry.server.ts";
import { createHttpApp } from "#app/server/http-app.server.ts";
import { createLogger } from "#app/utils/logger.server.ts";
import { migrateDatabase } from "#db/migrate.server.ts";
import { isSeeded, seedDemoData } from "#db/seed.ts";
import { fail, loadEnvOrExit, StartupError } from "./lib/cli.ts";
import { ensureBuild } from "./lib/ensure-build.ts";
import { openDatabase } from "./lib/open-database.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const env = loadEnvOrExit();
const logger = createLogger(env);
const say = (line: string) => logger.info(line);
const bootStarted = Date.now();

async function loadApp() {
  if (!dev) {
    await ensureBuild(root, say);
    const build = (await import(pathToFileURL(path.join(root, "build/server/index.js")).href)) as ServerBuild;
    return { build: async () => build, clientDir: path.join(root, "build/client"), close: async () => {} };
  }
  const vite = await import("vite");
  const server = await vite.createServer({ root, server: { middlewareMode: true }, appType: "custom" });
  const runner = (server.environments.ssr as unknown as { runner: { import(id: string): Promise<unknown> } })
    .runner;
  return {
    build: () => runner.import("virtual:react-router/server-build") as Promise<ServerBuild>,
    clientDir: path.join(root, "build/client"),
    devMiddleware: server.middlewares,
    close: () => server.close(),
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE")
        reject(
          new StartupError(
            `Port ${env.PORT} on ${env.HOST} is already in use. Stop that program or set PORT.`,
          ),
        );
      else if (e.code === "EACCES")
        reject(
          new StartupError(`Not allowed to listen on port ${env.PORT}. Use a port above 1023 or set PORT.`),
        );
      else reject(e);
    });
    server.listen(env.PORT, env.HOST, () => resolve());
  });
}

let shuttingDown = false;
/** Undo what boot did so far, so a failed start leaves no database running. */
const undo: Array<() => Promise<void>> = [];

/**
 * Serve HTTP in this process. The only process (or, with WEB_CONCURRENCY > 1,
 * the primary before it forks) brings up the database, migrates and seeds;
 * a cluster worker connects to the database the primary brought up.
 */
async function serve({ worker }: { worker: boolean }) {
  // The database first: a wrong DATABASE_URL should fail in a second, not after a build.
  const { server: dbServer, database, close: closeDatabase } = await openDatabase(env, say, "shafaf");
  undo.unshift(closeDatabase);
  const app = await loadApp();
  undo.unshift(app.close);
  if (!worker) await prepareDatabase(dbServer, database);
  const files = createFileStore(env);
  const jobs = await JobQueue.start(
    dbServer.url,
    JOBS,
    { env, database, files, log: logger },
    { work: env.JOBS_ENABLED },
  );
  undo.unshift(() => jobs.stop(1_000));
  // Close what the ledger holds now rather than at the next five-minute tick.
  if (!worker) await jobs.send(ledgerCheckpointJob, {});
  const services = { env, database, files, jobs };
  const server = createServer(createHttpApp({ services, logger, ...app }));
  await listen(server);
  const shown = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  if (!worker)
    say(
      `Shafaf is serving http://${shown}:${env.PORT} (database: ${dbServer.kind}) — ready in ${((Date.now() - bootStarted) / 1000).toFixed(1)} s`,
    );

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (!worker) say(`${signal}: finishing in-flight requests`);
    const force = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_GRACE_MS);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets with no request in flight would hold close() open.
      server.closeIdleConnections();
    });
    clearTimeout(force);
    await jobs.stop(env.SHUTDOWN_GRACE_MS);
    await app.close();
    await closeDatabase();
    if (!worker) say("stopped");
    logger.flush();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/** Migrations, and the demo data on a new embedded database. */
async function prepareDatabase(
  dbServer: Awaited<ReturnType<typeof openDatabase>>["server"],
  database: Awaited<ReturnType<typeof openDatabase>>["database"],
) {
  await migrateDatabase(database);
  if (dbServer.kind === "embedded" && !(await isSeeded(database.db))) {
    const seeded = await seedDemoData(database.db, await sealingKeys(env));
    say(
      `first start: demo data seeded (${seeded.organisations} organisations, ${seeded.users} accounts, ${seeded.tenders} tenders)`,
    );
  }
}

/**
 * WEB_CONCURRENCY > 1: this process brings up the database (embedded or not),
 * migrates, seeds and builds, then forks the server processes, which share the
 * port (node:cluster). A signal is passed on to them; the database stops after
 * the last one has finished its requests. A process that dies is replaced.
 */
async function primary(count: number) {
  const { server: dbServer, database, close: closeDatabase } = await openDatabase(env, say, "shafaf-primary");
  undo.unshift(closeDatabase);
  await prepareDatabase(dbServer, database);
  await database.close();
  await ensureBuild(root, say);
  // Workers connect to the server this process brought up.
  const workerEnv = { DATABASE_URL: dbServer.url };
  let ready = 0;
  const fork = () => {
    const child = cluster.fork(workerEnv);
    child.once("listening", () => {
      if (++ready === count)
        say(
          `Shafaf is serving http://${env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST}:${env.PORT} with ${count} processes (database: ${dbServer.kind}) — ready in ${((Date.now() - bootStarted) / 1000).toFixed(1)} s`,
        );
    });
  };
  cluster.on("exit", (child, code, signal) => {
    if (shuttingDown) return;
    logger.error({ pid: child.process.pid, code, signal }, "a server process died: starting another");
    fork();
  });
  for (let i = 0; i < count; i++) fork();

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say(`${signal}: finishing in-flight requests`);
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once("exit", () => resolve());
            w.process.kill("SIGTERM");
          }),
      ),
    );
    await closeDatabase();
    say("stopped");
    logger.flush();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

try {
  if (cluster.isWorker) await serve({ worker: true });
  else if (env.WEB_CONCURRENCY > 1 && !dev) await primary(env.WEB_CONCURRENCY);
  else await serve({ worker: false });
} catch (e) {
  for (const step of undo) await step().catch(() => {});
  fail(e);
}
