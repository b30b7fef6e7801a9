import { describe, expect, test } from "vitest";
import { baseUrl, openPage } from "./browser.ts";

describe("signing in", () => {
  test("an officer signs in, sees the officer's navigation and their sessions, and signs out", async () => {
    const { page, context, consoleErrors } = await openPage({ lang: "en" });
    await page.goto("/account/sessions");
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("E-mail address").fill("agencyadmin@works.gov.test");
    await page.getByLabel("Password").fill("shafaf-demo-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/account/sessions");
    await page.getByText("This session").waitFor();
    const nav = await page.locator(".site-nav").textContent();
    expect(nav).toContain("Staff");
    expect(nav).toContain("Audit trail");
    expect(nav).not.toContain("Administration");
    // Counted once the page shows it (a client-side navigation renders after the URL changes).
    await page.getByText("This session").first().waitFor();
    expect(await page.getByText("This session").count()).toBe(1);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "shafaf_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname === "/");
    await page.locator(".site-header__signin").waitFor();
    await expect(page.locator(".site-nav").textContent()).resolves.not.toContain("Staff");
    expect((await context.cookies()).find((c) => c.name === "shafaf_session")).toBeUndefined();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  test("a wrong password is a translated 401 with the error summary, in Arabic, without JavaScript", async () => {
    const { page, context } = await openPage({ lang: "ar", javaScript: false });
    await page.goto("/login");
    await page.getByLabel("البريد الإلكتروني").fill("officer1@works.gov.test");
    await page.getByLabel("كلمة المرور").fill("not-the-password-123");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/login") && r.request().method() === "POST"),
      page.getByRole("button", { name: "دخول" }).click(),
    ]);
    expect(response.status()).toBe(401);
    await expect(page.locator(".error-summary").textContent()).resolves.toContain(
      "البريد الإلكتروني أو كلمة المرور غير صحيحة.",
    );
    await context.close();
  });

  test("POST /login works from a script (curl-style form post)", async () => {
    const res = await fetch(`${baseUrl()}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "admin@shafaf.test", password: "shafaf-demo-2026" }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^shafaf_session=.+; .*HttpOnly/);
    const home = await fetch(`${baseUrl()}/`, {
      headers: { Cookie: cookie.split(";")[0]!, "Accept-Language": "en" },
    });
    expect(await home.text()).toContain("Administration");
  });
});
