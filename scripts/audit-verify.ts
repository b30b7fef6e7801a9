// npm run audit:verify: recompute the audit chain of the database `npm start`
// uses and name the first event that was edited, deleted or reordered.
import { verifyAuditChain } from "#app/modules/audit/verify-audit-chain.server.ts";
import { fail, loadEnvOrExit, say } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const env = loadEnvOrExit();
let exitCode = 0;
try {
  const { database, close } = await openDatabase(env, say, "shafaf-audit-verify");
  try {
    const verdict = await verifyAuditChain(database.db);
    if (verdict.ok) {
      console.log(`audit chain intact: ${verdict.events} events, last hash ${verdict.lastHash}`);
    } else {
      const what =
        verdict.reason === "content_changed"
          ? "its content no longer matches its hash (edited)"
          : "it does not link to the event before it (an event was deleted or reordered)";
      console.error(
        `audit chain BROKEN at event #${verdict.brokenAt}: ${what}. ${verdict.events} events before it verify.`,
      );
      exitCode = 1;
    }
  } finally {
    await close();
  }
} catch (e) {
  fail(e);
}
process.exit(exitCode);
