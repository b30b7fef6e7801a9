import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { cpvPrefix, MAX_PAGE, parseSearchParams, searchParamsOf } from "./search-params.ts";

const parse = (query: string) => parseSearchParams(new URLSearchParams(query));

describe("parseSearchParams", () => {
  test("an empty URL is every public tender, newest first", () => {
    const { search, problems } = parse("");
    expect(problems).toEqual([]);
    expect(search).toMatchObject({ q: "", status: null, sort: "newest", page: 1, valueMin: null });
  });

  test("with words the default sort is relevance; without, relevance falls back to newest", () => {
    expect(parse("q=road").search.sort).toBe("relevance");
    expect(parse("q=road&sort=closing").search.sort).toBe("closing");
    expect(parse("sort=relevance").search.sort).toBe("newest");
    expect(parse("q=%22%22&sort=relevance").search.sort).toBe("newest");
  });

  test("filters are read and unknown values dropped", () => {
    const { search } = parse(
      "status=open&agency=KW-Ministry-of-Health&category=works&method=rfq&region=kw-ha&currency=kwd",
    );
    expect(search).toMatchObject({
      status: "open",
      agency: "kw-ministry-of-health",
      category: "works",
      method: "rfq",
      region: "KW-HA",
      currency: "KWD",
    });
    expect(parse("status=draft&category=weapons&method=x&region=ZZ-99&agency=%27%3B--").search).toMatchObject(
      {
        status: null,
        category: null,
        method: null,
        region: null,
        agency: null,
      },
    );
    expect(parse("region=SA").search.region).toBe("SA");
  });

  test("value ranges are major units of the chosen currency, with its own decimals", () => {
    expect(parse("currency=KWD&min=1,250.500&max=٢٠٠٠").search).toMatchObject({
      valueMin: 1_250_500n,
      valueMax: 2_000_000n,
    });
    expect(parse("currency=SAR&min=10.25").search.valueMin).toBe(1025n);
    // Three decimals are too many for the riyal, and a value means nothing without a currency.
    expect(parse("currency=SAR&min=10.255").problems).toEqual(["valueInvalid"]);
    expect(parse("min=100").problems).toEqual(["valueNeedsCurrency"]);
    expect(parse("min=100").search.valueMin).toBeNull();
    expect(parse("currency=KWD&min=5&max=1").problems).toEqual(["valueRange"]);
    expect(parse("currency=KWD&min=-5").problems).toEqual(["valueInvalid"]);
  });

  test("deadline days must be real days, in order", () => {
    expect(parse("from=2026-02-01&to=2026-02-28").search).toMatchObject({
      deadlineFrom: "2026-02-01",
      deadlineTo: "2026-02-28",
    });
    expect(parse("from=2026-02-30").problems).toEqual(["dateInvalid"]);
    expect(parse("from=2026-03-01&to=2026-02-01").problems).toEqual(["dateRange"]);
  });

  test("pages stop at MAX_PAGE", () => {
    expect(parse("page=3").search.page).toBe(3);
    expect(parse("page=0").search.page).toBe(1);
    expect(parse("page=abc").search.page).toBe(1);
    expect(parse("page=9999").search.page).toBe(MAX_PAGE);
    expect(parse("page=9999").problems).toEqual(["pageCapped"]);
  });

  test("CPV: codes, prefixes and division codes as typed", () => {
    expect(cpvPrefix("45")).toBe("45");
    expect(cpvPrefix("45000000-7")).toBe("45");
    expect(cpvPrefix("٤٥٢٣")).toBe("4523");
    expect(cpvPrefix("45233120-6")).toBe("4523312");
    expect(cpvPrefix("03000000-1")).toBe("03");
    expect(cpvPrefix("4")).toBeNull();
    expect(cpvPrefix("roads")).toBeNull();
    expect(parse("cpv=roads").problems).toEqual(["cpvInvalid"]);
  });

  test("any query string parses without throwing", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            "q",
            "status",
            "cpv",
            "min",
            "max",
            "currency",
            "from",
            "to",
            "page",
            "sort",
            "region",
            "agency",
          ),
          fc.string({ unit: "binary", maxLength: 60 }),
        ),
        (dict) => {
          const { search } = parseSearchParams(new URLSearchParams(dict));
          expect(search.page).toBeGreaterThanOrEqual(1);
          expect(search.page).toBeLessThanOrEqual(MAX_PAGE);
        },
      ),
    );
  });
});

describe("searchParamsOf", () => {
  test("round-trips a search and leaves defaults out", () => {
    const query = "q=road&status=open&cpv=45&currency=KWD&min=1250.500&from=2026-01-01&sort=value&page=2";
    const { search } = parse(query);
    expect(searchParamsOf(search).toString()).toBe(query);
    expect(searchParamsOf(parse("q=road&sort=relevance").search).toString()).toBe("q=road");
  });

  test("changing a filter goes back to page one; changing the page keeps the rest", () => {
    const { search } = parse("q=road&page=4");
    expect(searchParamsOf(search, { status: "open" }).toString()).toBe("q=road&status=open");
    expect(searchParamsOf(search, { page: 5 }).toString()).toBe("q=road&page=5");
  });
});
