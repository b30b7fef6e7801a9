import { describe, expect, test } from "vitest";
import { baseUrl, openPage } from "./browser.ts";

describe("the app shell", () => {
  test("Arabic by default: right-to-left, the Arabic font loaded, no console errors", async () => {
    const { page, context, consoleErrors } = await openPage({ lang: "ar" });
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("ar");
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await expect(page.locator("h1").textContent()).resolves.toBe("المال العام في العلن");
    await page.evaluate(() => document.fonts.ready);
    const fontLoaded = await page.evaluate(() => document.fonts.check('16px "IBM Plex Sans Arabic"', "شفاف"));
    expect(fontLoaded).toBe(true);
    // Demo data from the database is on the page.
    await expect(page.getByText("وزارة الأشغال العامة").count()).resolves.toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  test("English for an English browser, and the switch to Arabic is remembered", async () => {
    const { page, context, consoleErrors } = await openPage({ lang: "en" });
    await page.goto("/agencies");
    expect(await page.getAttribute("html", "dir")).toBe("ltr");
    await expect(page.locator("h1").textContent()).resolves.toBe("Government agencies");
    await page.getByRole("button", { name: "Change language to Arabic" }).click();
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    expect(new URL(page.url()).pathname).toBe("/agencies");
    await expect(page.locator("h1").textContent()).resolves.toBe("الجهات الحكومية");
    await page.goto("/");
    expect(await page.getAttribute("html", "lang")).toBe("ar");
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  test("the language switch works without JavaScript", async () => {
    const { page, context } = await openPage({ lang: "ar", javaScript: false });
    await page.goto("/");
    await page.getByRole("button", { name: "تغيير اللغة إلى الإنجليزية" }).click();
    await page.waitForLoadState("load");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await expect(page.locator("h1").textContent()).resolves.toBe("Public money, in the open");
    await context.close();
  });

  test("a search form shows the error summary and the inline error, without JavaScript too", async () => {
    for (const javaScript of [true, false]) {
      const { page, context } = await openPage({ lang: "en", javaScript });
      const response = await page.goto(`/agencies?q=${"x".repeat(101)}`);
      expect(response?.status()).toBe(400);
      await expect(page.locator(".error-summary").textContent()).resolves.toContain(
        "Enter at most 100 characters.",
      );
      await expect(page.locator("#q-error").textContent()).resolves.toBe("Enter at most 100 characters.");
      await context.close();
    }
  });

  test("searching agencies in Arabic finds them, and the URL carries the search", async () => {
    const { page, context } = await openPage({ lang: "ar" });
    await page.goto("/agencies");
    await page.getByLabel("ابحث في الجهات").fill("أمانة");
    await page.getByRole("button", { name: "بحث" }).click();
    await page.waitForURL(/q=/);
    await page.locator(".results-count", { hasText: "جهة واحدة" }).waitFor();
    // Counted once the page shows it (a client-side navigation renders after the URL changes).
    await page.locator("table tbody tr").first().waitFor();
    expect(await page.locator("table tbody tr").count()).toBe(1);
    await expect(page.locator("table tbody").textContent()).resolves.toContain("أمانة العاصمة");
    await context.close();
  });

  test("an unknown page is a translated 404", async () => {
    for (const [lang, title] of [
      ["ar", "الصفحة غير موجودة"],
      ["en", "Page not found"],
    ] as const) {
      const { page, context } = await openPage({ lang });
      const response = await page.goto("/no-such-page");
      expect(response?.status()).toBe(404);
      await expect(page.locator("h1").textContent()).resolves.toBe(title);
      await context.close();
    }
  });

  test("at 390 px the page fits the screen without sideways scrolling", async () => {
    const { page, context } = await openPage({ lang: "ar", width: 390 });
    await page.goto("/");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});

describe("HTTP baseline", () => {
  test("/healthz reports the database", async () => {
    const res = await fetch(`${baseUrl()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });

  test("pages carry a nonce-based Content-Security-Policy and a request id", async () => {
    const res = await fetch(`${baseUrl()}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const incoming = await fetch(`${baseUrl()}/healthz`, { headers: { "X-Request-Id": "lb-1234" } });
    expect(incoming.headers.get("x-request-id")).toBe("lb-1234");
  });

  test("a form posted from another site is refused with a translated 403; GET changes nothing", async () => {
    const body = new URLSearchParams({ lang: "en", redirectTo: "/" });
    const cross = await fetch(`${baseUrl()}/language`, {
      method: "POST",
      body,
      redirect: "manual",
      headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site", "Accept-Language": "ar" },
    });
    expect(cross.status).toBe(403);
    expect(cross.headers.get("set-cookie")).toBeNull();
    expect(await cross.text()).toContain("أُرسل هذا النموذج من موقع آخر");

    const same = await fetch(`${baseUrl()}/language`, {
      method: "POST",
      body,
      redirect: "manual",
      headers: { Origin: baseUrl(), "Sec-Fetch-Site": "same-origin" },
    });
    expect(same.status).toBe(303);
    expect(same.headers.get("set-cookie")).toMatch(/^lang=.*HttpOnly.*SameSite=Lax/);

    const get = await fetch(`${baseUrl()}/language?lang=en`, { redirect: "manual" });
    expect(get.status).toBe(302);
    expect(get.headers.get("set-cookie")).toBeNull();
  });

  test("the language switch never redirects off the site", async () => {
    const res = await fetch(`${baseUrl()}/language`, {
      method: "POST",
      body: new URLSearchParams({ lang: "en", redirectTo: "//evil.example/" }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
  });
});
