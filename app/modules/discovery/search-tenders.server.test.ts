import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { normaliseArabic } from "#app/modules/tenders/arabic-normalise.ts";
import { type Organisation, tenderItems, tenderLots, tenders } from "#db/schema/index.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { parseSearchParams, type TenderSearch } from "./search-params.ts";
import { parseQuery } from "./search-query.ts";
import {
  drizzleRunner,
  FacetCache,
  orderedPageStatement,
  searchConditions,
  searchTenders,
  TOTAL_CAP,
  tsqueryOf,
  tsqueryStatement,
} from "./search-tenders.server.ts";

const { db } = testDatabase();
const DAY = 86_400_000;
let author: string;
let works: Organisation;
let health: Organisation;
let riyadh: Organisation;

interface TenderSpec {
  reference: string;
  titleAr: string;
  titleEn: string;
  descriptionAr?: string;
  descriptionEn?: string;
  agency?: Organisation;
  status?: "draft" | "awaiting_approval" | "published" | "opened" | "cancelled";
  /** Days from now to the submission deadline. */
  closesIn?: number;
  publishedDaysAgo?: number;
  category?: "goods" | "works" | "services";
  method?: "open" | "restricted" | "rfq";
  cpvCodes?: string[];
  currency?: string;
  estimatedValue?: bigint | null;
  items?: Array<[string, string]>;
}

/** A tender written as the app writes it (the triggers compute its search document). */
async function tender(spec: TenderSpec) {
  const agency = spec.agency ?? works;
  const deadline = Date.now() + (spec.closesIn ?? 30) * DAY;
  const [row] = await db
    .insert(tenders)
    .values({
      agencyId: agency.id,
      reference: spec.reference,
      titleAr: spec.titleAr,
      titleEn: spec.titleEn,
      descriptionAr: spec.descriptionAr ?? "",
      descriptionEn: spec.descriptionEn ?? "",
      method: spec.method ?? "open",
      category: spec.category ?? "works",
      cpvCodes: spec.cpvCodes ?? ["45233120-6"],
      currency: spec.currency ?? agency.currency,
      estimatedValue: spec.estimatedValue === undefined ? 100_000_000n : spec.estimatedValue,
      timeZone: agency.timeZone,
      enquiryDeadline: new Date(deadline - 5 * DAY),
      submissionDeadline: new Date(deadline),
      openingAt: new Date(deadline + 3600_000),
      status: spec.status ?? "published",
      publishedAt: new Date(Date.now() - (spec.publishedDaysAgo ?? 10) * DAY),
      createdBy: author,
    })
    .returning();
  if (spec.items?.length) {
    const [lot] = await db
      .insert(tenderLots)
      .values({ tenderId: row!.id, number: 1, titleAr: "المجموعة الأولى", titleEn: "Lot one" })
      .returning();
    await db.insert(tenderItems).values(
      spec.items.map(([ar, en]) => ({
        lotId: lot!.id,
        descriptionAr: ar,
        descriptionEn: en,
        quantity: "1",
        unit: "H87",
      })),
    );
  }
  return row!;
}

const search = (query: string) =>
  searchTenders(parseSearchParams(new URLSearchParams(query)).search, db, { cache: null });
const refs = async (query: string) => (await search(query)).rows.map((r) => r.reference).sort();

beforeAll(async () => {
  author = (await createUser(db)).id;
  works = await createOrganisation(
    db,
    agencyData({ slug: "kw-works", region: "KW-HA", nameEn: "Ministry of Works", nameAr: "وزارة الأشغال" }),
  );
  health = await createOrganisation(
    db,
    agencyData({ slug: "kw-health", region: "KW-KU", nameEn: "Ministry of Health", nameAr: "وزارة الصحة" }),
  );
  riyadh = await createOrganisation(
    db,
    agencyData({
      slug: "sa-riyadh",
      country: "SA",
      region: "SA-01",
      currency: "SAR",
      timeZone: "Asia/Riyadh",
      nameEn: "Riyadh Municipality",
      nameAr: "أمانة الرياض",
    }),
  );

  await tender({
    reference: "W-1",
    titleAr: "إنشاء مدرسة ابتدائية في حولي",
    titleEn: "Construction of a primary school in Hawalli",
    descriptionAr: "تصميم وتنفيذ مبنى مدرسي متكامل للعام الدراسي ٢٠٢٦",
    descriptionEn: "Design and construction of a complete school building",
    cpvCodes: ["45214200-2"],
    estimatedValue: 2_500_000_000n, // 2,500,000.000 KWD
    closesIn: 3,
  });
  await tender({
    reference: "W-2",
    titleAr: "إنارة الطرق الرئيسية",
    titleEn: "Street lighting of main roads",
    descriptionAr: "توريد وتركيب أعمدة الإنارة",
    descriptionEn: "Supply and installation of lighting poles",
    cpvCodes: ["45316110-9", "34993000-4"],
    estimatedValue: 750_000_000n,
    closesIn: 20,
    items: [["كشافات LED بقدرة ١٥٠ واط", "150 W LED luminaires"]],
  });
  await tender({
    reference: "W-3",
    titleAr: "صيانة المدارس",
    titleEn: "Maintenance of schools",
    status: "opened",
    closesIn: -40,
    publishedDaysAgo: 80,
    method: "restricted",
    estimatedValue: null,
  });
  await tender({
    reference: "H-1",
    agency: health,
    titleAr: "توريد مستلزمات طبية",
    titleEn: "Supply of medical consumables",
    category: "goods",
    cpvCodes: ["33140000-3"],
    closesIn: -2,
    items: [["كمامات جراحية", "Surgical masks"]],
  });
  await tender({
    reference: "H-2",
    agency: health,
    titleAr: "خدمات تنظيف المستشفيات",
    titleEn: "Hospital cleaning services",
    category: "services",
    cpvCodes: ["90910000-9"],
    status: "cancelled",
    closesIn: 10,
    estimatedValue: 50_000_000n,
  });
  await tender({
    reference: "S-1",
    agency: riyadh,
    titleAr: "مـدرسـه ثانوية في الرياض",
    titleEn: "Secondary school in Riyadh",
    currency: "SAR",
    estimatedValue: 900_000_000n, // 9,000,000.00 SAR
    cpvCodes: ["45214200-2"],
    closesIn: 45,
  });
  // Never shown: a draft and one awaiting approval, whatever they say.
  await tender({ reference: "D-1", titleAr: "مدرسة سرية", titleEn: "Secret school draft", status: "draft" });
  await tender({
    reference: "D-2",
    titleAr: "مدرسة معلقة",
    titleEn: "Pending school",
    status: "awaiting_approval",
  });
});

describe("Arabic normalisation in SQL agrees with the TypeScript one", () => {
  const arabicChar = fc.oneof(
    fc.integer({ min: 0x0600, max: 0x06ff }),
    fc.integer({ min: 0xfb50, max: 0xfdff }),
    fc.integer({ min: 0xfe70, max: 0xfeff }),
    fc.constantFrom(0x20, 0x41, 0x61, 0x31, 0x640, 0x200f, 0x202b, 0x2066, 0x627, 0x653, 0x654),
  );
  const arabicText = fc.array(arabicChar, { maxLength: 40 }).map((cps) => String.fromCodePoint(...cps));

  test("normalise_arabic(t) = normaliseArabic(t) for Arabic text, marks, presentation forms and digits", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arabicText, { minLength: 1, maxLength: 40 }), async (texts) => {
        const rows = await db.execute<{ n: string }>(
          sql`select normalise_arabic(t) as n from json_array_elements_text(${JSON.stringify(texts)}::json) with ordinality as x(t, i) order by i`,
        );
        expect(rows.map((r) => r.n)).toEqual(texts.map(normaliseArabic));
      }),
      { numRuns: 60 },
    );
  });

  test("known examples", async () => {
    const [row] = await db.execute<{ a: string; b: string; c: string }>(
      sql`select normalise_arabic('مُنَاقَصَةٌ') a, normalise_arabic('إنارة ٢٠٢٦ ۱۲') b, normalise_arabic('مـسـتـشـفـى') c`,
    );
    expect(row).toEqual({ a: "مناقصه", b: "اناره 2026 12", c: "مستشفي" });
  });
});

describe("full text", () => {
  test("finds what a person means: ة/ه, hamza, diacritics, tatweel, Arabic-Indic digits", async () => {
    // «مدرسة» (a school) and «مـدرسـه» meet; the broken plural «المدارس» is another word.
    expect(await refs("q=مدرسة")).toEqual(["S-1", "W-1"]);
    expect(await refs("q=مدرسه")).toEqual(["S-1", "W-1"]);
    expect(await refs("q=المدرسة")).toEqual(["S-1", "W-1"]);
    expect(await refs("q=للمدرسة")).toEqual(["S-1", "W-1"]);
    expect(await refs("q=مدارس")).toEqual(["W-3"]);
    expect(await refs("q=انارة")).toEqual(["W-2"]);
    expect(await refs("q=الإنارة")).toEqual(["W-2"]);
    expect(await refs("q=٢٠٢٦")).toEqual(["W-1"]);
    expect(await refs("q=2026")).toEqual(["W-1"]);
  });

  test("English with stemming, lot items, mixed languages, references", async () => {
    expect(await refs("q=schools")).toEqual(["S-1", "W-1", "W-3"]);
    expect(await refs("q=masks")).toEqual(["H-1"]);
    expect(await refs("q=كمامات")).toEqual(["H-1"]);
    expect(await refs("q=luminaires")).toEqual(["W-2"]);
    expect(await refs("q=LED ١٥٠")).toEqual(["W-2"]);
    expect(await refs("q=مدرسة Riyadh")).toEqual(["S-1"]);
    expect(await refs("q=lighting إنارة")).toEqual(["W-2"]);
    expect(await refs("q=W-2")).toEqual(["W-2"]);
  });

  test("phrases, exclusions and OR", async () => {
    expect(await refs('q="street lighting"')).toEqual(["W-2"]);
    expect(await refs('q="lighting street"')).toEqual([]);
    expect(await refs("q=school -riyadh")).toEqual(["W-1", "W-3"]);
    expect(await refs("q=masks OR lighting")).toEqual(["H-1", "W-2"]);
    expect(await refs("q=كمامات أو إنارة")).toEqual(["H-1", "W-2"]);
  });

  test("drafts and tenders awaiting approval are never found, cancelled ones are", async () => {
    expect(await refs("q=secret")).toEqual([]);
    expect(await refs("q=pending")).toEqual([]);
    expect(await refs("q=سرية")).toEqual([]);
    expect(await refs("q=cleaning")).toEqual(["H-2"]);
    expect((await search("")).total).toBe(6);
  });

  test("a query of stop words only or punctuation only is no text filter", async () => {
    const result = await search("q=the of");
    expect(result.matchedWords).toBe(false);
    expect(result.total).toBe(6);
    expect((await search(`q=${encodeURIComponent("&|!():*")}`)).total).toBe(6);
  });
});

describe("filters", () => {
  test("status: open, closed (deadline passed or opened), cancelled", async () => {
    expect(await refs("status=open")).toEqual(["S-1", "W-1", "W-2"]);
    expect(await refs("status=closed")).toEqual(["H-1", "W-3"]);
    expect(await refs("status=cancelled")).toEqual(["H-2"]);
  });

  test("agency, category, method, CPV prefix, region and country", async () => {
    expect(await refs("agency=kw-health")).toEqual(["H-1", "H-2"]);
    expect(await refs("category=goods")).toEqual(["H-1"]);
    expect(await refs("method=restricted")).toEqual(["W-3"]);
    expect(await refs("cpv=45")).toEqual(["S-1", "W-1", "W-2", "W-3"]);
    expect(await refs("cpv=4521")).toEqual(["S-1", "W-1"]);
    expect(await refs("cpv=34993000-4")).toEqual(["W-2"]);
    expect(await refs("cpv=45000000-7")).toEqual(["S-1", "W-1", "W-2", "W-3"]);
    expect(await refs("region=KW-KU")).toEqual(["H-1", "H-2"]);
    expect(await refs("region=SA")).toEqual(["S-1"]);
    expect(await refs("region=KW")).toEqual(["H-1", "H-2", "W-1", "W-2", "W-3"]);
  });

  test("currency and value range in major units of that currency", async () => {
    expect(await refs("currency=SAR")).toEqual(["S-1"]);
    expect(await refs("currency=KWD&min=1000000")).toEqual(["W-1"]);
    expect(await refs("currency=KWD&max=750000")).toEqual(["H-1", "H-2", "W-2"]);
    expect(await refs("currency=KWD&min=750000&max=750000.000")).toEqual(["W-2"]);
    // 9,000,000 SAR is not 9,000,000 KWD, and without a currency the range is ignored.
    expect(await refs("currency=SAR&min=8999999.99&max=9000000")).toEqual(["S-1"]);
    expect((await search("min=1")).total).toBe(6);
  });

  test("deadline range, by day in each tender's time zone", async () => {
    const day = (offset: number) =>
      new Date(Date.now() + offset * DAY + 3 * 3600_000).toISOString().slice(0, 10);
    expect(await refs(`from=${day(1)}&to=${day(25)}`)).toEqual(["H-2", "W-1", "W-2"]);
    expect(await refs(`to=${day(0)}`)).toEqual(["H-1", "W-3"]);
  });

  test("text and filters together", async () => {
    expect(await refs("q=school&status=open&region=KW")).toEqual(["W-1"]);
  });
});

describe("sorting and paging", () => {
  test("relevance: title matches before description matches", async () => {
    await tender({
      reference: "W-4",
      titleAr: "أعمال متنوعة",
      titleEn: "Various works",
      descriptionEn: "Includes a lighting survey",
      closesIn: 15,
    });
    const rows = (await search("q=lighting")).rows.map((r) => r.reference);
    expect(rows).toEqual(["W-2", "W-4"]);
    await db.delete(tenders).where(eq(tenders.reference, "W-4"));
  });

  test("closing soonest: open tenders by deadline, then the rest", async () => {
    expect((await search("sort=closing")).rows.map((r) => r.reference)).toEqual([
      "W-1",
      "W-2",
      "S-1",
      "H-2",
      "H-1",
      "W-3",
    ]);
  });

  test("value: largest first within each currency; newest: latest publication first", async () => {
    expect((await search("sort=value&currency=KWD")).rows.map((r) => r.reference)).toEqual([
      "W-1",
      "W-2",
      "H-1",
      "H-2",
      "W-3",
    ]);
    expect((await search("sort=newest&status=closed")).rows.map((r) => r.reference)).toEqual(["H-1", "W-3"]);
  });

  test("pages of twenty, clamped to the last page", async () => {
    const result = await search("page=7");
    expect(result.page).toBe(1);
    expect(result.pages).toBe(1);
  });
});

describe("facets", () => {
  test("each facet counts the query and the other filters, not its own", async () => {
    const result = await search("q=school&status=open&category=works");
    expect(result.total).toBe(2);
    // Status: every school tender of category works, whatever its status.
    expect(result.facets!.status).toEqual([
      { key: "open", count: 2 },
      { key: "closed", count: 1 },
    ]);
    // Category: open school tenders of any category.
    expect(result.facets!.category).toEqual([{ key: "works", count: 2 }]);
    // Others: the full selection.
    expect(result.facets!.agency).toEqual([
      { key: "kw-works", count: 1 },
      { key: "sa-riyadh", count: 1 },
    ]);
    expect(result.facets!.currency).toEqual([
      { key: "KWD", count: 1 },
      { key: "SAR", count: 1 },
    ]);
    expect(result.facets!.cpv).toEqual([{ key: "45", count: 2 }]);
    expect(result.agencies["kw-works"]).toEqual({ nameAr: "وزارة الأشغال", nameEn: "Ministry of Works" });
  });

  test("a tender with two codes in one division counts once there", async () => {
    const result = await search("q=lighting");
    expect(result.facets!.cpv).toEqual([
      { key: "34", count: 1 },
      { key: "45", count: 1 },
    ]);
  });
});

describe("counting within a budget", () => {
  test("facets not counted in time are counted in the background once the search is asked again", async () => {
    const cache = new FacetCache(60);
    const parsed = parseSearchParams(new URLSearchParams("q=school&status=open")).search;
    // A budget of 1 ms (or a limit of 0 rows) leaves no time to count while the person waits.
    const ask = () => searchTenders(parsed, db, { cache, facetBudgetMs: 1, facetRowsLimit: 0 });
    const first = await ask();
    expect(first.total).toBe(2);
    // Facets without a filter come with the results; status (filtered) could not be counted.
    expect(first.facets?.status).toBeUndefined();
    expect(first.facets?.category).toEqual([{ key: "works", count: 2 }]);
    expect((await ask()).facets?.status).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    const third = await ask();
    expect(third.facets!.status).toEqual([
      { key: "open", count: 2 },
      { key: "closed", count: 1 },
    ]);
  });

  test("a filtered facet is counted while the person waits when the search comes again", async () => {
    const cache = new FacetCache(60);
    const parsed = parseSearchParams(new URLSearchParams("q=school&status=open&category=works")).search;
    const first = await searchTenders(parsed, db, { cache });
    expect(first.total).toBe(2);
    // A first ask: the chosen values only (the page shows them with the total), and the facets
    // without a filter, counted with the results.
    expect(first.facets?.status).toBeUndefined();
    expect(first.facets?.category).toBeUndefined();
    expect(first.facets?.method).toEqual([{ key: "open", count: 2 }]);
    // Asked again (another page, another order: the same counts), they are counted at once.
    const again = await searchTenders({ ...parsed, sort: "newest", page: 2 }, db, { cache });
    expect(again.facets?.status).toEqual([
      { key: "open", count: 2 },
      { key: "closed", count: 1 },
    ]);
    expect(again.facets?.category).toEqual([{ key: "works", count: 2 }]);
  });

  test("a filtered facet is counted while the person waits when it matches few enough tenders", async () => {
    const parsed = parseSearchParams(new URLSearchParams("q=school&status=open")).search;
    const status = async (facetRowsLimit: number) => {
      const cache = new FacetCache(60);
      await searchTenders(parsed, db, { cache, facetRowsLimit });
      return (await searchTenders(parsed, db, { cache, facetRowsLimit })).facets?.status;
    };
    // "school" without the status filter matches 3 tenders: counted with a limit of 3, not of 2.
    expect(await status(3)).toEqual([
      { key: "open", count: 2 },
      { key: "closed", count: 1 },
    ]);
    expect(await status(2)).toBeUndefined();
  });

  test("the cache answers stale counts while one refresh runs, and drops what it cannot queue", async () => {
    const cache = new FacetCache(0.05, 10, 1);
    const facets = (n: number) => ({
      status: [{ key: "open", count: n }],
      agency: [],
      category: [],
      method: [],
      currency: [],
      cpv: [],
    });
    cache.put("a", facets(1));
    expect(cache.peek("a", async () => facets(2))?.status[0]?.count).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    let loads = 0;
    expect(
      cache.peek("a", async () => {
        loads++;
        return facets(3);
      })?.status[0]?.count,
    ).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(loads).toBe(1);
    expect(cache.peek("a", async () => facets(4))?.status[0]?.count).toBe(3);
    expect(cache.peek("missing", async () => facets(5))).toBeNull();
    // Asked once: not counted in the background; asked twice: counted.
    let counted = 0;
    cache.later("b", async () => {
      counted++;
      return facets(6);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(counted).toBe(0);
    cache.later("b", async () => {
      counted++;
      return facets(6);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(counted).toBe(1);
  });

  test("totals are exact up to the cap; beyond it relevance gives way to newest", async () => {
    expect(TOTAL_CAP).toBe(1_000);
    const parsed = parseSearchParams(new URLSearchParams("q=school")).search;
    const exact = await searchTenders(parsed, db, { cache: null, totalCap: 3 });
    expect(exact).toMatchObject({ total: 3, totalCapped: false, sort: "relevance" });
    const capped = await searchTenders(parsed, db, { cache: null, totalCap: 2 });
    expect(capped).toMatchObject({ total: 2, totalCapped: true, sort: "newest" });
    expect(capped.rows.map((r) => r.reference)).toEqual(["S-1", "W-1", "W-3"]);
  });
});

describe("the tsquery of a query text", () => {
  test("is asked of the database once per parsed query", async () => {
    const runner = drizzleRunner(db);
    let asked = 0;
    const counting = {
      run: <T>(...args: Parameters<typeof runner.run>) => {
        asked++;
        return runner.run<T>(...args);
      },
    };
    const first = await tsqueryOf("lighting   kuwait-only-word-7", counting);
    expect(first).toContain("'light'");
    expect(await tsqueryOf(" lighting kuwait-only-word-7 ", counting)).toBe(first);
    expect(asked).toBe(1);
    expect(await tsqueryOf("the of", counting)).toBeNull();
    expect(await tsqueryOf("", counting)).toBeNull();
  });
});

describe("a page of more matches than the cap", () => {
  test("walking an index and collecting the matches give the same page, in every order", async () => {
    const runner = drizzleRunner(db);
    for (const query of [
      "q=school",
      "q=lighting&status=open",
      "q=school&category=works",
      // Closed: opened (W-3) and published past the deadline (H-1), newest first from two indexes.
      "q=schools OR masks&status=closed",
      // Every phase: open (S-1, W-1), awaiting opening (H-1), opened (W-3), cancelled (H-2).
      "q=schools OR masks OR cleaning",
      "q=cleaning&status=cancelled",
      // By value within a currency: the currency on the row as well as a lexeme.
      "q=school&currency=KWD&min=1000",
    ]) {
      const { search } = parseSearchParams(new URLSearchParams(query));
      const statement = tsqueryStatement(parseQuery(search.q))!;
      const [{ tsquery }] = (await runner.run<{ tsquery: string }>(statement)) as [{ tsquery: string }];
      const c = searchConditions(search, tsquery);
      for (const sort of ["newest", "closing", "value"] as const) {
        const ids = async (collect: boolean) =>
          (
            await runner.run<{ id: string }>(
              orderedPageStatement(c, sort, 1, { status: search.status, collect }),
            )
          ).map((r) => r.id);
        const walked = await ids(false);
        expect(walked.length, `${query} ${sort}`).toBeGreaterThan(0);
        expect(await ids(true), `${query} ${sort}`).toEqual(walked);
      }
    }
  });
});

describe("highlights", () => {
  test("hits are marked in the original spelling", async () => {
    const [row] = (await search("q=انارة")).rows;
    expect(row!.highlights.titleAr).toEqual([
      { text: "إنارة", hit: true },
      { text: " الطرق الرئيسية", hit: false },
    ]);
    expect(row!.highlights.descriptionAr.filter((s) => s.hit).map((s) => s.text)).toEqual(["الإنارة"]);
    const [school] = (await search("q=مدرسة&region=SA")).rows;
    expect(school!.highlights.titleAr.filter((s) => s.hit).map((s) => s.text)).toEqual(["مـدرسـه"]);
  });
});

describe("the search document follows the tender", () => {
  test("an amended title, an added item and publication are searchable at once", async () => {
    const draft = await tender({
      reference: "T-1",
      titleAr: "مسودة",
      titleEn: "Draft of ambulances",
      status: "draft",
    });
    expect(await refs("q=ambulances")).toEqual([]);
    await db.update(tenders).set({ status: "published" }).where(eq(tenders.id, draft.id));
    expect(await refs("q=ambulances")).toEqual(["T-1"]);
    await db.update(tenders).set({ titleEn: "Supply of fire engines" }).where(eq(tenders.id, draft.id));
    expect(await refs("q=ambulances")).toEqual([]);
    expect(await refs("q=engines")).toEqual(["T-1"]);
    const [lot] = await db
      .insert(tenderLots)
      .values({ tenderId: draft.id, number: 1, titleAr: "مركبات", titleEn: "Vehicles" })
      .returning();
    await db.insert(tenderItems).values({
      lotId: lot!.id,
      descriptionAr: "سلم هيدروليكي",
      descriptionEn: "Hydraulic ladder",
      quantity: "2",
      unit: "H87",
    });
    expect(await refs("q=hydraulic")).toEqual(["T-1"]);
    expect(await refs("q=هيدروليكي")).toEqual(["T-1"]);
    await db.delete(tenderLots).where(eq(tenderLots.id, lot!.id));
    expect(await refs("q=hydraulic")).toEqual([]);
    await db.delete(tenders).where(eq(tenders.id, draft.id));
  });

  test("filters searched with words follow the tender and its agency", async () => {
    const t = await tender({
      reference: "T-2",
      titleAr: "مولدات",
      titleEn: "Power generators",
      category: "goods",
    });
    expect(await refs("q=generators&category=goods")).toEqual(["T-2"]);
    await db.update(tenders).set({ category: "works", method: "rfq" }).where(eq(tenders.id, t.id));
    expect(await refs("q=generators&category=goods")).toEqual([]);
    expect(await refs("q=generators&category=works&method=rfq")).toEqual(["T-2"]);
    expect(await refs("q=generators&region=KW-HA")).toEqual(["T-2"]);
    await db.execute(sql`update organisations set region = 'KW-JA' where id = ${works.id}`);
    expect(await refs("q=generators&region=KW-HA")).toEqual([]);
    expect(await refs("q=generators&region=KW-JA")).toEqual(["T-2"]);
    await db.execute(sql`update organisations set region = 'KW-HA' where id = ${works.id}`);
    await db.delete(tenders).where(eq(tenders.id, t.id));
  });
});

describe("no query string can break the search", () => {
  const nasty = fc.oneof(
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.string({
      unit: fc.constantFrom(..."\"'\\&|!:*()<->-«»أوor \u0000\uD800\uDC00\u200F\u202E🚧ab١٢ %_;:"),
      maxLength: 120,
    }),
    fc.constantFrom(
      "'; drop table tenders; --",
      "\\",
      "'",
      "a:*",
      "!!",
      "()",
      "<->",
      "x".repeat(10_000),
      "مدرسة".repeat(2000),
      "\u0000",
      "\uD83D",
      '"',
      "- - -",
      "or or or",
    ),
  );

  test("any text as q, alone or with filters and sorts, answers", async () => {
    await fc.assert(
      fc.asyncProperty(
        nasty,
        fc.constantFrom("", "&status=open", "&sort=relevance", "&cpv=45&currency=KWD&min=1"),
        async (q, rest) => {
          // q goes in as it is (URLSearchParams would already replace lone surrogates).
          const { search: parsed } = parseSearchParams(new URLSearchParams(`q=x${rest}`));
          const result = await searchTenders(
            { ...parsed, q, sort: rest.includes("relevance") ? "relevance" : parsed.sort },
            db,
            { cache: null },
          );
          expect(result.total).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("any value in any parameter", async () => {
    const names = [
      "status",
      "agency",
      "cpv",
      "method",
      "category",
      "region",
      "currency",
      "min",
      "max",
      "from",
      "to",
      "sort",
      "page",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...names), fc.string({ unit: "binary", maxLength: 40 })),
        async (dict) => {
          const parsed: TenderSearch = parseSearchParams(new URLSearchParams(dict)).search;
          await searchTenders(parsed, db, { cache: null });
        },
      ),
      { numRuns: 80 },
    );
  });
});
