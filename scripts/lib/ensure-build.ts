import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/** Everything whose change calls for a new build. */
const INPUTS = [
  "app",
  // The server bundle includes the drizzle schema (and the seed it may import).
  "db",
  "public",
  "package-lock.json",
  "vite.config.ts",
  "react-router.config.ts",
  "tsconfig.json",
];

async function hashInputs(root: string): Promise<string> {
  const hash = createHash("sha256");
  async function walk(p: string): Promise<void> {
    const st = await fs.stat(p).catch(() => undefined);
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of (await fs.readdir(p)).sort()) await walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p));
      hash.update(await fs.readFile(p));
    }
  }
  for (const input of INPUTS) await walk(path.join(root, input));
  return hash.digest("hex");
}

/**
 * Build the app when there is no build or the sources changed since the last
 * one, so `npm start` on a fresh clone (or after a pull) just works.
 */
export async function ensureBuild(root: string, log: (line: string) => void): Promise<void> {
  const stamp = path.join(root, "build", ".sources-sha256");
  const [want, have] = await Promise.all([hashInputs(root), fs.readFile(stamp, "utf8").catch(() => "")]);
  const built = await fs
    .access(path.join(root, "build", "server", "index.js"))
    .then(() => true)
    .catch(() => false);
  if (built && want === have) return;
  log(built ? "sources changed since the last build: building" : "no build yet: building the app");
  const started = Date.now();
  const result = spawnSync("npx", ["react-router", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`react-router build failed (exit ${result.status})`);
  await fs.writeFile(stamp, want);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
