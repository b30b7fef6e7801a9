import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseAmount } from "#app/modules/ledger/money.ts";
import { countryName, ocdsValue } from "./values.ts";

describe("ocdsValue", () => {
  test("minor units become major units with the currency's own exponent", () => {
    expect(ocdsValue(231_450_750n, "KWD")).toEqual({ amount: 231450.75, currency: "KWD" });
    expect(ocdsValue(5n, "KWD")).toEqual({ amount: 0.005, currency: "KWD" });
    expect(ocdsValue(1_999n, "SAR")).toEqual({ amount: 19.99, currency: "SAR" });
    expect(ocdsValue(12_345n, "JPY")).toEqual({ amount: 12345, currency: "JPY" });
    expect(ocdsValue(0n, "BHD")).toEqual({ amount: 0, currency: "BHD" });
  });

  test("the number reads back as exactly the amount, for any amount of up to 15 digits", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
        fc.constantFrom("KWD", "SAR", "JPY", "USD"),
        (minor, currency) => {
          const { amount } = ocdsValue(minor, currency);
          expect(parseAmount(String(amount), currency)).toBe(minor);
        },
      ),
    );
  });
});

test("country names in English", () => {
  expect(countryName("KW")).toBe("Kuwait");
  expect(countryName("SA")).toBe("Saudi Arabia");
});
