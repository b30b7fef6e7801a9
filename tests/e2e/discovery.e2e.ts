import fs from "node:fs";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { openPage } from "./browser.ts";
import { signInAs } from "./helpers.ts";

/** Screenshots of the journey, for people to look at (not compared by the test). */
const SHOTS = process.env.SHAFAF_SCREENSHOTS_DIR;
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test("search finds what a person means in Arabic, without JavaScript too; a signed-in investor saves a search and gets its feed", async () => {
  // "مدرسه" (ha for ta marbuta) finds "مدرسة", without JavaScript, state in the URL.
  const plain = await openPage({ lang: "ar", javaScript: false });
  await plain.page.goto("/tenders");
  await plain.page.locator("#search-q").fill("مدرسه الجهراء");
  await plain.page.locator("form[role=search] button[type=submit]").first().click();
  await plain.page.waitForURL(/q=/);
  expect(decodeURIComponent(plain.page.url())).toContain("q=مدرسه");
  await expect(plain.page.locator("main").textContent()).resolves.toContain(
    "إنشاء مدرسة ابتدائية في الجهراء",
  );
  await shot(plain.page, "discovery-01-search-ar");
  await plain.context.close();

  // An investor searches in English, saves the search with instant alerts, and finds it with its feed.
  const investor = await openPage({ lang: "en" });
  const p = investor.page;
  await signInAs(p, "investor@shafaf.test");
  await p.goto("/tenders?q=lighting");
  await expect(p.locator("main").textContent()).resolves.toContain("Street lighting upgrade in Al Olaya");
  await p.locator("form.save-search input[name=name]").fill("Street lighting");
  await p.locator("form.save-search select[name=frequency]").selectOption("instant");
  await p.locator("form.save-search button[type=submit]").click();
  await p.waitForURL(/\/searches\?notice=searchSaved/);
  await expect(p.locator("main table").textContent()).resolves.toContain("Street lighting");
  await shot(p, "discovery-02-saved-searches-en");
  const feedHref = await p.locator("main table a[type='application/atom+xml']").getAttribute("href");
  expect(feedHref).toBe("/tenders/feed.atom?q=lighting");
  const feed = await p.request.get(feedHref!);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("application/atom+xml");
  const xml = await feed.text();
  expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
  expect(xml).toContain("Street lighting upgrade in Al Olaya");
  expect(investor.consoleErrors).toEqual([]);
  await investor.context.close();
});

test("the insights page draws its charts on the server, in both languages, each with its data as CSV", async () => {
  for (const lang of ["ar", "en"] as const) {
    const { page, context, consoleErrors } = await openPage({ lang, javaScript: false });
    await page.goto("/insights");
    expect(await page.locator("figure.chart svg").count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator("figure.chart svg rect.chart__bar").count()).toBeGreaterThan(5);
    await shot(page, `discovery-03-insights-${lang}`);
    const csvHref = await page.locator("figure.chart a[download]").first().getAttribute("href");
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split("\n")[0]).toBe("category,amount,currency,awards");
    await page.goto("/insights/red-flags");
    expect(await page.locator(".flag-list__item").count()).toBeGreaterThan(0);
    await shot(page, `discovery-04-red-flags-${lang}`);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }
});
