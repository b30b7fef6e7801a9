import { describe, expect, test } from "vitest";
import { translatorFor } from "#app/modules/i18n/i18n.ts";
import { parseSearchParams } from "./search-params.ts";
import type { TenderSearchResult } from "./search-tenders.server.ts";
import { searchView } from "./search-view.server.ts";

const options = { agencies: [{ value: "kw-works", label: "Ministry of Works" }], currencies: ["KWD", "SAR"] };
const view = (query: string, facets: TenderSearchResult["facets"], totalCapped = false) => {
  const { search, problems } = parseSearchParams(new URLSearchParams(query));
  const result: TenderSearchResult = {
    matchedWords: true,
    total: totalCapped ? 1000 : 7,
    totalCapped,
    sort: "relevance",
    page: 1,
    pages: 1,
    rows: [],
    facets,
    agencies: { "kw-works": { nameAr: "وزارة الأشغال", nameEn: "Ministry of Works" } },
  };
  return searchView(search, result, problems, options, {
    t: translatorFor("en"),
    lang: "en",
    now: new Date(),
  });
};

describe("facets not counted yet", () => {
  test("offer a filter's other known values without a count, and say counts are being prepared", () => {
    const d = view("q=road&status=closed&category=works&agency=kw-works", {
      method: [{ key: "open", count: 5 }],
      currency: [{ key: "KWD", count: 7 }],
    });
    expect(d.facetsPending).toBe(true);
    const facet = (name: string) => d.facets.find((f) => f.name === name)!;
    expect(facet("status").items.map((i) => [i.key, i.count, i.active])).toEqual([
      ["open", null, false],
      ["closed", 7, true],
      ["cancelled", null, false],
    ]);
    // Choosing another status replaces the one chosen; the chosen one's link removes it.
    expect(facet("status").items[0]!.href).toContain("status=open");
    expect(facet("status").items[1]!.href).not.toContain("status=");
    expect(facet("category").items.map((i) => [i.key, i.count])).toEqual([
      ["works", 7],
      ["goods", null],
      ["services", null],
    ]);
    // Agencies are too many to offer uncounted: only the one chosen.
    expect(facet("agency").items.map((i) => [i.key, i.count])).toEqual([["kw-works", 7]]);
    // Counted facets are as counted.
    expect(facet("method").items.map((i) => [i.key, i.count])).toEqual([["open", 5]]);
    expect(d.facets.find((f) => f.name === "cpv")).toBeUndefined();
  });

  test("give the chosen value no count when the total is only 'more than'", () => {
    const d = view("q=road&status=closed", {}, true);
    expect(d.facets.find((f) => f.name === "status")!.items.map((i) => [i.key, i.count])).toEqual([
      ["open", null],
      ["closed", null],
      ["cancelled", null],
    ]);
  });
});
