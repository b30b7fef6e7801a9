import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkPassword, MAX_LENGTH } from "./password-policy.ts";

describe("password rules (NIST SP 800-63B)", () => {
  test("at least 15 characters as the only factor, 8 with a second factor", () => {
    expect(checkPassword("violet-kestrel9")).toBeNull(); // 15
    expect(checkPassword("violet-kestr9")).toEqual({ code: "PASSWORD_TOO_SHORT", min: 15 });
    expect(checkPassword("vK9#tq2Lm", { hasSecondFactor: true })).toBeNull();
    expect(checkPassword("vK9#tq2", { hasSecondFactor: true })).toEqual({
      code: "PASSWORD_TOO_SHORT",
      min: 8,
    });
  });

  test("no composition rules: a long lower-case passphrase is fine, in Arabic too", () => {
    expect(checkPassword("correct horse battery staple")).toBeNull();
    expect(checkPassword("قهوة الصباح على شرفة البحر")).toBeNull();
  });

  test("common and breached-looking passwords are refused, however long", () => {
    for (const p of [
      "password1234567",
      "aaaaaaaaaaaaaaaa",
      "qwertyuiopasdfgh",
      "123456789012345",
      "Summer2026Summer2026",
    ]) {
      expect(checkPassword(p), p).toEqual({ code: "PASSWORD_TOO_COMMON" });
    }
  });

  test("the user's own e-mail or name is not a password", () => {
    expect(checkPassword("owner@alnoor.test2026", { userInputs: ["owner@alnoor.test"] })).toEqual({
      code: "PASSWORD_TOO_COMMON",
    });
  });

  test("64 characters and well beyond are allowed; the limit is 1,024", () => {
    const long = "the quick brown fox jumps over the lazy dog while it rains ".repeat(3);
    expect(long.length).toBeGreaterThan(64);
    expect(checkPassword(long)).toBeNull();
    expect(checkPassword("x".repeat(MAX_LENGTH + 1))).toEqual({ code: "PASSWORD_TOO_LONG", max: MAX_LENGTH });
  });

  test("the demo password meets the rules", () => {
    expect(checkPassword("shafaf-demo-2026")).toBeNull();
  });

  test("any string shorter than 15 code points is refused for length", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 14 }), (p) => {
        if ([...p].length < 15) expect(checkPassword(p)?.code).toBe("PASSWORD_TOO_SHORT");
      }),
      { numRuns: 200 },
    );
  });
});
