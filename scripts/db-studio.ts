// npm run db:studio: drizzle-kit studio on the database `npm start` uses.
import { spawn } from "node:child_process";
import { fail, loadEnvOrExit, say } from "./lib/cli.ts";
import { resolveDatabaseServer } from "./lib/database.ts";

const env = loadEnvOrExit();
try {
  const server = await resolveDatabaseServer(env, say);
  const child = spawn("npx", ["drizzle-kit", "studio", ...process.argv.slice(2)], {
    stdio: "inherit",
    // drizzle.config.ts reads the URL from here: the one place a child is told where the database is.
    env: { ...process.env, DRIZZLE_DATABASE_URL: server.url },
  });
  const stop = () => child.kill("SIGTERM");
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  child.on("exit", async (code) => {
    await server.release();
    process.exit(code ?? 0);
  });
} catch (e) {
  fail(e);
}
