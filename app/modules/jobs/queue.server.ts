import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { z } from "zod";
import type { FileStore } from "#app/modules/files/file-store.server.ts";
import type { Env } from "#app/utils/env.server.ts";
import type { Database } from "#db/client.server.ts";

/** What a job handler may use: the same services a request has. */
export interface JobDeps {
  env: Env;
  database: Database;
  files: FileStore;
  log: Logger;
}

export interface JobDefinition<T> {
  name: string;
  /** Job data is validated like any other input at a boundary. */
  data: z.ZodType<T>;
  /** Cron expression (UTC) for recurring jobs; pg-boss runs each tick once across all instances. */
  cron?: string;
  retryLimit?: number;
  handle(data: T, deps: JobDeps): Promise<unknown>;
}

/** Identity helper that keeps a definition's data type tied to its handler. */
export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}

/**
 * The job queue: pg-boss on the same PostgreSQL, so jobs survive restarts and
 * several app processes share the work (each job is fetched by exactly one
 * worker with SELECT ... FOR UPDATE SKIP LOCKED).
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly names: ReadonlySet<string>,
  ) {}

  static async start(
    url: string,
    definitions: readonly JobDefinition<never>[],
    deps: JobDeps,
    { work }: { work: boolean },
  ): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: url,
      schema: "pgboss",
      max: 4,
      application_name: "shafaf-jobs",
      supervise: work,
      schedule: work,
    });
    boss.on("error", (error) => deps.log.error({ err: error }, "job queue error"));
    await boss.start();
    for (const def of definitions) {
      await boss.createQueue(def.name, {
        name: def.name,
        retryLimit: def.retryLimit ?? 3,
        retryBackoff: true,
      });
      if (!work) continue;
      // One job at a time per worker: what the handler returns is kept as the job's output.
      await boss.work(def.name, { batchSize: 1 }, async ([job]) => {
        if (!job) return;
        const log = deps.log.child({ job: def.name, jobId: job.id });
        const result = await def.handle(def.data.parse(job.data) as never, { ...deps, log });
        log.info({ result }, "job done");
        return result;
      });
      if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: "UTC" });
    }
    return new JobQueue(boss, new Set(definitions.map((d) => d.name)));
  }

  /** Enqueue a job; returns its id. */
  async send<T extends object>(definition: JobDefinition<T>, data: T, options: PgBoss.SendOptions = {}) {
    if (!this.names.has(definition.name)) throw new Error(`job ${definition.name} is not registered`);
    return this.boss.send(definition.name, definition.data.parse(data) as object, options);
  }

  /** Finish the jobs in hand (up to `timeoutMs`), then stop polling. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  }

  /** For tests and admin pages: the state of one job. */
  getJob(name: string, id: string) {
    return this.boss.getJobById(name, id, { includeArchive: true });
  }
}
