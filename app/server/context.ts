import type { Logger } from "pino";
import { createContext } from "react-router";
import type { FileStore } from "#app/modules/files/file-store.server.ts";
import type { JobQueue } from "#app/modules/jobs/queue.server.ts";
import type { Env } from "#app/utils/env.server.ts";
import type { Database } from "#db/client.server.ts";

/** Long-lived services, created once at boot and shared by every request. */
export interface AppServices {
  env: Env;
  database: Database;
  files: FileStore;
  jobs: JobQueue;
}

/** Facts about the request being served. */
export interface RequestInfo {
  requestId: string;
  /** Nonce for the inline scripts React Router emits; the CSP allows only these. */
  cspNonce: string;
  /** Logger whose every line carries the request id. */
  log: Logger;
}

export const servicesContext = createContext<AppServices>();
export const requestContext = createContext<RequestInfo>();
