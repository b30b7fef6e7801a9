import type { Page } from "playwright-core";

/** Sign in through the real form, in whichever language the page is. */
export async function signInAs(page: Page, email: string, password = "shafaf-demo-2026") {
  await page.goto("/login");
  await page.locator("main input[name=email]").fill(email);
  await page.locator("main input[name=password]").fill(password);
  await page.locator("main form button[type=submit]").first().click();
  await page.locator(".site-header__user").waitFor();
}

/** The newest link of a kind e-mailed to `to`, read from the outbox by a signed-in platform admin. */
export async function linkFromOutbox(
  adminPage: Page,
  to: string,
  kind: "verify-email" | "invitations" | "reset-password",
) {
  await adminPage.goto("/admin/outbox");
  const body = await adminPage
    .locator(".outbox__message", { hasText: to })
    .first()
    .locator(".outbox__body")
    .textContent();
  const link = body?.match(new RegExp(`https?://\\S+/${kind}/[a-z2-7]{32}`))?.[0];
  if (!link) throw new Error(`no ${kind} link e-mailed to ${to}`);
  return link;
}
