import { describe, expect, test } from "vitest";
import {
  cpvLabel,
  divisionOf,
  isCpvCode,
  isUnitCode,
  searchCpv,
  unitName,
  units,
} from "./classifications.server.ts";
import cpvJson from "./data/cpv-2008.en.json" with { type: "json" };
import { CPV_DIVISION_SEARCH_TERMS_AR, CPV_DIVISIONS_AR } from "./data/cpv-divisions.ar.ts";
import unitsJson from "./data/units-recommended.en.json" with { type: "json" };

const ALL_CODES = Object.keys(cpvJson);
const DIVISION_CODES = ALL_CODES.filter((code) => /^\d{2}000000-\d$/.test(code));

describe("the CPV data", () => {
  test("is the full CPV 2008 with its 45 divisions", () => {
    expect(ALL_CODES).toHaveLength(9454);
    expect(DIVISION_CODES).toHaveLength(45);
    expect(ALL_CODES.every((code) => /^\d{8}-\d$/.test(code))).toBe(true);
  });

  test("every division has an Arabic label, and every Arabic label a division", () => {
    const divisions = DIVISION_CODES.map((code) => code.slice(0, 2));
    for (const division of divisions) {
      expect(CPV_DIVISIONS_AR[division], division).toMatch(/\p{Script=Arabic}/u);
    }
    expect(Object.keys(CPV_DIVISIONS_AR).sort()).toEqual(divisions);
    for (const division of Object.keys(CPV_DIVISION_SEARCH_TERMS_AR)) expect(divisions).toContain(division);
  });
});

describe("isCpvCode", () => {
  test("accepts codes of CPV 2008 with their check digit", () => {
    expect(isCpvCode("45000000-7")).toBe(true);
    expect(isCpvCode("45233120-6")).toBe(true);
    expect(isCpvCode("03000000-1")).toBe(true);
  });

  test("refuses a wrong check digit, a missing one, unknown codes and other shapes", () => {
    expect(isCpvCode("45000000-1")).toBe(false);
    expect(isCpvCode("45000000")).toBe(false);
    expect(isCpvCode("10000000-0")).toBe(false); // no division 10
    expect(isCpvCode("45233120-6 ")).toBe(false);
    expect(isCpvCode("4523312-06")).toBe(false);
    expect(isCpvCode("")).toBe(false);
    expect(isCpvCode(45000000)).toBe(false);
    expect(isCpvCode("toString")).toBe(false);
    expect(isCpvCode("__proto__")).toBe(false);
  });
});

describe("cpvLabel", () => {
  test("English labels for every code", () => {
    expect(cpvLabel("45233120-6", "en")).toEqual({ label: "Road construction works", lang: "en" });
    expect(cpvLabel("45000000-7", "en")).toEqual({ label: "Construction work", lang: "en" });
  });

  test("Arabic for divisions, English marked as such for deeper codes", () => {
    expect(cpvLabel("45000000-7", "ar")).toEqual({ label: "أعمال البناء والإنشاءات", lang: "ar" });
    expect(cpvLabel("45233120-6", "ar")).toEqual({ label: "Road construction works", lang: "en" });
    for (const code of DIVISION_CODES) expect(cpvLabel(code, "ar")?.lang).toBe("ar");
  });

  test("null for a code that is not in CPV 2008", () => {
    expect(cpvLabel("45000000-1", "en")).toBeNull();
    expect(cpvLabel("99999999-9", "ar")).toBeNull();
  });
});

describe("divisionOf", () => {
  test("the two-digit division with both labels", () => {
    expect(divisionOf("45233120-6")).toEqual({
      division: "45",
      code: "45000000-7",
      en: "Construction work",
      ar: "أعمال البناء والإنشاءات",
    });
    expect(divisionOf("03111100-3")?.code).toBe("03000000-1");
    expect(divisionOf("72000000-5")?.division).toBe("72");
  });

  test("null for unknown codes", () => {
    expect(divisionOf("45233120-1")).toBeNull();
    expect(divisionOf("45")).toBeNull();
  });
});

describe("searchCpv in English", () => {
  test("a word finds the codes whose labels contain it", () => {
    const hits = searchCpv("road", { limit: 100 });
    expect(hits).toContainEqual({
      code: "45233120-6",
      label: "Road construction works",
      lang: "en",
      level: 7,
      match: "label-prefix",
    });
    // "Off-road vehicles": punctuation separates words
    expect(hits.every((hit) => /(^|[^a-z])road/i.test(hit.label))).toBe(true);
  });

  test("case and accents do not matter; every word must match, in any order", () => {
    expect(searchCpv("ROAD construction").map((hit) => hit.code)).toContain("45233120-6");
    expect(searchCpv("works road").map((hit) => hit.code)).toContain("45233120-6");
    expect(searchCpv("puree tomato").map((hit) => hit.code)).toContain("15331425-2"); // Tomato purée
    const both = searchCpv("road bridge", { limit: 100 });
    expect(both.length).toBeGreaterThan(0);
    for (const hit of both) expect(hit.label.toLowerCase()).toMatch(/road.*bridge|bridge.*road/);
  });

  test("words are prefixes of label words, and a plural finds the singular", () => {
    expect(searchCpv("constr").map((hit) => hit.code)).toContain("45000000-7");
    expect(searchCpv("roads", { limit: 200 }).map((hit) => hit.code)).toContain("45233120-6");
    // "railroad" does not start with "road"
    expect(searchCpv("road", { limit: 1000 }).every((hit) => !/^railroad/i.test(hit.label))).toBe(true);
  });

  test("labels starting with the query come first, higher levels first within a rank", () => {
    const hits = searchCpv("construction", { limit: 500 });
    // Two divisions start with "Construction": 44 (structures and materials) and 45 (work).
    expect(hits.slice(0, 2).map((hit) => [hit.code, hit.match])).toEqual([
      ["44000000-0", "label-prefix"],
      ["45000000-7", "label-prefix"],
    ]);
    const firstWords = hits.findIndex((hit) => hit.match === "words");
    expect(firstWords).toBeGreaterThan(0);
    expect(hits.slice(0, firstWords).every((hit) => hit.match === "label-prefix")).toBe(true);
    expect(hits.slice(firstWords).every((hit) => hit.match === "words")).toBe(true);
    for (const rank of [hits.slice(0, firstWords), hits.slice(firstWords)]) {
      for (let i = 1; i < rank.length; i++) expect(rank[i]!.level).toBeGreaterThanOrEqual(rank[i - 1]!.level);
    }
  });

  test("labels in Arabic when asked, for the divisions among the hits", () => {
    const [first] = searchCpv("construction work", { lang: "ar" });
    expect(first).toMatchObject({ code: "45000000-7", label: "أعمال البناء والإنشاءات", lang: "ar" });
    const deeper = searchCpv("road construction", { lang: "ar", limit: 100 });
    expect(deeper).toContainEqual(expect.objectContaining({ code: "45233120-6", lang: "en" }));
  });

  test("the word index gives the same answer as reading every label", () => {
    const key = (label: string) =>
      label
        .normalize("NFD")
        .replace(/\p{M}/gu, "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, " ")
        .trim();
    const level = (code: string) => Math.max(2, code.slice(0, 8).replace(/0+$/, "").length);
    const labels = Object.entries(cpvJson as Record<string, string>).map(([code, label]) => ({
      code,
      key: key(label),
    }));
    const queries = labels
      .filter((_, i) => i % 97 === 0)
      .flatMap(({ key }) => {
        const [first = "", second = ""] = key.split(" ").filter((word) => word.length > 3 && word !== "with");
        return [first.slice(0, 3), first, `${second} ${first.slice(0, 4)}`.trim()];
      })
      .filter((query) => query !== "");
    expect(queries.length).toBeGreaterThan(200);
    for (const query of new Set(queries)) {
      const words = query
        .split(" ")
        .map((word) => (word.endsWith("s") && word.length > 3 ? word.slice(0, -1) : word));
      const expected = labels
        .filter(({ key }) => words.every((word) => ` ${key}`.includes(` ${word}`)))
        .map(({ code, key }) => ({ code, rank: key.startsWith(query) ? 0 : 1, level: level(code) }))
        .sort((a, b) => a.rank - b.rank || a.level - b.level || (a.code < b.code ? -1 : 1))
        .map(({ code }) => code);
      expect(
        searchCpv(query, { limit: 10_000 }).map((hit) => hit.code),
        query,
      ).toEqual(expected);
    }
  });

  test("nothing for nonsense, blanks or a zero limit; the limit caps the list", () => {
    expect(searchCpv("zzqx")).toEqual([]);
    expect(searchCpv("   ")).toEqual([]);
    expect(searchCpv("road", { limit: 0 })).toEqual([]);
    expect(searchCpv("services")).toHaveLength(20);
    expect(searchCpv("services", { limit: 5 })).toHaveLength(5);
  });
});

describe("searchCpv by code", () => {
  test("a prefix returns the codes under it, higher levels first, then in code order", () => {
    const hits = searchCpv("4523", { limit: 1000 });
    expect(hits.length).toBe(ALL_CODES.filter((code) => code.startsWith("4523")).length);
    expect(hits[0]).toMatchObject({ code: "45230000-8", match: "code-prefix", level: 4 });
    expect(hits.every((hit) => hit.code.startsWith("4523"))).toBe(true);
    for (let i = 1; i < hits.length; i++) {
      const [a, b] = [hits[i - 1]!, hits[i]!];
      expect(a.level < b.level || (a.level === b.level && a.code < b.code)).toBe(true);
    }
  });

  test("a full code comes first as the exact match, followed by its descendants", () => {
    const hits = searchCpv("45210000", { limit: 1000 });
    expect(hits[0]).toMatchObject({ code: "45210000-2", match: "code", level: 4 });
    expect(hits.slice(1).every((hit) => hit.code.startsWith("4521") && hit.match === "code-prefix")).toBe(
      true,
    );
    expect(hits.length).toBe(ALL_CODES.filter((code) => code.startsWith("4521")).length);
    const road = searchCpv("45233120-6");
    expect(road[0]).toEqual({
      code: "45233120-6",
      label: "Road construction works",
      lang: "en",
      level: 7,
      match: "code",
    });
    expect(road.slice(1).map((hit) => hit.code)).toEqual(
      ALL_CODES.filter((code) => code.startsWith("4523312") && code !== "45233120-6"),
    );
    // the check digit is for validation (isCpvCode); search goes by the digits
    expect(searchCpv("45233120-1")[0]?.code).toBe("45233120-6");
  });

  test("Arabic-Indic digits search codes too", () => {
    expect(searchCpv("٤٥٢٣٣١٢٠")[0]?.code).toBe("45233120-6");
  });

  test("an unknown code finds nothing", () => {
    expect(searchCpv("99")).toEqual([]);
    expect(searchCpv("45233199")).toEqual([]);
    expect(searchCpv("2")).toHaveLength(20); // 22 and 24
    expect(searchCpv("10")).toEqual([]); // no division 10
  });
});

describe("searchCpv in Arabic", () => {
  test("«انشاءات» and «الإنشاءات» find division 45, labelled in Arabic", () => {
    for (const query of ["انشاءات", "الإنشاءات", "الانشاءات", "إنشاءات"]) {
      const hits = searchCpv(query);
      expect(hits[0], query).toEqual({
        code: "45000000-7",
        label: "أعمال البناء والإنشاءات",
        lang: "ar",
        level: 2,
        match: "words",
      });
    }
  });

  test("spelling variants, diacritics and tatweel do not matter", () => {
    expect(searchCpv("صيانه").map((hit) => hit.code)).toEqual(["50000000-5"]);
    expect(searchCpv("الصِّيَانَة").map((hit) => hit.code)).toEqual(["50000000-5"]);
    expect(searchCpv("المياه المجمعة").map((hit) => hit.code)).toContain("41000000-9");
    expect(searchCpv("تـدريـب").map((hit) => hit.code)).toEqual(["80000000-4"]);
  });

  test("a label starting with the query ranks first; only divisions come back", () => {
    const hits = searchCpv("خدمات", { limit: 100 });
    expect(hits.length).toBeGreaterThan(5);
    expect(hits[0]!.match).toBe("label-prefix");
    expect(hits.every((hit) => hit.level === 2 && hit.code.endsWith("000000", 8))).toBe(true);
  });

  test("everyday words reach their division", () => {
    expect(searchCpv("مقاولات").map((hit) => hit.code)).toEqual(["45000000-7"]);
    expect(searchCpv("أدوية").map((hit) => hit.code)).toEqual(["33000000-0"]);
  });

  test("English labels when asked", () => {
    expect(searchCpv("الإنشاءات", { lang: "en" })[0]).toMatchObject({
      code: "45000000-7",
      label: "Construction work",
      lang: "en",
    });
  });
});

describe("units of measure", () => {
  test("the curated units have Arabic and English names and valid codes", () => {
    const list = units();
    const codes = list.map((unit) => unit.code);
    for (const code of ["C62", "H87", "MTR", "MTK", "MTQ", "KGM", "TNE", "LTR", "HUR", "DAY", "MON", "ANN"]) {
      expect(codes).toContain(code);
    }
    for (const code of ["SET", "LS", "E48", "KMT", "BX"]) expect(codes).toContain(code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const unit of list) {
      expect(unit.name.ar, unit.code).toMatch(/\p{Script=Arabic}/u);
      expect(unit.name.en, unit.code).toMatch(/^[a-z ]+$/);
      expect(isUnitCode(unit.code)).toBe(true);
    }
    expect(list.find((unit) => unit.code === "MTQ")).toEqual({
      code: "MTQ",
      name: { ar: "متر مكعب", en: "cubic metre" },
      symbol: "m³",
    });
  });

  test("curated symbols agree with the recommended list", () => {
    const recommended: Record<string, { name_en: string; symbol_en: string }> = unitsJson;
    for (const unit of units()) {
      const listed = recommended[unit.code];
      if (listed) expect(unit.symbol, unit.code).toBe(listed.symbol_en);
    }
  });

  test("isUnitCode accepts every recommended code and refuses others", () => {
    for (const code of Object.keys(unitsJson)) expect(isUnitCode(code)).toBe(true);
    expect(isUnitCode("kgm")).toBe(false);
    expect(isUnitCode("XYZ")).toBe(false);
    expect(isUnitCode("")).toBe(false);
    expect(isUnitCode("constructor")).toBe(false);
    expect(isUnitCode(undefined)).toBe(false);
  });

  test("unitName: Arabic for curated units, English for the rest, null when unknown", () => {
    expect(unitName("KGM", "ar")).toEqual({ label: "كيلوغرام", lang: "ar" });
    expect(unitName("KGM", "en")).toEqual({ label: "kilogram", lang: "en" });
    expect(unitName("E07", "ar")).toEqual({ label: "megawatt hour per hour", lang: "en" });
    expect(unitName("LO", "en")).toEqual({ label: "lot [unit of procurement]", lang: "en" });
    expect(unitName("XYZ", "ar")).toBeNull();
  });
});
