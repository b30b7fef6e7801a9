import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeCursor, encodeCursor, parseReleaseQuery, releasesUrl } from "./packages.ts";

const ctx = { prefix: "ocds-shafaf", baseUrl: "https://shafaf.example.gov" };

describe("cursors", () => {
  test("round-trip", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        fc.string({ minLength: 1, maxLength: 200 }).filter((s) => !/[\p{Cc}#]/u.test(s)),
        (date, id) => {
          const cursor = { date: date.toISOString(), id };
          expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
        },
      ),
    );
  });

  test("anything else is refused", () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const bad of [
      "",
      "not base64!",
      "bm9wZQ",
      b64({ date: "2026-01-01T00:00:00.000Z", id: "x" }),
      b64(["2026-01-01", "x"]),
      b64(["2026-02-30T00:00:00.000Z", "x"]),
      b64(["2026-01-01T00:00:00.000Z", ""]),
      b64(["2026-01-01T00:00:00.000Z", 5]),
      b64(["2026-01-01T00:00:00.000Z", "a#b"]),
      "A".repeat(900),
    ])
      expect(decodeCursor(bad)).toBeNull();
  });
});

describe("parseReleaseQuery", () => {
  const parse = (q: string) => parseReleaseQuery(new URLSearchParams(q));
  test("limit defaults to 100, accepts 1 to 1000", () => {
    expect(parse("")).toEqual({ ok: true, value: { limit: 100, cursor: null } });
    expect(parse("limit=1")).toMatchObject({ ok: true, value: { limit: 1 } });
    expect(parse("limit=1000")).toMatchObject({ ok: true, value: { limit: 1000 } });
  });
  test.each(["0", "1001", "-1", "1.5", "abc", "", "1e3", "99999999999999999999", " 5"])(
    "limit=%s is refused",
    (v) => {
      expect(parse(`limit=${encodeURIComponent(v)}`)).toEqual({ ok: false, problem: { parameter: "limit" } });
    },
  );
  test("a repeated parameter and a malformed cursor are refused", () => {
    expect(parse("limit=1&limit=2")).toEqual({ ok: false, problem: { parameter: "limit" } });
    expect(parse("cursor=zzz")).toEqual({ ok: false, problem: { parameter: "cursor" } });
  });
  test("a cursor we gave out is accepted", () => {
    const cursor = { date: "2026-01-01T00:00:00.000Z", id: "ocds-shafaf-x-tender" };
    expect(parse(`cursor=${encodeCursor(cursor)}`)).toEqual({ ok: true, value: { limit: 100, cursor } });
  });
});

test("the list's URL carries only what differs from the defaults", () => {
  expect(releasesUrl(ctx, { limit: 100 })).toBe("https://shafaf.example.gov/api/ocds/releases");
  expect(releasesUrl(ctx, { limit: 5, cursor: { date: "2026-01-01T00:00:00.000Z", id: "x" } })).toMatch(
    /^https:\/\/shafaf\.example\.gov\/api\/ocds\/releases\?limit=5&cursor=[A-Za-z0-9_-]+$/,
  );
});
