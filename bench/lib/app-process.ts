import { type ChildProcess, spawn } from "node:child_process";
import getPort from "get-port";
import { serverArgs } from "#scripts/lib/server-command.ts";

export interface RunningApp {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** The environment it runs with (parse it with parseEnv to read its settings). */
  env: Record<string, string>;
  /** The last 20,000 characters it printed. */
  log: () => string;
  /** SIGTERM, then SIGKILL after 20 s; resolves when it has exited. */
  stop: () => Promise<void>;
}

/**
 * The app for a benchmark, started as `npm start` starts it (serverArgs):
 * production build, a free port on 127.0.0.1, jobs off, warnings only, its
 * own DATA_DIR. `env` adds settings; those named in `passThrough` are taken
 * from the benchmark's own environment when set there (the settings under
 * test). BENCH_APP_NODE_ARGS adds node flags, e.g. "--cpu-prof
 * --cpu-prof-dir=/tmp/prof" to profile it. Resolves once /healthz answers.
 */
export async function startAppProcess(options: {
  root: string;
  dataDir: string;
  databaseUrl: string;
  env?: Record<string, string>;
  passThrough?: string[];
}): Promise<RunningApp> {
  const port = await getPort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? options.dataDir,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    JOBS_ENABLED: "false",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  for (const k of options.passThrough ?? []) if (process.env[k]) env[k] = process.env[k]!;
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, serverArgs(nodeArgs), {
    cwd: options.root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (c: Buffer) => {
    log = (log + c.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`the app exited during start:\n${log}`);
    const ok = await fetch(`${baseUrl}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not become healthy:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { baseUrl, port, child, env, log: () => log, stop };
}
