import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { expect, test } from "vitest";
import { openPage } from "./browser.ts";
import { signInAs } from "./helpers.ts";

const codeAt = (key: Uint8Array, offsetSteps: number) =>
  generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + offsetSteps), 6);

test("a user turns on two-step sign-in; afterwards a wrong code is refused and the right one signs in", async () => {
  const { page, context, consoleErrors } = await openPage({ lang: "en" });
  await signInAs(page, "investor@shafaf.test");
  await page.goto("/account/two-factor");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await page.locator("img.qr").waitFor();
  const secret = (await page
    .locator("p", { hasText: "Or type this key" })
    .locator("code")
    .textContent())!.trim();
  const key = decodeBase32IgnorePadding(secret);
  await page.getByLabel("6-digit code").fill(codeAt(key, 0));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await page.getByText("On", { exact: true }).waitFor();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.locator(".site-header__signin").waitFor();
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill("investor@shafaf.test");
  await page.getByLabel("Password").fill("shafaf-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/login/two-factor**");
  // Before the code, the account's pages stay closed.
  const closed = await page.request.get("/account/sessions", { maxRedirects: 0 });
  expect(closed.status()).toBe(302);

  await page.getByLabel("6-digit code").fill("000000");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.locator("#code-error").waitFor();
  await expect(page.locator("#code-error").textContent()).resolves.toContain("The code is not right.");
  await page.getByLabel("6-digit code").fill(codeAt(key, 1));
  await page.getByRole("button", { name: "Continue" }).click();
  await page.locator(".site-header__user").waitFor();
  expect(consoleErrors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  await context.close();
});
