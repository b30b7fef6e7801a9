import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { exponentOf, formatMoney, parseAmount, toDecimalString } from "./money.ts";

describe("money", () => {
  test("each currency keeps its own number of decimals", () => {
    expect(exponentOf("KWD")).toBe(3);
    expect(exponentOf("SAR")).toBe(2);
    expect(exponentOf("JPY")).toBe(0);
    expect(() => exponentOf("kwd")).toThrow();
  });

  test("amounts typed by people, in Western or Arabic-Indic digits", () => {
    expect(parseAmount("12.345", "KWD")).toBe(12345n);
    expect(parseAmount("1,250.5", "SAR")).toBe(125050n);
    expect(parseAmount("١٢٫٥", "KWD")).toBe(12500n);
    expect(parseAmount("100", "JPY")).toBe(100n);
    expect(parseAmount("12.3456", "KWD")).toBeNull(); // more decimals than the currency has
    expect(parseAmount("1.5", "JPY")).toBeNull();
    expect(parseAmount("abc", "SAR")).toBeNull();
    expect(parseAmount("1e3", "SAR")).toBeNull();
  });

  test("decimal strings are exact, however large", () => {
    expect(toDecimalString({ amount: 5n, currency: "KWD" })).toBe("0.005");
    expect(toDecimalString({ amount: -120n, currency: "SAR" })).toBe("-1.20");
    expect(toDecimalString({ amount: 123456789012345678901n, currency: "OMR" })).toBe(
      "123456789012345678.901",
    );
  });

  test("parse(format(x)) is x for every amount and currency", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.constantFrom("KWD", "SAR", "JPY", "AED", "BHD"),
        (amount, currency) => {
          expect(parseAmount(toDecimalString({ amount, currency }), currency)).toBe(amount);
        },
      ),
    );
  });

  test("shown with the currency's decimals in either language", () => {
    expect(formatMoney({ amount: 12345n, currency: "KWD" }, "en")).toMatch(/KWD\s?12\.345/);
    expect(formatMoney({ amount: 12345n, currency: "KWD" }, "ar")).toMatch(/12[.٫]345.*د\.ك/);
  });
});
