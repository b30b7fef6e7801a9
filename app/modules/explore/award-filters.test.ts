import { describe, expect, test } from "vitest";
import { awardFilterParams, parseAwardFilters } from "./award-filters.ts";

const parse = (qs: string) => parseAwardFilters(new URLSearchParams(qs));

describe("award explorer filters from the address", () => {
  test("every filter read, canonical again on the way out", () => {
    const { filters, problems } = parse(
      "agency=Ministry-Of-Works&supplier=gulf-build-1a2b&currency=kwd&year=2026&category=works&page=3",
    );
    expect(problems).toEqual([]);
    expect(filters).toEqual({
      agency: "ministry-of-works",
      supplier: "gulf-build-1a2b",
      currency: "KWD",
      year: 2026,
      category: "works",
      page: 3,
    });
    expect(awardFilterParams(filters).toString()).toBe(
      "agency=ministry-of-works&supplier=gulf-build-1a2b&currency=KWD&year=2026&category=works&page=3",
    );
  });

  test("empty values (a GET form's 'any') are no filter and no problem", () => {
    const { filters, problems } = parse("agency=&supplier=&currency=&year=&category=&page=");
    expect(problems).toEqual([]);
    expect(awardFilterParams(filters).toString()).toBe("");
  });

  test("values that cannot be right are dropped and named", () => {
    const { filters, problems } = parse(
      "agency=../../etc&supplier=%27%3B--&currency=XYZ&year=20x6&category=weapons&page=-4",
    );
    expect(filters).toEqual({
      agency: null,
      supplier: null,
      currency: null,
      year: null,
      category: null,
      page: 1,
    });
    expect(problems).toEqual(["agency", "supplier", "currency", "year", "category", "page"]);
    expect(parse("year=1850").problems).toEqual(["year"]);
    expect(parse("year=99999").problems).toEqual(["year"]);
    expect(parse("currency=KWDX").problems).toEqual(["currency"]);
    expect(parse("page=99999999999999").filters.page).toBe(1);
    expect(parse("page=0").problems).toEqual(["page"]);
  });

  test("a big page number is read as asked (the list keeps it within its pages); changing a filter goes back to page 1", () => {
    const { filters } = parse("currency=SAR&page=999999");
    expect(filters.page).toBe(999_999);
    expect(awardFilterParams(filters, { year: 2025 }).toString()).toBe("currency=SAR&year=2025");
    expect(awardFilterParams(filters, { page: 2 }).toString()).toBe("currency=SAR&page=2");
  });
});
