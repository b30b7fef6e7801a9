import { defineConfig } from "vitest/config";

// Browser tests: the real app (`npm start`'s entry point) on a free port with
// its own embedded database, driven by the system Chromium through playwright-core.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
