import { expect, test } from "vitest";
import { openPage } from "./browser.ts";

test("the public transparency page shows revenue from the ledger and a signed checkpoint", async () => {
  const { page, context, consoleErrors } = await openPage({ lang: "en" });
  // The first checkpoint is closed by a job right after start.
  for (let i = 0; i < 40; i++) {
    await page.goto("/transparency");
    if ((await page.locator("dt", { hasText: "Checkpoint" }).count()) > 0) break;
    await page.waitForTimeout(500);
  }
  const table = await page.locator("table").textContent();
  expect(table).toContain("Ministry of Public Works");
  expect(table).toMatch(/KWD\s?50\.000/); // two tender-document fees of 25.000 KWD
  expect(table).toMatch(/SAR\s?750\.00/);
  await expect(page.locator("dd code").first().textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
  await expect(page.locator("pre").textContent()).resolves.toContain("BEGIN PUBLIC KEY");
  expect(consoleErrors).toEqual([]);
  await context.close();
});
