import fs from "node:fs/promises";
import { expect, test } from "vitest";
import { START_SCRIPT } from "./server-command.ts";

test("npm start runs the server command that tests and benchmarks run", async () => {
  const pkg = JSON.parse(await fs.readFile(new URL("../../package.json", import.meta.url), "utf8"));
  expect(pkg.scripts.start).toBe(START_SCRIPT);
});
