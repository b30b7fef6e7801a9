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

/** A datetime-local value `days` from now in Asia/Kuwait (UTC+3, no daylight saving). */
const kuwaitIn = (days: number) =>
  new Date(Date.now() + days * 86_400_000 + 3 * 3600_000).toISOString().slice(0, 16);

test("an officer publishes a tender; a business asks and is answered, pays the fee, seals a bid and keeps its receipt; two officers open the bids of a closed tender", async () => {
  // 1. The officer drafts, completes and publishes a tender.
  const officer = await openPage({ lang: "en" });
  await signInAs(officer.page, "officer1@works.gov.test");
  await officer.page.goto("/tenders/manage/new");
  const p = officer.page;
  await p.getByLabel("Title (Arabic)").fill("إنشاء جسر مشاة على طريق الفحيحيل");
  await p.getByLabel("Title (English)").fill("Pedestrian bridge on Fahaheel road");
  await p.getByLabel("Category").selectOption("works");
  await p.getByLabel("CPV classification codes").fill("45221111-3");
  await p.getByLabel("Tender document fee (KWD)").fill("10.000");
  await p.getByLabel("Enquiries close").fill(kuwaitIn(3));
  await p.getByLabel("Bids close").fill(kuwaitIn(6));
  await p.getByLabel("Bids are opened").fill(kuwaitIn(6.1));
  await p.getByRole("button", { name: "Create draft" }).click();
  await p.locator("h1", { hasText: "Pedestrian bridge" }).waitFor();
  const tenderPath = new URL(p.url()).pathname;
  const tenderId = tenderPath.split("/").at(-1)!;
  await p.getByLabel("Lot title (Arabic)").fill("الجسر");
  await p.getByLabel("Lot title (English)").fill("The bridge");
  await p.getByRole("button", { name: "Add lot" }).click();
  await p.locator("h3", { hasText: "The bridge" }).waitFor();
  await p.locator("summary", { hasText: "Add item" }).click();
  await p.getByLabel("Item (Arabic)").fill("هيكل فولاذي");
  await p.getByLabel("Item (English)").fill("Steel structure");
  await p.getByLabel("Quantity").fill("1");
  await p.getByLabel("Unit", { exact: true }).selectOption("LS");
  await p.getByRole("button", { name: "Add item" }).click();
  await p.locator("td", { hasText: "Steel structure" }).waitFor();
  for (const [ar, en, kind, weight] of [
    ["الخبرة", "Experience", "technical", "50"],
    ["السعر", "Price", "financial", "50"],
  ] as const) {
    await p.getByLabel("Criterion (Arabic)").fill(ar);
    await p.getByLabel("Criterion (English)").fill(en);
    await p.getByLabel("Kind").selectOption(kind);
    await p.getByLabel("Weight").fill(weight);
    await p.getByRole("button", { name: "Add criterion" }).click();
    await p.locator("td", { hasText: en }).first().waitFor();
  }
  await p.getByRole("button", { name: "Publish", exact: true }).click();
  await p.waitForURL(/notice=tenderPublished/);
  await shot(p, "tender-officer-en");
  expect(officer.consoleErrors).toEqual([]);

  // 2. A business reads it, asks a question; the second officer answers.
  const business = await openPage({ lang: "ar" });
  await signInAs(business.page, "owner@alnoor.test");
  const b = business.page;
  await b.goto(`/tenders/${tenderId}/questions`);
  await b.locator("textarea").first().fill("هل يشمل العقد أعمال الإنارة على الجسر؟");
  await b.locator("form button[type=submit], form button").last().click();
  await b.waitForURL(/notice=/);

  const second = await openPage({ lang: "en" });
  await signInAs(second.page, "officer2@works.gov.test");
  await second.page.goto(`/tenders/${tenderId}/questions`);
  await second.page
    .locator("#officer textarea")
    .first()
    .fill("Yes, the lighting of the bridge is part of the works.");
  await second.page.getByRole("button", { name: "Publish answer" }).first().click();
  await second.page.waitForURL(/notice=/);
  await b.goto(`/tenders/${tenderId}/questions`);
  await expect(b.locator("main").textContent()).resolves.toContain(
    "the lighting of the bridge is part of the works",
  );

  // 3. It pays the document fee (a finance officer records the transfer) and seals its bid.
  await b.goto(`/tenders/${tenderId}/bid`);
  await shot(b, "bid-fee-ar");
  await b
    .locator("form", { has: b.locator("input[value=payFee]") })
    .locator("button")
    .click();
  await b.waitForURL(/\/billing\/payments\//);
  const paymentPath = new URL(b.url()).pathname.replace("/billing/", "/finance/");
  const finance = await openPage({ lang: "en" });
  await signInAs(finance.page, "finance@works.gov.test");
  await finance.page.goto(paymentPath);
  await finance.page.getByLabel("Bank or counter reference").fill("GCB-E2E-BRIDGE");
  await finance.page.getByRole("button", { name: "Record receipt" }).click();
  await finance.page.waitForURL(/notice=receiptRecorded/);

  await b.goto(`/tenders/${tenderId}/bid`);
  await b.locator("input[name^=price-]").first().fill("412,750.500");
  await b.locator("textarea[name^=response-]").first().fill("خبرة خمسة عشر عامًا في إنشاء الجسور.");
  await b.locator("button[name=intent][value=saveDraft]").click();
  await b.waitForURL(/notice=bidDraftSaved/);
  // The draft comes back into the form on a later visit; then it is sealed and submitted.
  await b.goto(`/tenders/${tenderId}/bid`);
  await expect(b.locator("input[name^=price-]").first().inputValue()).resolves.toBe("412750.500");
  await b.locator("button[name=intent][value=submit]").click();
  await b.waitForURL(/notice=bidSubmitted/);
  await shot(b, "bid-sealed-ar");
  const receiptHref = await b.locator("a[href*='/bid/receipts/']").first().getAttribute("href");
  const receipt = await b.request.get(receiptHref!);
  expect(receipt.status()).toBe(200);
  const json = await receipt.json();
  expect(json).toMatchObject({
    format: "shafaf-bid-receipt/1",
    tenderReference: expect.stringMatching(/^MOPW-/),
    version: 1,
  });
  expect(json.receivedAt).toMatch(/\.\d{6}Z$/);
  // Anyone can check it on the public page.
  await b.goto("/verify/bid-receipt");
  await b.locator("textarea").fill(JSON.stringify(json));
  await b.locator("form button").last().click();
  await expect(b.locator(".notice").first().textContent()).resolves.toContain("صحيح");

  // 4. Two officers open the bids of the demo tender that has closed.
  await p.goto("/tenders/manage");
  await p.getByRole("link", { name: /MOPW-/ }).filter({ hasText: /.*/ }).first().waitFor();
  const closedRow = p.locator("tbody tr", { hasText: "Closed, awaiting opening" }).first();
  await closedRow.locator("a").first().click();
  await p.locator("h1", { hasText: "school" }).waitFor();
  await p.getByRole("link", { name: "Opening of bids" }).click();
  await p.getByRole("button", { name: "Start the opening" }).click();
  await p.getByText("another procurement officer must confirm it").waitFor();
  await second.page.goto(p.url());
  await second.page.getByRole("button", { name: "Confirm the opening and unseal the bids" }).click();
  await second.page.locator("h2", { hasText: "Opening record" }).waitFor();
  const record = await second.page.locator("table").textContent();
  expect(record).toContain("Al Noor Contracting");
  expect(record).toContain("Gulf Build");
  expect(record).toMatch(/KWD\s?1,690,500\.000/);
  await shot(second.page, "opening-record-en");
  const arabic = await openPage({ lang: "ar" });
  await signInAs(arabic.page, "officer2@works.gov.test");
  await arabic.page.goto(p.url());
  await shot(arabic.page, "opening-record-ar");

  for (const session of [officer, business, second, finance, arabic]) {
    expect(session.consoleErrors).toEqual([]);
    await session.context.close();
  }
});
