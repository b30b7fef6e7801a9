import { describe, expect, test } from "vitest";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { AppError, ERROR_CODES, type ErrorCode } from "./errors.ts";

describe("error table", () => {
  test("every error code has a message in Arabic and in English", () => {
    for (const lang of ["ar", "en"] as const) {
      const i18n = createI18n(lang);
      for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
        expect(
          i18n.exists(new AppError(code).messageKey, { lng: lang, fallbackLng: false }),
          `${lang}: ${code}`,
        ).toBe(true);
      }
    }
  });

  test("bad input is a 4xx; only our own failure and a payment provider's outage are 5xx", () => {
    const serverSide = new Set(["INTERNAL", "PAYMENT_PROVIDER_UNAVAILABLE"]);
    for (const [code, status] of Object.entries(ERROR_CODES)) {
      const expected = serverSide.has(code) ? [500, 599] : [400, 499];
      expect(status, code).toBeGreaterThanOrEqual(expected[0]!);
      expect(status, code).toBeLessThanOrEqual(expected[1]!);
    }
  });
});
