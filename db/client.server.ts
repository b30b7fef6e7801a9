import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Db = ReturnType<typeof drizzle<typeof schema>>;

export interface Database {
  db: Db;
  /** The underlying postgres.js client, for the few places that need raw SQL. */
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** Open a pool to `url`. One per process; pass it down rather than importing a global. */
export function connectDatabase(
  url: string,
  options: { max?: number; applicationName?: string } = {},
): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? "shafaf",
      // The working set is in memory (or on SSD): a random read costs about what a sequential one
      // does. Otherwise the planner ANDs a search's text index with a btree bitmap of a fifth of
      // the tenders to save heap visits that cost next to nothing.
      random_page_cost: "1.1",
      // Bitmaps of broad searches stay exact (not lossy), sorts and hashes in memory.
      work_mem: "32MB",
    },
    // Money and counters are bigint: never let them become lossy JS numbers.
    types: { bigint: postgres.BigInt },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** A transaction handle, as passed to `db.transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything queries can run on: the pool or an open transaction. */
export type Queryable = Db | Tx;
