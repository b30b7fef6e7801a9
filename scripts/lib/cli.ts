import { type Env, EnvError, getEnv } from "#app/utils/env.server.ts";
import { EmbeddedPostgresError } from "./embedded-postgres.ts";

/** Problems whose message says it all: print it, no stack trace, exit non-zero. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

function isExplained(e: unknown): e is Error {
  return e instanceof EnvError || e instanceof EmbeddedPostgresError || e instanceof StartupError;
}

/** Read and validate the configuration, or explain what is wrong and exit 1. */
export function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (e) {
    fail(e);
  }
}

/** Report a failure the way a person can act on: the explanation for known problems, the stack otherwise. */
export function fail(e: unknown): never {
  if (isExplained(e)) console.error(`\nshafaf: ${e.message}\n`);
  else console.error("\nshafaf: unexpected failure\n", e);
  process.exit(1);
}

/** Turn a connection failure into a sentence that names the server (never its password). */
export function explainConnectionError(url: string, e: unknown): StartupError {
  const u = new URL(url);
  const reason = (e as { code?: string; message?: string }).code ?? (e as Error).message;
  return new StartupError(
    `Cannot reach PostgreSQL at ${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)} (${reason}). ` +
      "Check DATABASE_URL and that the server is running.",
  );
}

/** A plain log line for command-line output. */
export const say = (line: string) => console.warn(`shafaf: ${line}`);
