import type { Queryable } from "./client.server.ts";

/**
 * A query on a hot path, built once per database handle instead of on every
 * call. Building a query (columns, casing, parameters) costs drizzle more CPU
 * than PostgreSQL spends running a primary-key lookup, and a bid submission
 * makes several such lookups; a prepared query only fills in its placeholders.
 *
 * Keyed by the handle: the pool's handle lives as long as the process, so its
 * queries are built once; a transaction's handle gets its own (built once per
 * transaction, as before), so a prepared query never runs outside the
 * transaction it was called in.
 */
export function preparedPerHandle<Q>(build: (db: Queryable) => Q): (db: Queryable) => Q {
  const built = new WeakMap<Queryable, Q>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
