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
  // The first table is the revenue (the permit service levels follow).
  const table = await page.locator("table").first().textContent();
  expect(table).toContain("Ministry of Public Works");
  // Amounts in each currency's own decimals (other browser tests add payments, so no totals here).
  expect(table).toMatch(/KWD\s?[\d,]+\.\d{3}(?!\d)/);
  expect(table).toMatch(/SAR\s?[\d,]+\.\d{2}(?!\d)/);
  await expect(page.locator("dd code").first().textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
  await expect(page.locator("pre").textContent()).resolves.toContain("BEGIN PUBLIC KEY");
  expect(consoleErrors).toEqual([]);
  await context.close();
});
