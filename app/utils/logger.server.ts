import pino, { type Logger } from "pino";
import type { Env } from "./env.server.ts";

/** JSON lines on stdout; request handlers log through a child that carries the request id. */
export function createLogger(env: Pick<Env, "LOG_LEVEL">): Logger {
  return pino({
    level: env.LOG_LEVEL,
    base: { app: "shafaf" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["req.headers.cookie", "req.headers.authorization", 'res.headers["set-cookie"]'],
      censor: "[redacted]",
    },
  });
}
