// npm run bench:search — public tender search under load, over HTTP against the
// real app, and the same SQL run directly, in one run.
//
// Starts its own throw-away embedded PostgreSQL (shared_buffers set to
// --shared-buffers, default 3GB, as a production server would be tuned) or uses
// DATABASE_URL's server (a fresh database; its settings as they are), applies
// the migrations, generates --tenders tenders (default 1,000,000) with
// db/generate (bilingual, realistic, ~1.4 lots and ~2 items each), starts the
// app on it exactly as `npm start` does (production build, free ports, jobs
// off) and then measures, with --clients clients (default 20) in a closed loop
// (each sends its next request as soon as it has its answer):
//   1. search over HTTP: GET /tenders?<query> for --seconds (default 60): typical
//      searches — one or two words (Arabic, English, spelling variants) and two
//      filters (status, category, region, currency and value, CPV division,
//      agency, method, deadline days), each search different (no repeats, so the
//      facet cache does not flatter the figures);
//   2. search, direct: the same searches, in the same order, with the same SQL
//      statements (the search module's own, through a postgres.js runner: no
//      HTTP, no React rendering, no drizzle session), same clients, same time;
//   3. search over HTTP with one client for a third of the time: the latency
//      when nothing queues (20 clients on two cores mostly measure the queue);
//   4. autocomplete over HTTP: GET /tenders/suggest?q=<prefix> for half the time,
//      then one client alone;
//   5. autocomplete, direct: the same SQL through postgres.js.
// --reuse (with DATABASE_URL): keep the generated database between runs, named
// for --tenders and --seed, and use it again when a run finished generating it
// (for trying changes to the search without generating a million tenders each
// time; migrations still run).
// Latency is from sending a request to having the whole answer. Targets: search
// p95 < 100 ms, autocomplete p95 < 50 ms. Prints the capacity the measured CPU
// per request allows (cores / CPU a request; the mean latency of the closed loop
// is clients / throughput) and the CPU a request may take for the target on this
// machine. Prints PASS/MISS and writes
// bench/results/search-<timestamp>.json. The machine's load before and during
// the run is recorded: other programs on it skew every figure.
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import getPort from "get-port";
import postgres from "postgres";
import { parseSearchParams } from "#app/modules/discovery/search-params.ts";
import {
  FacetCache,
  type SearchRunner,
  searchTenders,
} from "#app/modules/discovery/search-tenders.server.ts";
import { suggestTenders } from "#app/modules/discovery/suggest-tenders.server.ts";
import { parseEnv } from "#app/utils/env.server.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { connectDatabase } from "#db/client.server.ts";
import { loadGeneratedTenders } from "#db/generate/load-tenders.server.ts";
import { migrateDatabase } from "#db/migrate.server.ts";
import { startEmbeddedPostgres } from "#scripts/lib/embedded-postgres.ts";
import { startAppProcess } from "./lib/app-process.ts";
import { makePrefixes, makeSearches } from "./lib/search-workload.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const text = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const TENDERS = arg("tenders", 1_000_000);
const CLIENTS = arg("clients", 20);
const SECONDS = arg("seconds", 60);
const SEED = arg("seed", 2026);
const SHARED_BUFFERS = text("shared-buffers", "3GB");
const REUSE = process.argv.includes("--reuse");
const TARGET = { searchP95Ms: 100, suggestP95Ms: 50 };
const CLIENT_TIMEOUT_MS = 15_000;

const say = (line: string) => console.log(`[bench:search] ${line}`);
const loadAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
const benchEnv = parseEnv(process.env);
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-bench-search-"));
const cleanup: Array<() => Promise<void>> = [];
let exitCode = 1;

// ---------------------------------------------------------------- database and app

async function startDatabase(): Promise<{ url: string; server: string; generated: boolean }> {
  if (REUSE && !benchEnv.DATABASE_URL)
    throw new Error("--reuse needs DATABASE_URL (a server that outlives the run)");
  let adminUrl: string;
  let server = "DATABASE_URL (settings as they are)";
  if (benchEnv.DATABASE_URL) {
    const u = new URL(benchEnv.DATABASE_URL);
    u.pathname = "/postgres";
    adminUrl = u.toString();
  } else {
    const options = {
      dataDir: path.join(tmp, "postgres"),
      passwordFile: path.join(tmp, "pw"),
      port: await getPort(),
      database: "postgres",
    };
    const first = await startEmbeddedPostgres(options);
    // Tuned as a server would be: a buffer cache that holds the search's working set.
    const tune = postgres(first.url, { max: 1, onnotice: () => {} });
    await tune.unsafe(`alter system set shared_buffers = '${SHARED_BUFFERS.replace(/[^0-9A-Za-z]/g, "")}'`);
    await tune.unsafe("alter system set effective_cache_size = '8GB'");
    await tune.unsafe("alter system set maintenance_work_mem = '512MB'");
    await tune.end();
    await first.release();
    const pg = await startEmbeddedPostgres(options);
    adminUrl = pg.url;
    server = `embedded PostgreSQL 18, shared_buffers ${SHARED_BUFFERS}`;
    cleanup.unshift(() => pg.release());
  }
  const name = REUSE ? `shafaf_bench_search_${TENDERS}_${SEED}` : `shafaf_bench_search_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [existing] = await admin<Array<{ note: string | null }>>`
    select shobj_description(oid, 'pg_database') as note from pg_database where datname = ${name}`;
  if (!existing) await admin.unsafe(`create database "${name}"`);
  if (REUSE) cleanup.unshift(() => admin.end());
  else
    cleanup.unshift(async () => {
      await admin.unsafe(`drop database "${name}" with (force)`);
      await admin.end();
    });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), server, generated: existing?.note === GENERATED_NOTE };
}

/** Written on a reused database once its tenders are all generated. */
const GENERATED_NOTE = "shafaf bench:search data, complete";

async function startApp(databaseUrl: string) {
  const app = await startAppProcess({
    root,
    dataDir: path.join(tmp, "app"),
    databaseUrl,
    env: { DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? String(CLIENTS) },
    passThrough: ["SEARCH_CACHE_SECONDS", "SEARCH_FACET_BUDGET_MS"],
  });
  cleanup.unshift(app.stop);
  return app;
}

// ---------------------------------------------------------------- running and measuring

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, timeout: 4_000 });

function get(port: number, pathAndQuery: string, lang: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path: pathAndQuery,
        method: "GET",
        headers: { "accept-language": lang },
      },
      (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on("error", () => resolve({ status: 0, bytes }));
      },
    );
    req.setTimeout(CLIENT_TIMEOUT_MS, () => req.destroy());
    req.on("error", () => resolve({ status: 0, bytes: 0 }));
    req.end();
  });
}

interface Sample {
  ms: number;
  ok: boolean;
  note?: string;
}

/** `clients` clients in a closed loop over `work` (each item once, in order) for at most `seconds`. */
async function closedLoop(
  work: string[],
  seconds: number,
  clients: number,
  run: (item: string, i: number) => Promise<Sample>,
) {
  const samples: Sample[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end && next < work.length) {
        const i = next++;
        const t0 = performance.now();
        const sample = await run(work[i]!, i).catch((e: Error) => ({ ms: 0, ok: false, note: e.message }));
        samples.push({ ...sample, ms: performance.now() - t0 });
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000, used: next };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1))
    : null;

function summarise(result: Awaited<ReturnType<typeof closedLoop>>) {
  const ok = result.samples.filter((s) => s.ok);
  const sorted = ok.map((s) => s.ms).sort((a, b) => a - b);
  const notes = new Map<string, number>();
  for (const s of result.samples) if (s.note) notes.set(s.note, (notes.get(s.note) ?? 0) + 1);
  return {
    requests: result.samples.length,
    failed: result.samples.length - ok.length,
    perSecond: Number((result.samples.length / result.seconds).toFixed(1)),
    seconds: Number(result.seconds.toFixed(1)),
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
      mean: sorted.length ? Number((sorted.reduce((a, b) => a + b, 0) / sorted.length).toFixed(1)) : null,
    },
    notes: Object.fromEntries(notes),
  };
}

/** CPU time used by a process (ms), from /proc. */
async function cpuOf(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(after[11] ?? 0) + Number(after[12] ?? 0)) * 10;
}
async function postgresCpu(): Promise<number> {
  let total = 0;
  for (const pid of await fs.readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== "postgres") continue;
    const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    total += (Number(after[11] ?? 0) + Number(after[12] ?? 0)) * 10;
  }
  return total;
}
async function measure<T extends { samples: Sample[] }>(appPid: number | undefined, run: () => Promise<T>) {
  const before = {
    app: await cpuOf(appPid),
    pg: await postgresCpu(),
    bench: process.cpuUsage(),
    at: performance.now(),
  };
  const result = await run();
  const wall = performance.now() - before.at;
  const bench = process.cpuUsage(before.bench);
  const n = Math.max(1, result.samples.length);
  const cpu = {
    appMsPerRequest: Number((((await cpuOf(appPid)) - before.app) / n).toFixed(2)),
    postgresMsPerRequest: Number((((await postgresCpu()) - before.pg) / n).toFixed(2)),
    benchMsPerRequest: Number(((bench.user + bench.system) / 1000 / n).toFixed(2)),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    machineCpus: os.cpus().length,
    wallSeconds: Number((wall / 1000).toFixed(1)),
  };
  return { result, cpu };
}

/** The search module's statements, run directly through postgres.js (same settings, same SQL). */
function postgresRunner(pg: postgres.Sql): SearchRunner {
  const dialect = new PgDialect({ casing: "snake_case" });
  return {
    run: async <T>(statement: SQL, options: { timeoutMs?: number } = {}) => {
      const query = dialect.sqlToQuery(statement);
      if (!options.timeoutMs) return [...(await pg.unsafe(query.sql, query.params as never[]))] as T[];
      return pg.begin(async (tx) => {
        await tx`select set_config('statement_timeout', ${`${options.timeoutMs}ms`}, true)`;
        return [...(await tx.unsafe(query.sql, query.params as never[]))] as T[];
      }) as Promise<T[]>;
    },
  };
}

/** suggestTenders needs only `execute`: the same SQL through postgres.js. */
function postgresQueryable(pg: postgres.Sql): Queryable {
  const dialect = new PgDialect({ casing: "snake_case" });
  return {
    execute: async (statement: SQL) => {
      const query = dialect.sqlToQuery(statement);
      return pg.unsafe(query.sql, query.params as never[]);
    },
  } as unknown as Queryable;
}

// ---------------------------------------------------------------- the run

try {
  const { url: databaseUrl, server, generated: reused } = await startDatabase();
  const database = connectDatabase(databaseUrl, { max: CLIENTS + 4, applicationName: "bench-search" });
  cleanup.unshift(() => database.close());
  await migrateDatabase(database);

  let generated: { tenders: number; seconds: number; reused?: boolean };
  if (reused) {
    say(`reusing the ${TENDERS.toLocaleString("en")} tenders generated by an earlier run (--reuse)`);
    generated = { tenders: TENDERS, seconds: 0, reused: true };
  } else {
    say(`generating ${TENDERS.toLocaleString("en")} tenders (seed ${SEED})`);
    generated = await loadGeneratedTenders(database.sql, {
      tenders: TENDERS,
      seed: SEED,
      workers: 2,
      rebuildIndexes: true,
      log: (line) => say(`  ${line}`),
    });
    say(
      `generated in ${generated.seconds} s (${Math.round(generated.tenders / generated.seconds)} tenders/s)`,
    );
    if (REUSE) {
      const [{ name }] = await database.sql<[{ name: string }]>`select current_database() as name`;
      await database.sql.unsafe(`comment on database "${name}" is '${GENERATED_NOTE}'`);
    }
  }
  const [sizes] = await database.sql<Array<{ tenders: string; total: string; public: number }>>`
    select pg_size_pretty(pg_relation_size('tenders')) as tenders,
      pg_size_pretty(pg_database_size(current_database())) as total,
      (select count(*)::int from tenders where status in ('published', 'opened', 'cancelled')) as public`;

  say("starting the app (it builds first if the sources changed)");
  const app = await startApp(databaseUrl);
  const appEnv = parseEnv(app.env, root);
  say(`app ready on port ${app.port}`);

  const searches = makeSearches(Math.max(4000, Math.ceil(SECONDS * 400)), SEED);
  const warmup = makeSearches(600, SEED + 1).map((q) => `${q}&warm=1`);
  // Enough for 20 clients answered from the cache at ~1,000/s, and then one client alone.
  const prefixes = makePrefixes(Math.max(4000, Math.ceil(SECONDS * 2500)), SEED);
  const langOf = (i: number) => (i % 3 === 0 ? "en" : "ar");

  // Warm up (not counted): caches of the database and the app process, JIT, connection pools.
  say("warming up (not measured)");
  await closedLoop(warmup, Math.min(30, SECONDS / 2), CLIENTS, async (q, i) => {
    const r = await get(app.port, `/tenders?${q}`, langOf(i));
    return { ms: 0, ok: r.status === 200 };
  });
  await closedLoop(prefixes.slice(-300), 10, CLIENTS, async (q) => {
    const r = await get(app.port, `/tenders/suggest?${new URLSearchParams({ q })}`, "ar");
    return { ms: 0, ok: r.status === 200 };
  });

  say(`search over HTTP: ${CLIENTS} clients, ${SECONDS} s`);
  let withoutFacets = 0;
  const httpSearch = await measure(app.child.pid, () =>
    closedLoop(searches, SECONDS, CLIENTS, async (q, i) => {
      const r = await new Promise<{ status: number; body: string }>((resolve) => {
        const req = http.request(
          {
            agent,
            host: "127.0.0.1",
            port: app.port,
            path: `/tenders?${q}`,
            headers: { "accept-language": langOf(i) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
            );
            res.on("error", () => resolve({ status: 0, body: "" }));
          },
        );
        req.setTimeout(CLIENT_TIMEOUT_MS, () => req.destroy());
        req.on("error", () => resolve({ status: 0, body: "" }));
        req.end();
      });
      if (r.body.includes("search-facets__pending")) withoutFacets++;
      const ok = r.status === 200 && r.body.includes("search-results__count");
      return { ms: 0, ok, note: ok ? undefined : `status ${r.status}` };
    }),
  );
  const usedSearches = searches.slice(0, httpSearch.result.used);
  const search = summarise(httpSearch.result);
  say(
    `  p50 ${search.latencyMs.p50} ms, p95 ${search.latencyMs.p95} ms, p99 ${search.latencyMs.p99} ms, ${search.perSecond}/s, ${search.failed} failed`,
  );

  say(
    `search, same SQL directly (postgres.js): ${CLIENTS} clients, the same ${usedSearches.length} searches`,
  );
  // postgres.js configured as the app's (drizzle's serializers: JSON parameters go as they are),
  // used directly: no HTTP, no React, no drizzle session.
  const directDatabase = connectDatabase(databaseUrl, { max: CLIENTS + 4, applicationName: "bench-direct" });
  cleanup.unshift(() => directDatabase.close());
  const direct = directDatabase.sql;
  const runner = postgresRunner(direct);
  const directCache = new FacetCache(appEnv.SEARCH_CACHE_SECONDS);
  let directWithoutFacets = 0;
  const directSearch = await measure(undefined, () =>
    closedLoop(usedSearches, SECONDS * 3, CLIENTS, async (q) => {
      const { search: parsed } = parseSearchParams(new URLSearchParams(q));
      const result = await searchTenders(parsed, null as unknown as Db, {
        runner,
        cache: directCache,
        facetBudgetMs: appEnv.SEARCH_FACET_BUDGET_MS,
      });
      if (!result.facets || Object.keys(result.facets).length < 6) directWithoutFacets++;
      return { ms: 0, ok: true };
    }),
  );
  const searchDirect = summarise(directSearch.result);
  say(
    `  p50 ${searchDirect.latencyMs.p50} ms, p95 ${searchDirect.latencyMs.p95} ms, p99 ${searchDirect.latencyMs.p99} ms, ${searchDirect.perSecond}/s`,
  );

  // One client: the latency of a search when nothing queues for the two cores.
  const alone = searches.slice(usedSearches.length, usedSearches.length + 2000);
  say(`search over HTTP, one client alone: ${Math.round(SECONDS / 3)} s`);
  const httpSearchAlone = await measure(app.child.pid, () =>
    closedLoop(alone, SECONDS / 3, 1, async (q, i) => {
      const r = await get(app.port, `/tenders?${q}`, langOf(i));
      return { ms: 0, ok: r.status === 200, note: r.status === 200 ? undefined : `status ${r.status}` };
    }),
  );
  const searchAlone = summarise(httpSearchAlone.result);
  say(
    `  p50 ${searchAlone.latencyMs.p50} ms, p95 ${searchAlone.latencyMs.p95} ms, p99 ${searchAlone.latencyMs.p99} ms`,
  );

  say(`autocomplete over HTTP: ${CLIENTS} clients, ${SECONDS / 2} s`);
  const httpSuggest = await measure(app.child.pid, () =>
    closedLoop(prefixes, SECONDS / 2, CLIENTS, async (q) => {
      const r = await get(app.port, `/tenders/suggest?${new URLSearchParams({ q })}`, "ar");
      return { ms: 0, ok: r.status === 200, note: r.status === 200 ? undefined : `status ${r.status}` };
    }),
  );
  const suggest = summarise(httpSuggest.result);
  say(
    `  p50 ${suggest.latencyMs.p50} ms, p95 ${suggest.latencyMs.p95} ms, p99 ${suggest.latencyMs.p99} ms, ${suggest.perSecond}/s`,
  );

  say(`autocomplete over HTTP, one client alone: ${Math.round(SECONDS / 6)} s`);
  const httpSuggestAlone = await measure(app.child.pid, () =>
    closedLoop(prefixes.slice(httpSuggest.result.used), SECONDS / 6, 1, async (q) => {
      const r = await get(app.port, `/tenders/suggest?${new URLSearchParams({ q })}`, "ar");
      return { ms: 0, ok: r.status === 200, note: r.status === 200 ? undefined : `status ${r.status}` };
    }),
  );
  const suggestAlone = summarise(httpSuggestAlone.result);
  say(
    `  p50 ${suggestAlone.latencyMs.p50} ms, p95 ${suggestAlone.latencyMs.p95} ms, p99 ${suggestAlone.latencyMs.p99} ms`,
  );

  say("autocomplete, same SQL directly (postgres.js)");
  const directDb = postgresQueryable(direct);
  const directSuggestRun = await measure(undefined, () =>
    closedLoop(prefixes.slice(0, httpSuggest.result.used), SECONDS * 2, CLIENTS, async (q) => {
      await suggestTenders(q, directDb);
      return { ms: 0, ok: true };
    }),
  );
  const suggestDirect = summarise(directSuggestRun.result);
  say(
    `  p50 ${suggestDirect.latencyMs.p50} ms, p95 ${suggestDirect.latencyMs.p95} ms, p99 ${suggestDirect.latencyMs.p99} ms`,
  );

  // What the machine's cores allow, from the CPU each request took: in a closed loop the mean
  // latency is clients / throughput (Little's law), and throughput is at most cores / CPU per
  // request. A p95 under the target needs at least a mean under it.
  const capacity = (cpu: typeof httpSearch.cpu, targetMs: number) => {
    const perRequest = cpu.appMsPerRequest + cpu.postgresMsPerRequest + cpu.benchMsPerRequest;
    const maxPerSecond = (cpu.machineCpus * 1000) / perRequest;
    return {
      cpuMsPerRequest: Number(perRequest.toFixed(2)),
      maxPerSecond: Number(maxPerSecond.toFixed(1)),
      meanLatencyFloorMs: Number(((CLIENTS / maxPerSecond) * 1000).toFixed(1)),
      cpuMsPerRequestForTarget: Number(((cpu.machineCpus * targetMs) / CLIENTS).toFixed(2)),
    };
  };
  const searchCapacity = capacity(httpSearch.cpu, TARGET.searchP95Ms);
  say(
    `search capacity: ${searchCapacity.cpuMsPerRequest} ms of CPU a search (app ${httpSearch.cpu.appMsPerRequest}, PostgreSQL ${httpSearch.cpu.postgresMsPerRequest}, this benchmark ${httpSearch.cpu.benchMsPerRequest}); ${httpSearch.cpu.machineCpus} cores serve at most ${searchCapacity.maxPerSecond}/s, so ${CLIENTS} clients wait ${searchCapacity.meanLatencyFloorMs} ms on average at least; a mean under ${TARGET.searchP95Ms} ms needs at most ${searchCapacity.cpuMsPerRequestForTarget} ms a search`,
  );

  const ratio = (a: number | null, b: number | null) => (a && b ? Number((a / b).toFixed(2)) : null);
  const mark = (ok: boolean) => (ok ? "PASS" : "MISS");
  const resultJson = {
    benchmark: "search",
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
    },
    settings: {
      tenders: TENDERS,
      clients: CLIENTS,
      seconds: SECONDS,
      seed: SEED,
      database: server,
      databasePoolMax: appEnv.DATABASE_POOL_MAX,
      searchCacheSeconds: appEnv.SEARCH_CACHE_SECONDS,
      searchFacetBudgetMs: appEnv.SEARCH_FACET_BUDGET_MS,
      load: "closed loop: each client sends its next request when it has the answer; every search different",
    },
    data: {
      ...generated,
      publicTenders: sizes?.public,
      tendersTable: sizes?.tenders,
      database: sizes?.total,
    },
    search: {
      http: {
        ...search,
        cpu: httpSearch.cpu,
        capacity: searchCapacity,
        responsesWithSomeFacetCountsMissing: withoutFacets,
      },
      httpOneClient: { ...searchAlone, cpu: httpSearchAlone.cpu },
      direct: {
        ...searchDirect,
        cpu: directSearch.cpu,
        answersWithSomeFacetCountsMissing: directWithoutFacets,
      },
      ratioAppToDirect: {
        p50: ratio(search.latencyMs.p50, searchDirect.latencyMs.p50),
        p95: ratio(search.latencyMs.p95, searchDirect.latencyMs.p95),
      },
    },
    autocomplete: {
      http: { ...suggest, cpu: httpSuggest.cpu, capacity: capacity(httpSuggest.cpu, TARGET.suggestP95Ms) },
      httpOneClient: { ...suggestAlone, cpu: httpSuggestAlone.cpu },
      direct: { ...suggestDirect, cpu: directSuggestRun.cpu },
      ratioAppToDirect: {
        p50: ratio(suggest.latencyMs.p50, suggestDirect.latencyMs.p50),
        p95: ratio(suggest.latencyMs.p95, suggestDirect.latencyMs.p95),
      },
    },
    verdict: {
      [`search p95 < ${TARGET.searchP95Ms} ms`]: mark(
        (search.latencyMs.p95 ?? Infinity) < TARGET.searchP95Ms,
      ),
      [`autocomplete p95 < ${TARGET.suggestP95Ms} ms`]: mark(
        (suggest.latencyMs.p95 ?? Infinity) < TARGET.suggestP95Ms,
      ),
      "no failed requests": mark(search.failed === 0 && suggest.failed === 0),
    },
  };
  await fs.mkdir(path.join(root, "bench", "results"), { recursive: true });
  const file = path.join(root, "bench", "results", `search-${resultJson.at.replace(/[:.]/g, "-")}.json`);
  await fs.writeFile(file, `${JSON.stringify(resultJson, null, 2)}\n`);
  console.log(
    JSON.stringify(
      { search: resultJson.search, autocomplete: resultJson.autocomplete, verdict: resultJson.verdict },
      null,
      2,
    ),
  );
  say(`written ${path.relative(root, file)}`);
  exitCode = 0;
} catch (e) {
  console.error(e);
} finally {
  for (const step of cleanup) await step().catch((e) => console.error("cleanup:", e));
  await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
  agent.destroy();
  process.exit(exitCode);
}
