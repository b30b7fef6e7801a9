// npm run bench:bids — sealed bids submitted over HTTP to the real app, as
// businesses' browsers would (a signed-in session, a form post, a 302 back).
// Starts its own throw-away embedded PostgreSQL (or uses DATABASE_URL's server,
// in a fresh database), starts the app on it exactly as `npm start` does (free
// ports, a temporary DATA_DIR, production build), publishes one tender and
// signs in --bidders businesses, then measures, in one run:
//   1. target:   open loop at --rate submissions/s (default 220) for --seconds (default 60);
//   2. overload: open loop at twice that rate for half as long: the excess must be
//                answered 503 + Retry-After (load shedding), never time out or fail;
//   3. capacity: closed loop, --clients clients (default 16) each submitting as soon
//                as it has its answer, for a quarter of --seconds: the most it takes;
//   4. baseline: plain INSERTs of rows of the same size into a trigger-free copy of
//                bid_versions, one per transaction, same concurrency as 3;
//   5. deadline: the deadline moved to now + 3 s while submitting at --rate for 6 s;
// then checks integrity: every request answered 302 left exactly one bid version
// (each sealed bid carries its request's number; they are unsealed and matched),
// no other request left one, none was received at or after the deadline, the
// audit chain verifies. Open loop: requests leave on a fixed schedule whatever
// the answers, and latency counts from the scheduled time (no coordinated
// omission). A client gives up after 5 s (a failure). Prints PASS/MISS per
// target and writes bench/results/bids-<timestamp>.json; exits non-zero only
// when integrity fails.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import getPort from "get-port";
import postgres from "postgres";
import { sessionCookieHeader } from "#app/modules/accounts/session-cookie.server.ts";
import { createSession } from "#app/modules/accounts/sessions.server.ts";
import { verifyAuditChain } from "#app/modules/audit/verify-audit-chain.server.ts";
import { open, unwrapDataKey } from "#app/modules/bids/envelope.server.ts";
import { loadBidMasterKey } from "#app/modules/bids/master-key.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  publishTender,
} from "#app/modules/tenders/author-tender.server.ts";
import { parseEnv } from "#app/utils/env.server.ts";
import { connectDatabase } from "#db/client.server.ts";
import { tenders } from "#db/schema/index.ts";
import { startEmbeddedPostgres } from "#scripts/lib/embedded-postgres.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { type RunningApp, startAppProcess } from "./lib/app-process.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const SECONDS = arg("seconds", 60);
const RATE = arg("rate", 220);
const BIDDERS = arg("bidders", 1000);
const CLIENTS = arg("clients", 16);
const CLIENT_TIMEOUT_MS = 5_000;
const TARGET = { perSecond: 200, p99Ms: 300 };

const say = (line: string) => console.log(`[bench:bids] ${line}`);
/** Other programs on the machine skew every figure: the load before we start says how busy it was. */
const loadAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
const benchEnv = parseEnv(process.env);
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "shafaf-bench-bids-"));
const cleanup: Array<() => Promise<void>> = [];
let exitCode = 1;

// ---------------------------------------------------------------- database and app

async function startDatabase(): Promise<string> {
  let adminUrl: string;
  if (benchEnv.DATABASE_URL) {
    const u = new URL(benchEnv.DATABASE_URL);
    u.pathname = "/postgres";
    adminUrl = u.toString();
  } else {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(tmp, "postgres"),
      passwordFile: path.join(tmp, "pw"),
      port: await getPort(),
      database: "postgres",
    });
    adminUrl = pg.url;
    cleanup.unshift(() => pg.release());
  }
  const name = `shafaf_bench_bids_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  cleanup.unshift(async () => {
    await admin.unsafe(`drop database "${name}" with (force)`);
    await admin.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startApp(databaseUrl: string, masterKey: string): Promise<RunningApp> {
  const app = await startAppProcess({
    root,
    dataDir: path.join(tmp, "app"),
    databaseUrl,
    env: { BID_MASTER_KEY: masterKey },
    // Settings under test pass through from the bench's own environment.
    passThrough: [
      "DATABASE_POOL_MAX",
      "BID_MAX_IN_FLIGHT",
      "BID_QUEUE_MAX",
      "BID_QUEUE_WAIT_MS",
      "WEB_CONCURRENCY",
    ],
  });
  cleanup.unshift(app.stop);
  return app;
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

/** CPU time (ms) used so far by the app process, by every PostgreSQL process, by this process, and in all. */
async function cpuSnapshot(appPid: number | undefined) {
  const stat = await fs.readFile("/proc/stat", "utf8").catch(() => "");
  const fields = (stat.split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const tick = 10; // ms per USER_HZ tick (100 on Linux)
  const total = fields.reduce((a, b) => a + b, 0) * tick;
  const idle = ((fields[3] ?? 0) + (fields[4] ?? 0)) * tick;
  const system = (fields[2] ?? 0) * tick;
  let app = 0;
  let postgresMs = 0;
  for (const pid of await fs.readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const own = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const name = own.slice(own.indexOf("(") + 1, own.lastIndexOf(")"));
    const after = own.slice(own.lastIndexOf(")") + 2).split(" ");
    const used = (Number(after[11] ?? 0) + Number(after[12] ?? 0)) * tick; // utime + stime
    if (Number(pid) === appPid) app = used;
    else if (name === "postgres") postgresMs += used;
  }
  const bench = process.cpuUsage();
  return {
    total,
    idle,
    system,
    app,
    postgres: postgresMs,
    bench: (bench.user + bench.system) / 1000,
    at: performance.now(),
  };
}
type Cpu = Awaited<ReturnType<typeof cpuSnapshot>>;

/**
 * Share of the machine (100 % = every core busy for the whole interval) used
 * over the interval, and by whom. PostgreSQL processes that ended within the
 * interval are not counted; "other" is what the rest of the machine used
 * (the kernel's own threads and any other program running meanwhile).
 */
function cpuBetween(a: Cpu, b: Cpu) {
  const capacity = (b.at - a.at) * os.cpus().length;
  const pct = (n: number) => Math.round((n / capacity) * 100);
  const busy = b.total - a.total - (b.idle - a.idle);
  const app = b.app - a.app;
  const pg = b.postgres - a.postgres;
  const bench = b.bench - a.bench;
  return {
    machineBusyPercent: pct(busy),
    kernelPercent: pct(b.system - a.system),
    appPercent: pct(app),
    postgresPercent: pct(pg),
    benchClientPercent: pct(bench),
    otherPercent: Math.max(0, pct(busy - app - pg - bench)),
    ms: { app, postgres: pg },
  };
}

// ---------------------------------------------------------------- the load

type Outcome = "accepted" | "shed" | "late" | "server_error" | "other" | "timeout" | "network_error";

interface Answer {
  id: number;
  bidder: number;
  phase: string;
  /** When it should have left (open loop) or left (closed loop), performance.now() ms. */
  scheduledAt: number;
  /** Wall clock when it left, ms since the epoch. */
  sentAtWall: number;
  latencyMs: number;
  status: number;
  outcome: Outcome;
  retryAfter: boolean;
  /** For a network error: its code. */
  error?: string;
}

// Keep-alive, and an idle connection is dropped here (4 s) before the server drops it (5 s),
// so a request never goes out on a connection the server is closing at that moment.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4096, maxFreeSockets: 4096, timeout: 4_000 });
let nextId = 1;
const answers: Answer[] = [];

interface Target {
  host: string;
  port: number;
  path: string;
  /** Per bidder: the request headers, and the body up to the request number (fixed width, so one length). */
  headers: Array<Record<string, string>>;
  bodies: string[];
}

const ID_DIGITS = 10;
const responseText =
  "Bench bid: ten years of supplying and maintaining similar equipment to public agencies #";

function submit(target: Target, phase: string, scheduledAt: number): Promise<Answer> {
  const id = nextId++;
  const bidder = id % target.bodies.length;
  const body = target.bodies[bidder]! + String(id).padStart(ID_DIGITS, "0");
  const sentAtWall = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (status: number, outcome: Outcome, retryAfter = false, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const answer: Answer = {
        id,
        bidder,
        phase,
        scheduledAt,
        sentAtWall,
        latencyMs: performance.now() - scheduledAt,
        status,
        outcome,
        retryAfter,
        ...(error ? { error } : {}),
      };
      answers.push(answer);
      resolve(answer);
    };
    const req = http.request({
      agent,
      host: target.host,
      port: target.port,
      path: target.path,
      method: "POST",
      headers: target.headers[bidder],
    });
    const timer = setTimeout(() => {
      done(0, "timeout");
      req.destroy();
    }, CLIENT_TIMEOUT_MS);
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => {
        const s = res.statusCode ?? 0;
        const location = String(res.headers.location ?? "");
        if (s === 302 && location.includes("notice=bidSubmitted")) done(s, "accepted");
        else if (s === 503) done(s, "shed", res.headers["retry-after"] === "1");
        else if (s === 409) done(s, "late");
        else if (s >= 500) done(s, "server_error");
        else done(s, "other");
      });
      res.on("error", (e: NodeJS.ErrnoException) =>
        done(res.statusCode ?? 0, "network_error", false, e.code ?? e.message),
      );
    });
    req.on("error", (e: NodeJS.ErrnoException) => done(0, "network_error", false, e.code ?? e.message));
    req.end(body);
  });
}

/** Open loop: `rate` requests a second for `seconds`, on schedule whatever the answers. */
async function openLoop(target: Target, phase: string, rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now() + 5;
  const pending: Array<Promise<Answer>> = [];
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now)
        pending.push(submit(target, phase, start + i++ * interval));
      if (i >= total) return resolve();
      setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  return { elapsed: (performance.now() - start) / 1000 };
}

/** Closed loop: `clients` clients, each sending its next request as soon as it has an answer. */
async function closedLoop(target: Target, phase: string, clients: number, seconds: number) {
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) await submit(target, phase, performance.now());
    }),
  );
  return { elapsed: (performance.now() - start) / 1000 };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!)
    : null;

function latency(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
  };
}

function summarise(phase: string, elapsed: number, cpu: ReturnType<typeof cpuBetween>, offered?: number) {
  const mine = answers.filter((a) => a.phase === phase);
  const count = (o: Outcome) => mine.filter((a) => a.outcome === o).length;
  const answered = mine.filter((a) => a.outcome !== "timeout" && a.outcome !== "network_error");
  const accepted = mine.filter((a) => a.outcome === "accepted");
  const shed = mine.filter((a) => a.outcome === "shed");
  return {
    ...(offered ? { offeredPerSecond: offered } : {}),
    seconds: Number(elapsed.toFixed(1)),
    requests: mine.length,
    accepted: accepted.length,
    acceptedPerSecond: Math.round(accepted.length / elapsed),
    shed503: shed.length,
    shed503WithRetryAfter: shed.filter((a) => a.retryAfter).length,
    late409: count("late"),
    serverErrors: count("server_error"),
    otherAnswers: count("other"),
    timeouts: count("timeout"),
    networkErrors: count("network_error"),
    ...(count("network_error")
      ? { networkErrorCodes: [...new Set(mine.filter((a) => a.error).map((a) => a.error))] }
      : {}),
    latencyMsAllAnswered: latency(answered.map((a) => a.latencyMs)),
    latencyMsAccepted: latency(accepted.map((a) => a.latencyMs)),
    latencyMsShed: latency(shed.map((a) => a.latencyMs)),
    cpu: {
      ...cpu,
      ms: undefined,
      // CPU time spent per request answered (accepted or shed), in ms.
      appMsPerRequest: Number((cpu.ms.app / Math.max(1, answered.length)).toFixed(2)),
      postgresMsPerRequest: Number((cpu.ms.postgres / Math.max(1, answered.length)).toFixed(2)),
    },
  };
}

// ---------------------------------------------------------------- the run

try {
  const masterKey = randomBytes(32).toString("base64");
  const databaseUrl = await startDatabase();
  say("starting the app (it builds first if the sources changed)");
  const app = await startApp(databaseUrl, masterKey);
  const appEnv = parseEnv(app.env, root);
  say(`app ready at ${app.baseUrl}`);

  const database = connectDatabase(databaseUrl, { max: CLIENTS + 4, applicationName: "bench" });
  cleanup.unshift(() => database.close());
  const { db, sql } = database;
  const master = await loadBidMasterKey({ BID_MASTER_KEY: masterKey, dataDir: appEnv.dataDir });

  // One published tender (a lot, an item, a technical and a financial criterion), deadline far ahead.
  const agency = await createOrganisation(db, agencyData({ currency: "KWD", timeZone: "Asia/Kuwait" }));
  const officer = actorOf(
    await createUser(db, { memberships: [{ organisationId: agency.id, roles: ["procurement_officer"] }] }),
    { organisationId: agency.id, kind: "agency", roles: ["procurement_officer"] },
  );
  const kuwait = (inMs: number) => new Date(Date.now() + inMs + 3 * 3600_000).toISOString().slice(0, 16);
  const day = 86_400_000;
  const draft = await createTenderDraft(
    {
      actor: officer,
      form: {
        titleAr: "توريد أجهزة حاسب (قياس)",
        titleEn: "Supply of computers (benchmark)",
        method: "open",
        category: "goods",
        requireVerified: "on",
        enquiryDeadline: kuwait(29 * day),
        submissionDeadline: kuwait(30 * day),
        openingAt: kuwait(31 * day),
      },
    },
    db,
  );
  const lot = await addLot(
    { actor: officer, tenderId: draft.id, titleAr: "أجهزة", titleEn: "Computers" },
    db,
  );
  await addItem(
    {
      actor: officer,
      tenderId: draft.id,
      lotId: lot.id,
      descriptionAr: "حاسب محمول",
      descriptionEn: "Laptop",
      quantity: "50",
      unit: "H87",
    },
    db,
  );
  await addCriterion(
    {
      actor: officer,
      tenderId: draft.id,
      nameAr: "الخبرة",
      nameEn: "Experience",
      kind: "technical",
      weight: "30",
    },
    db,
  );
  await addCriterion(
    { actor: officer, tenderId: draft.id, nameAr: "السعر", nameEn: "Price", kind: "financial", weight: "70" },
    db,
  );
  const tender = await publishTender({ actor: officer, tenderId: draft.id }, { db, master });
  const technical = tender.criteria.find((c) => c.kind === "technical")!.key;

  // Verified businesses, each with a bidder signed in (a session made as sign-in makes it).
  say(`signing in ${BIDDERS} bidders of verified businesses`);
  const businesses: string[] = [];
  const headers: Array<Record<string, string>> = [];
  const bodies: string[] = [];
  const policy = { idleMinutes: appEnv.SESSION_IDLE_MINUTES, absoluteHours: appEnv.SESSION_ABSOLUTE_HOURS };
  const bodyPrefix = `intent=submit&price-${lot.id}=1500.250&response-${technical}=${encodeURIComponent(responseText)}`;
  const signIn = async (i: number) => {
    const business = await createOrganisation(db, businessData({ verification: "verified" }));
    const user = await createUser(db, {
      memberships: [{ organisationId: business.id, roles: [i % 2 ? "bidder" : "owner"] }],
    });
    const { token, session } = await createSession(
      db,
      { userId: user.id, organisationId: business.id, ip: "127.0.0.1", userAgent: "shafaf-bench" },
      policy,
    );
    const cookie = (await sessionCookieHeader(new Request(app.baseUrl), token, session.expiresAt)).split(
      ";",
    )[0]!;
    businesses[i] = business.id;
    bodies[i] = bodyPrefix;
    headers[i] = {
      host: `127.0.0.1:${app.port}`,
      cookie,
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(bodyPrefix) + ID_DIGITS),
      accept: "text/html",
      "user-agent": "shafaf-bench",
    };
  };
  for (let i = 0; i < BIDDERS; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, BIDDERS - i) }, (_, j) => signIn(i + j)));
  const target: Target = {
    host: "127.0.0.1",
    port: app.port,
    path: `/tenders/${tender.id}/bid`,
    headers,
    bodies,
  };

  // Warm up (not counted): JIT, connection pools, keys loaded.
  say("warming up");
  await openLoop(target, "warmup", Math.min(RATE, 100), 3);
  const warm = answers.filter((a) => a.phase === "warmup");
  if (!warm.some((a) => a.outcome === "accepted"))
    throw new Error(
      `no submission was accepted while warming up: ${JSON.stringify(warm.slice(0, 3))}\n${app.log().slice(-3000)}`,
    );

  // Baseline: plain INSERTs of rows the size of a real bid version, into a trigger-free copy.
  const [sample] = await sql`select * from bid_versions order by received_at limit 1`;
  const sealedBytes = (sample!.sealed as Buffer).length;
  await sql`create table bench_bid_versions (like bid_versions including defaults)`;
  const baselineSeconds = Math.max(5, SECONDS / 6);
  say(`baseline: plain INSERTs, ${CLIENTS} writers, ${baselineSeconds.toFixed(0)} s`);
  let inserted = 0;
  const baselineStarted = performance.now();
  const baselineEnd = baselineStarted + baselineSeconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      let v = 0;
      const bidId = crypto.randomUUID();
      while (performance.now() < baselineEnd) {
        await sql`insert into bench_bid_versions
          (bid_id, version, sealed, sealed_sha256, received_at, received_at_text,
           receipt_statement, receipt_signature, receipt_key_id, status, submitted_by)
          values (${bidId}, ${++v}, ${randomBytes(sealedBytes)}, ${sample!.sealed_sha256}, now(),
           ${sample!.received_at_text}, ${sample!.receipt_statement}, ${sample!.receipt_signature},
           ${sample!.receipt_key_id}, 'submitted', ${sample!.submitted_by})`;
        inserted++;
      }
      return w;
    }),
  );
  const insertsPerSecond = inserted / ((performance.now() - baselineStarted) / 1000);

  const phases: Record<string, ReturnType<typeof summarise>> = {};
  const measure = async (name: string, run: () => Promise<{ elapsed: number }>, offered?: number) => {
    const before = await cpuSnapshot(app.child.pid);
    const { elapsed } = await run();
    phases[name] = summarise(name, elapsed, cpuBetween(before, await cpuSnapshot(app.child.pid)), offered);
    const p = phases[name];
    say(
      `${name}: ${p.acceptedPerSecond}/s accepted, p99 ${p.latencyMsAllAnswered.p99} ms, ${p.shed503} × 503, ` +
        `${p.timeouts + p.networkErrors + p.serverErrors + p.otherAnswers} failed`,
    );
  };

  say(`target: open loop, ${RATE}/s for ${SECONDS} s`);
  await measure("target", () => openLoop(target, "target", RATE, SECONDS), RATE);
  say(`overload: open loop, ${RATE * 2}/s for ${SECONDS / 2} s`);
  await measure("overload", () => openLoop(target, "overload", RATE * 2, SECONDS / 2), RATE * 2);
  say(`capacity: closed loop, ${CLIENTS} clients for ${(SECONDS / 4).toFixed(0)} s`);
  await measure("capacity", () => closedLoop(target, "capacity", CLIENTS, SECONDS / 4));

  // The deadline: moved to 3 s from now (database clock) while bids keep coming for 6 s.
  say("deadline: closing 3 s from now while submitting for 6 s");
  const [moved] = await sql`update tenders
    set submission_deadline = now() + interval '3 seconds',
        enquiry_deadline = now() + interval '3 seconds' - interval '1 hour'
    where id = ${tender.id} returning (extract(epoch from submission_deadline) * 1000)::float8 as ms`;
  const deadline = new Date(Number(moved!.ms));
  await measure("deadline", () => openLoop(target, "deadline", RATE, 6), RATE);

  // ---------------------------------------------------------------- integrity
  say("checking integrity: unsealing every bid version");
  const problems: string[] = [];
  const stored = await db.select().from(tenders).where(eq(tenders.id, tender.id));
  const dataKey = unwrapDataKey(master, stored[0]!.dataKeyWrapped!, tender.id);
  const rows = await sql<
    Array<{
      business_id: string;
      bid_id: string;
      version: number;
      sealed: Buffer;
      received_at: Date;
      exact: string;
    }>
  >`select b.business_id, v.bid_id, v.version, v.sealed, v.received_at,
       to_char(v.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as exact
    from bid_versions v join bids b on b.id = v.bid_id where b.tender_id = ${tender.id}`;
  const [deadlineRow] =
    await sql`select to_char(submission_deadline at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as exact
    from tenders where id = ${tender.id}`;
  const deadlineExact = deadlineRow!.exact as string;
  const byId = new Map(answers.map((a) => [a.id, a]));
  const seen = new Set<number>();
  let late = 0;
  for (const row of rows) {
    let id: number;
    try {
      const content = JSON.parse(open(dataKey, row.sealed, `bid:${row.bid_id}:v${row.version}`).toString());
      id = Number(String(content.responses[technical]).slice(-ID_DIGITS));
    } catch (e) {
      problems.push(`bid ${row.bid_id} v${row.version} does not unseal: ${(e as Error).message}`);
      continue;
    }
    if (seen.has(id)) problems.push(`request ${id} stored twice`);
    seen.add(id);
    const answer = byId.get(id);
    if (!answer) problems.push(`request ${id} stored but never sent`);
    else if (answer.outcome !== "accepted")
      problems.push(`request ${id} stored but answered ${answer.status || answer.outcome} (${answer.phase})`);
    else if (businesses[answer.bidder] !== row.business_id)
      problems.push(`request ${id} stored under another business`);
    if (row.exact >= deadlineExact) late++;
  }
  if (late) problems.push(`${late} bid versions received at or after the deadline`);
  const accepted = answers.filter((a) => a.outcome === "accepted");
  const lost = accepted.filter((a) => !seen.has(a.id));
  if (lost.length)
    problems.push(`${lost.length} requests answered 302 but not stored (first: ${lost[0]!.id})`);
  // Versions of each bid are 1..n, no gap.
  const [gaps] = await sql`select count(*)::int as n from (
      select bid_id, max(version) as top, count(*) as n from bid_versions group by bid_id) g where top <> n`;
  if (gaps!.n) problems.push(`${gaps!.n} bids have gaps in their versions`);
  const sentAfter = answers.filter((a) => a.phase === "deadline" && a.sentAtWall > deadline.getTime());
  const acceptedAfter = sentAfter.filter((a) => a.outcome === "accepted").length;
  if (acceptedAfter) problems.push(`${acceptedAfter} requests sent after the deadline were accepted`);
  const [audited] = await sql`select count(*)::int as n from audit_events where action = 'bid.submitted'`;
  if (audited!.n !== rows.length)
    problems.push(`${audited!.n} bid.submitted audit events for ${rows.length} bid versions`);
  const chain = await verifyAuditChain(db);
  if (!chain.ok) problems.push(`audit chain broken at ${chain.brokenAt} (${chain.reason})`);

  const d = phases.deadline!;
  const dl = answers.filter((a) => a.phase === "deadline");
  const deadlineResult = {
    deadline: deadline.toISOString(),
    sentBefore: dl.length - sentAfter.length,
    acceptedBefore: dl.filter((a) => a.outcome === "accepted").length - acceptedAfter,
    sentAfter: sentAfter.length,
    answeredAfter409: sentAfter.filter((a) => a.outcome === "late").length,
    answeredAfter503: sentAfter.filter((a) => a.outcome === "shed").length,
    acceptedAfter,
    versionsReceivedAtOrAfterDeadline: late,
    latencyMsAllAnswered: d.latencyMsAllAnswered,
  };
  const t = phases.target!;
  const o = phases.overload!;
  const cap = phases.capacity!;
  const failures = (p: typeof t) => p.timeouts + p.networkErrors + p.serverErrors + p.otherAnswers;
  const mark = (ok: boolean) => (ok ? "PASS" : "MISS");
  const result = {
    benchmark: "bids",
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverageAtStart: loadAtStart },
    load: "open loop at a fixed rate (target, overload, deadline; latency from the scheduled time); closed loop for capacity and the baseline",
    settings: {
      seconds: SECONDS,
      rate: RATE,
      bidders: BIDDERS,
      clients: CLIENTS,
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
      databasePoolMax: appEnv.DATABASE_POOL_MAX,
      bidMaxInFlight: appEnv.BID_MAX_IN_FLIGHT ?? appEnv.DATABASE_POOL_MAX,
      bidQueueMax: appEnv.BID_QUEUE_MAX,
      bidQueueWaitMs: appEnv.BID_QUEUE_WAIT_MS,
      sealedBytes,
    },
    target: t,
    overload: o,
    capacity: cap,
    baseline: { insertsPerSecond: Math.round(insertsPerSecond), concurrency: CLIENTS, rowBytes: sealedBytes },
    ratioToPlainInserts: {
      capacity: Number((cap.acceptedPerSecond / insertsPerSecond).toFixed(3)),
      target: Number((t.acceptedPerSecond / insertsPerSecond).toFixed(3)),
    },
    deadline: deadlineResult,
    integrity: {
      ok: problems.length === 0,
      bidVersions: rows.length,
      acceptedAnswers: accepted.length,
      auditEvents: chain.events,
      problems: problems.slice(0, 20),
    },
    verdict: {
      [`target: >= ${TARGET.perSecond} submissions/s`]: mark(t.acceptedPerSecond >= TARGET.perSecond),
      [`target: p99 < ${TARGET.p99Ms} ms`]: mark((t.latencyMsAllAnswered.p99 ?? Infinity) < TARGET.p99Ms),
      "target: no failures": mark(failures(t) === 0),
      "overload: excess answered 503 + Retry-After": mark(
        o.shed503 > 0 && o.shed503WithRetryAfter === o.shed503,
      ),
      "overload: no time-outs, no 5xx but 503": mark(failures(o) === 0),
      "none lost (every 302 stored once, nothing else stored)": mark(problems.length === 0),
      "none accepted late": mark(late === 0 && acceptedAfter === 0),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  await fs.mkdir(path.join(root, "bench/results"), { recursive: true });
  const file = path.join(root, "bench/results", `bids-${result.at.replace(/[:.]/g, "-")}.json`);
  await fs.writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  say(`written to ${path.relative(root, file)}`);
  if (problems.length) say(`INTEGRITY FAILED:\n  ${problems.slice(0, 20).join("\n  ")}`);
  exitCode = problems.length ? 1 : 0;
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  agent.destroy();
  for (const step of cleanup) await step().catch((e) => console.error("cleanup:", e));
  await fs.rm(tmp, { recursive: true, force: true });
}
process.exit(exitCode);
