import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, inject } from "vitest";

// The browser tests' own setting (not the app's): which Chromium to drive.
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

let browser: Browser | undefined;

export const baseUrl = () => inject("baseUrl");

/** A new browser context (own cookies) in the given language; console errors are collected. */
export async function openPage(
  options: { lang?: "ar" | "en"; javaScript?: boolean; width?: number } = {},
): Promise<{ page: Page; context: BrowserContext; consoleErrors: string[] }> {
  browser ??= await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const lang = options.lang ?? "ar";
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: lang === "ar" ? "ar" : "en-GB",
    extraHTTPHeaders: { "Accept-Language": lang },
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1280, height: 800 },
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  return { page, context, consoleErrors };
}

afterAll(async () => {
  await browser?.close();
  browser = undefined;
});
