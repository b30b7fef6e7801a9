import { describe, expect, it } from "vitest";
import { i18nFor, translatorFor } from "./i18n.ts";

describe("translatorFor", () => {
  it("answers a plain key as i18next does, in each language, the same the second time", () => {
    for (const lang of ["ar", "en"] as const) {
      const t = translatorFor(lang);
      expect(t("search.submit")).toBe(i18nFor(lang).t("search.submit"));
      expect(t("search.submit")).toBe(i18nFor(lang).t("search.submit"));
      expect(t("search.submit")).not.toBe("search.submit");
    }
    expect(translatorFor("ar")("search.submit")).not.toBe(translatorFor("en")("search.submit"));
  });

  it("passes options (plurals, interpolation) to i18next on every call", () => {
    const t = translatorFor("en");
    expect(t("search.results", { count: 1 })).toBe("1 tender");
    expect(t("search.results", { count: 3 })).toBe("3 tenders");
    expect(t("search.resultsCapped", { count: 1000 })).toBe("More than 1000 tenders");
  });

  it("gives back a missing key as i18next does", () => {
    expect(translatorFor("en")("no.such.key")).toBe("no.such.key");
  });
});
