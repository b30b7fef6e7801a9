import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { jpegBytes, pdfBytes, pngBytes } from "#tests/factories/files.ts";
import { openPage } from "./browser.ts";
import { signInAs } from "./helpers.ts";

/** Screenshots of the journey, for people to look at (not compared by the test). */
const SHOTS = process.env.SHAFAF_SCREENSHOTS_DIR;
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** A datetime-local value `days` from now in Asia/Riyadh (UTC+3, no daylight saving). */
const riyadhIn = (days: number) =>
  `${new Date(Date.now() + days * 86_400_000 + 3 * 3600_000).toISOString().slice(0, 11)}10:00`;

const file = (name: string, mimeType: string, buffer: Buffer) => ({ name, mimeType, buffer });

test("a bakery applies for its food licence, pays by card and answers a question; the officer inspects, approves and issues; the certificate's link shows it valid", async () => {
  // 1. The business starts the application from the public catalogue and fills it in.
  const business = await openPage({ lang: "en" });
  const b = business.page;
  await signInAs(b, "owner@bustan.test");
  await b.goto("/permits");
  await b.getByRole("link", { name: "Food establishment licence" }).first().click();
  // The catalogue has an apply link for every type: wait for the licence's own page first.
  await b.waitForURL(/\/permits\/types\/[^/]+$/);
  await b.locator("a[href^='/permits/apply/']").first().click();
  await b.getByRole("button", { name: "Start the application" }).click();
  await b.waitForURL(/\/permits\/applications\/[0-9a-f-]{36}$/);
  const applicationUrl = b.url();
  await b.locator("input[name=field-trade_name]").fill("Al Bustan Bakery — Olaya");
  await b.locator("select[name=field-establishment_type]").selectOption("bakery");
  await b.locator("input[name=field-plot_number]").fill("214-08");
  await b.locator("input[name=field-staff_count]").fill("9");
  await b
    .locator("input[name=doc-health_certificates]")
    .setInputFiles(file("health.pdf", "application/pdf", pdfBytes()));
  await b
    .locator("input[name=doc-pest_control]")
    .setInputFiles(file("pest-control.pdf", "application/pdf", pdfBytes(5)));
  await b
    .locator("input[name=doc-kitchen_layout]")
    .setInputFiles(file("kitchen.png", "image/png", pngBytes()));
  await b.getByRole("button", { name: "Save draft" }).click();
  // The plot number does not have the municipality's format: a translated error beside the field, nothing lost.
  await b.locator(".error-summary", { hasText: "does not have the expected format" }).waitFor();
  await expect(b.locator("input[name=field-trade_name]").inputValue()).resolves.toBe(
    "Al Bustan Bakery — Olaya",
  );
  await b.locator("input[name=field-plot_number]").fill("214-0831");
  await b
    .locator("input[name=doc-health_certificates]")
    .setInputFiles(file("health.pdf", "application/pdf", pdfBytes()));
  await b
    .locator("input[name=doc-pest_control]")
    .setInputFiles(file("pest-control.pdf", "application/pdf", pdfBytes(5)));
  // A PNG where the agency accepts a PDF or a JPEG: refused from its bytes, with the reason beside the field.
  await b
    .locator("input[name=doc-kitchen_layout]")
    .setInputFiles(file("kitchen.png", "image/png", pngBytes()));
  await b.getByRole("button", { name: "Save draft" }).click();
  await b.locator(".error-summary", { hasText: "This type of file is not accepted" }).waitFor();
  await expect(b.locator("input[name=field-plot_number]").inputValue()).resolves.toBe("214-0831");
  await b
    .locator("input[name=doc-health_certificates]")
    .setInputFiles(file("health.pdf", "application/pdf", pdfBytes()));
  await b
    .locator("input[name=doc-pest_control]")
    .setInputFiles(file("pest-control.pdf", "application/pdf", pdfBytes(5)));
  await b
    .locator("input[name=doc-kitchen_layout]")
    .setInputFiles(file("kitchen.jpg", "image/jpeg", jpegBytes()));
  await b.getByRole("button", { name: "Save draft" }).click();
  await b.waitForURL(/notice=applicationSaved/);
  // Counted once the page shows it (a client-side navigation renders after the URL changes).
  await b.getByText("Attached: kitchen.jpg").first().waitFor();
  expect(await b.getByText("Attached: kitchen.jpg").count()).toBe(1);
  await shot(b, "permit-01-draft-en");

  // 2. Submission waits for the fee; the business pays it by card.
  await b.getByRole("button", { name: "Save and submit" }).click();
  await b.locator(".error-summary", { hasText: "Pay the application fee" }).waitFor();
  await b.getByRole("button", { name: "Pay the fee" }).click();
  await b.waitForURL(/\/billing\/payments\//);
  await b.getByRole("button", { name: /by card/ }).click();
  await b.getByRole("button", { name: "Pay", exact: true }).click();
  await b.waitForURL(/notice=cardReturned/);
  let status = "";
  for (let i = 0; i < 40 && status !== "Paid"; i++) {
    if (i > 0) await b.waitForTimeout(500);
    await b.reload();
    status = (await b.locator("dd .tag").first().textContent()) ?? "";
  }
  expect(status).toBe("Paid");
  await b.goto(applicationUrl);
  await b.getByRole("button", { name: "Save and submit" }).click();
  await b.waitForURL(/notice=applicationSubmitted/);
  await b.locator("h1 .tag", { hasText: "Submitted" }).waitFor();
  const reference = (await b.locator("dd span[dir=ltr]").first().textContent())!;
  expect(reference).toMatch(/^APP-/);

  // 3. The officer takes it and asks a question.
  const officer = await openPage({ lang: "en" });
  const o = officer.page;
  await signInAs(o, "licensing@capital.gov.test");
  await o.goto("/licensing");
  await o.getByRole("link", { name: reference }).click();
  await o.getByRole("button", { name: "Assign and start the review" }).click();
  await o.waitForURL(/notice=saved/);
  await o.locator("textarea[name=message]").fill("Please state the opening hours and whether you deliver.");
  await o.getByRole("button", { name: "Send the request" }).click();
  await o.waitForURL(/notice=informationRequested/);
  const reviewUrl = o.url().replace(/\?.*$/, "");

  // 4. The business sees the question (and a notification) and answers it.
  await b.goto("/notifications");
  await expect(b.locator(".notifications").textContent()).resolves.toContain(
    `Application ${reference}: the officer asks for information.`,
  );
  await b.goto(applicationUrl);
  await b.locator("#info-heading").waitFor();
  await expect(b.locator("section.panel").first().textContent()).resolves.toContain(
    "Please state the opening hours",
  );
  await b.locator("textarea[name=answer]").fill("Open 6:00 to 22:00 every day; no deliveries.");
  await b.getByRole("button", { name: "Send the answer" }).click();
  await b.waitForURL(/notice=informationSent/);
  await b.locator("h1 .tag", { hasText: "In review" }).waitFor();

  // 5. The officer works through the checklist, inspects, approves and issues.
  await o.goto(reviewUrl);
  for (const box of await o.locator("input[name=checked]").all()) await box.check();
  await o.getByRole("button", { name: "Save the checklist" }).click();
  await o.waitForURL(/notice=saved/);
  await o.locator("input[name=when]").fill(riyadhIn(1));
  await o.locator("input[name=location]").fill("Olaya Street, shop 12");
  await o.getByRole("button", { name: "Schedule", exact: true }).click();
  await o.waitForURL(/notice=inspectionScheduled/);
  await o.locator("select[name=result]").selectOption("passed");
  await o.locator("textarea[name=findings]").fill("Clean kitchen; fridges at 3 °C; certificates current.");
  await o.getByRole("button", { name: "Record the result" }).click();
  await o.waitForURL(/notice=saved/);
  await o.getByRole("button", { name: "Approve" }).click();
  await o.waitForURL(/notice=decisionRecorded/);
  await o.getByRole("button", { name: "Issue the permit" }).click();
  await o.waitForURL(/notice=permitIssued/);
  const number = (await o.locator(".notice a[dir=ltr]").textContent())!;
  expect(number).toMatch(/^[A-Z0-9]+-[A-Z0-9]+-\d{4}-\d{6}$/);
  await shot(o, "permit-02-review-en");
  expect(officer.consoleErrors).toEqual([]);
  await officer.context.close();

  // 6. The business downloads its certificate; the link it carries shows the permit valid to anyone.
  await b.goto(applicationUrl);
  await b.locator("h1 .tag", { hasText: "Issued" }).waitFor();
  const pdf = await b.request.get(`/permits/${number}/certificate.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const bytes = await pdf.body();
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  if (SHOTS) {
    fs.writeFileSync(`${SHOTS}/permit-certificate.pdf`, bytes);
    try {
      execFileSync("pdftoppm", [
        "-png",
        "-r",
        "80",
        "-singlefile",
        `${SHOTS}/permit-certificate.pdf`,
        `${SHOTS}/permit-certificate`,
      ]);
    } catch {
      // pdftoppm is a convenience for people looking at the screenshots; the test does not need it.
    }
  }
  await shot(b, "permit-03-issued-en");
  // The refused forms above answered 400, 415 and 409 on purpose; nothing else may show in the console.
  expect(business.consoleErrors.filter((e) => !/status of 4(00|09|15) /.test(e))).toEqual([]);
  await business.context.close();

  const visitor = await openPage({ lang: "ar" });
  await visitor.page.goto(`/verify/permit/${number}`);
  await expect(visitor.page.locator("main").textContent()).resolves.toContain("ساري");
  await expect(visitor.page.locator("main").textContent()).resolves.toContain("مخابز البستان");
  await shot(visitor.page, "permit-04-verify-ar");
  const english = await openPage({ lang: "en" });
  await english.page.goto(`/verify/permit/${number}`);
  await expect(english.page.locator("main").textContent()).resolves.toContain("Valid");
  await shot(english.page, "permit-04-verify-en");
  expect(visitor.consoleErrors).toEqual([]);
  await visitor.context.close();
  await english.context.close();
});
