// npm run ledger:verify: recompute every ledger transaction and balance of the
// database `npm start` uses; exit 1 naming the first mismatch.
import { verifyCheckpoints } from "#app/modules/ledger/checkpoints.server.ts";
import { loadPlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import { verifyLedger } from "#app/modules/ledger/verify-ledger.server.ts";
import { fail, loadEnvOrExit, say } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const env = loadEnvOrExit();
let exitCode = 0;
try {
  const { database, close } = await openDatabase(env, say, "shafaf-ledger-verify");
  try {
    const verdict = await verifyLedger(database.db);
    const key = await loadPlatformKey(env);
    const checkpoints = await verifyCheckpoints(database.db, new Map([[key.keyId, key.publicKey]]));
    if (checkpoints.ok) {
      const latest = checkpoints.latest;
      console.log(
        `checkpoints intact: ${checkpoints.checkpoints} signed by key ${key.keyId}` +
          (latest
            ? `; latest #${latest.id} closes ${latest.transactionCount} transactions, root ${latest.root}`
            : ""),
      );
    } else {
      console.error(`checkpoints BROKEN: ${checkpoints.detail}`);
      exitCode = 1;
    }
    if (verdict.ok)
      console.log(
        `ledger intact: ${verdict.transactions} transactions, ${verdict.accounts} accounts balance`,
      );
    else {
      console.error(`ledger BROKEN (${verdict.problem}): ${verdict.detail}`);
      exitCode = 1;
    }
  } finally {
    await close();
  }
} catch (e) {
  fail(e);
}
process.exit(exitCode);
