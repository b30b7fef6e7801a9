/**
 * How the server process is started. `npm start` (package.json) runs exactly
 * this command line, and so does every test and benchmark that starts the app
 * (a test in scripts/ checks that package.json agrees).
 *
 * --max-semi-space-size=64 (MB): V8's young generation, where a request's
 * short-lived objects live, is 16 MB by default; a busy server then spends a
 * sixth of its time collecting it. Measured with `npm run bench:bids`
 * (2026-11-25, same machine, one run each): closed-loop capacity 276 → 309
 * submissions/s, app CPU per submission 3.05 → 2.65 ms. Costs up to 192 MB
 * more memory per process at peak.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"] as const;

/** Arguments to `node` that start the server; `extra` node flags go first (e.g. --cpu-prof). */
export function serverArgs(extra: string[] = []): string[] {
  return [...SERVER_NODE_FLAGS, ...extra, "--import", "tsx", "scripts/start.ts"];
}

/** The `npm start` script, as package.json must have it. */
export const START_SCRIPT = `node ${serverArgs().join(" ")}`;
