import { expect, test } from "vitest";
import { connectDatabase } from "#db/client.server.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { checkHealth } from "./health.server.ts";

test("healthy when the database answers", async () => {
  await expect(checkHealth(testDatabase())).resolves.toEqual({ status: "ok", db: "ok" });
});

test("reports the database down when it cannot be reached", async () => {
  const unreachable = connectDatabase("postgres://nobody:x@127.0.0.1:1/none", { max: 1 });
  try {
    await expect(checkHealth(unreachable, 2_000)).resolves.toEqual({ status: "degraded", db: "down" });
  } finally {
    await unreachable.close();
  }
});
