import { describe, expect, test } from "vitest";
import { detectLanguage, negotiateLanguage, serializeLanguageCookie } from "./detect-language.server.ts";
import { createI18n } from "./i18n.ts";
import { ar } from "./locales/ar.ts";
import { en } from "./locales/en.ts";

describe("choosing the language", () => {
  test.each([
    [null, "ar"],
    ["", "ar"],
    ["en-GB,en;q=0.9", "en"],
    ["ar-KW,ar;q=0.9,en;q=0.8", "ar"],
    ["fr-FR,fr;q=0.9", "ar"],
    ["fr;q=1, en;q=0.5", "en"],
    ["en;q=0.4, ar;q=0.8", "ar"],
  ])("Accept-Language %j gives %s", (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });

  test("the reader's choice in the cookie wins over the browser's", async () => {
    const cookie = await serializeLanguageCookie("en", { secure: false });
    const request = new Request("http://localhost/", {
      headers: { Cookie: cookie.split(";")[0]!, "Accept-Language": "ar" },
    });
    expect(await detectLanguage(request)).toBe("en");
  });

  test("the language cookie is HttpOnly, SameSite=Lax, and Secure over TLS", async () => {
    const cookie = await serializeLanguageCookie("ar", { secure: true });
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
  });
});

describe("translations", () => {
  function keys(obj: object, prefix = ""): string[] {
    return Object.entries(obj).flatMap(([k, v]) =>
      typeof v === "string" ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`),
    );
  }
  const pluralSuffix = /_(zero|one|two|few|many|other)$/;
  const base = (k: string) => k.replace(pluralSuffix, "");

  test("Arabic has every English message", () => {
    const arabic = new Set(keys(ar).map(base));
    expect(
      keys(en)
        .map(base)
        .filter((k) => !arabic.has(k)),
    ).toEqual([]);
  });

  test("Arabic plurals use Arabic's six forms", () => {
    const t = createI18n("ar").t;
    expect(t("home.stats.agencies", { count: 0 })).toBe("لا توجد جهات بعد");
    expect(t("home.stats.agencies", { count: 2 })).toBe("جهتان");
    expect(t("home.stats.agencies", { count: 5 })).toBe("5 جهات");
    expect(t("home.stats.agencies", { count: 11 })).toBe("11 جهة");
    expect(createI18n("en").t("home.stats.agencies", { count: 2 })).toBe("2 agencies");
  });
});
