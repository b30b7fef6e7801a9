import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { baseUrl, openPage } from "./browser.ts";
import { signInAs } from "./helpers.ts";

/** The reference of a payment listed on the page, found by words in its row. */
async function referenceInRow(page: Page, ...words: string[]): Promise<string> {
  let row = page.locator("tbody tr");
  for (const w of words) row = row.filter({ hasText: w });
  const text = await row.first().locator("a").first().textContent();
  if (!text?.match(/^SHF-/)) throw new Error(`no payment row with ${words.join(", ")}`);
  return text;
}

test("a transfer quoted on a bank statement becomes a receipt; the payer sees it paid and downloads the receipt", async () => {
  const finance = await openPage({ lang: "en" });
  await signInAs(finance.page, "finance@works.gov.test");
  await finance.page.goto("/finance");
  const reference = await referenceInRow(finance.page, "Al Noor Contracting", "Tender documents");

  await finance.page.getByRole("link", { name: "Bank statements" }).click();
  const today = new Date().toISOString().slice(0, 10);
  await finance.page.getByLabel("Statement (CSV)").setInputFiles({
    name: "statement.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      `Date,Description,Amount,Currency,Transaction ID\n` +
        `${today},Transfer from Al Noor ref ${reference},25.000,KWD,GCB-E2E-1\n` +
        `${today},Transfer without reference,4.000,KWD,GCB-E2E-2\n`,
    ),
  });
  await finance.page.getByRole("button", { name: "Import statement" }).click();
  await expect(finance.page.locator(".notice").textContent()).resolves.toContain(
    "2 new lines read, 1 matched.",
  );
  const unmatched = finance.page.locator("table").last();
  await expect(unmatched.textContent()).resolves.toContain("No payment reference");
  expect(finance.consoleErrors).toEqual([]);
  await finance.context.close();

  const owner = await openPage({ lang: "en" });
  await signInAs(owner.page, "owner@alnoor.test");
  await owner.page.goto("/billing");
  await owner.page.getByRole("link", { name: reference }).first().click();
  await owner.page.locator("h1", { hasText: reference }).waitFor();
  await expect(owner.page.locator(".tag").first().textContent()).resolves.toBe("Paid");
  const pdf = await owner.page.request.get(`/receipts/${reference}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  expect(owner.consoleErrors).toEqual([]);
  await owner.context.close();
});

test("a receipt above the agency's limit needs a second finance officer: the one who recorded it cannot confirm it", async () => {
  const first = await openPage({ lang: "en" });
  await signInAs(first.page, "finance@works.gov.test");
  await first.page.goto("/finance");
  const reference = await referenceInRow(first.page, "Gulf Build", "150.000");
  await first.page.getByRole("link", { name: reference }).first().click();
  await first.page.locator("h1", { hasText: reference }).waitFor();
  // Counted once the page shows it (a client-side navigation renders after the URL changes).
  await first.page.getByText("You recorded this receipt").first().waitFor();
  expect(await first.page.getByText("You recorded this receipt").count()).toBe(1);
  await expect(first.page.getByRole("button", { name: "Confirm receipt" }).count()).resolves.toBe(0);
  const url = first.page.url();
  await first.context.close();

  const second = await openPage({ lang: "en" });
  await signInAs(second.page, "finance2@works.gov.test");
  await second.page.goto(url);
  await second.page.getByRole("button", { name: "Confirm receipt" }).click();
  await second.page.waitForURL(/notice=receiptConfirmed/);
  await second.page.locator(".notice").first().waitFor();
  await expect(second.page.locator(".notice").first().textContent()).resolves.toContain("Receipt confirmed");
  await expect(second.page.locator("dd .tag").first().textContent()).resolves.toBe("Paid");
  expect(second.consoleErrors).toEqual([]);
  await second.context.close();
});

test("a business pays by card through Stripe Checkout and the payment shows as paid once Stripe's webhook is applied", async () => {
  const { page, context, consoleErrors } = await openPage({ lang: "en" });
  await signInAs(page, "owner@sahara-it.test");
  await page.goto("/billing");
  const reference = await referenceInRow(page, "Capital Municipality", "Awaiting payment");
  await page.getByRole("link", { name: reference }).first().click();
  await page.locator("h1", { hasText: reference }).waitFor();
  await page.getByRole("button", { name: /by card/ }).click();
  // The fake's hosted checkout page, on its own origin.
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await page.waitForURL(/notice=cardReturned/);
  let status = "";
  for (let i = 0; i < 40 && status !== "Paid"; i++) {
    if (i > 0) await page.waitForTimeout(500);
    await page.reload();
    status = (await page.locator("dd .tag").first().textContent()) ?? "";
  }
  expect(status).toBe("Paid");
  // Counted once the page shows it (a client-side navigation renders after the URL changes).
  await page.locator("dd", { hasText: "Card" }).first().waitFor();
  expect(await page.locator("dd", { hasText: "Card" }).count()).toBe(1);
  expect(consoleErrors).toEqual([]);
  await context.close();
});

test("the Stripe webhook refuses a forged or stale delivery with a 400 and leaves nothing behind", async () => {
  const url = `${baseUrl()}/webhooks/stripe`;
  const body = JSON.stringify({
    id: "evt_forged",
    object: "event",
    type: "checkout.session.completed",
    data: { object: { id: "cs_x" } },
  });
  const forged = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Stripe-Signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`,
    },
    body,
  });
  expect(forged.status).toBe(400);
  await expect(forged.json()).resolves.toEqual({ error: "WEBHOOK_SIGNATURE_INVALID" });
  const unsigned = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
  expect(unsigned.status).toBe(400);
  expect((await fetch(url)).status).toBe(405);
});
