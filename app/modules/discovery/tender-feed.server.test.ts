import { beforeAll, describe, expect, test } from "vitest";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { tenders } from "#db/schema/index.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { parseSearchParams } from "./search-params.ts";
import { FEED_ENTRIES, tenderFeed } from "./tender-feed.server.ts";

const { db } = testDatabase();
const DAY = 86_400_000;
const baseUrl = "https://shafaf.example";

beforeAll(async () => {
  const author = (await createUser(db)).id;
  const agency = await createOrganisation(
    db,
    agencyData({ nameAr: "بلدية <الكويت>", nameEn: "Kuwait & Co Municipality" }),
  );
  await db.insert(tenders).values(
    Array.from({ length: FEED_ENTRIES + 5 }, (_, i) => ({
      agencyId: agency.id,
      reference: `F-${i}`,
      titleAr: `تنظيف الشوارع ${i}`,
      titleEn: i === 0 ? "Street <cleaning> & sweeping" : `Street cleaning ${i}`,
      descriptionEn: "Daily cleaning",
      category: "services" as const,
      cpvCodes: ["90910000-9"],
      currency: "KWD",
      timeZone: "Asia/Kuwait",
      enquiryDeadline: new Date(Date.now() + 5 * DAY),
      submissionDeadline: new Date(Date.now() + 10 * DAY),
      openingAt: new Date(Date.now() + 11 * DAY),
      status: i === 1 ? ("draft" as const) : ("published" as const),
      publishedAt: new Date(Date.now() - i * DAY),
      createdBy: author,
    })),
  );
});

const feed = (query: string, lang: "ar" | "en" = "en") =>
  tenderFeed(
    { search: parseSearchParams(new URLSearchParams(query)).search, baseUrl, lang, t: createI18n(lang).t },
    db,
  );

describe("tenderFeed", () => {
  test("the 50 newest tenders of the search, newest first, never a draft", async () => {
    const xml = await feed("q=cleaning&sort=value&page=3");
    const titles = [...xml.matchAll(/<entry>\s*<id>[^<]+<\/id>\s*<title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(titles).toHaveLength(FEED_ENTRIES);
    expect(titles[0]).toBe("Street &lt;cleaning&gt; &amp; sweeping (F-0)");
    expect(titles[1]).toBe("Street cleaning 2 (F-2)");
    expect(xml).not.toContain("(F-1)");
  });

  test("ids, links and dates as Atom wants them; the feed id is the canonical search", async () => {
    const xml = await feed("status=open&q=cleaning");
    expect(xml).toContain("<id>https://shafaf.example/tenders/feed.atom?q=cleaning&amp;status=open</id>");
    expect(xml).toContain(
      '<link rel="alternate" type="text/html" href="https://shafaf.example/tenders?q=cleaning&amp;status=open"/>',
    );
    expect(xml).toMatch(/<entry>\s*<id>urn:uuid:[0-9a-f-]{36}<\/id>/);
    expect(xml).toMatch(/<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/updated>/);
    expect(xml).toContain("<author><name>Kuwait &amp; Co Municipality</name></author>");
    expect(xml).toContain('<category term="90910000-9" label="Cleaning services"/>');
  });

  test("in Arabic, with the Arabic texts; an empty search is an empty feed", async () => {
    const xml = await feed("q=تنظيف", "ar");
    expect(xml).toContain('xml:lang="ar"');
    expect(xml).toContain("<title>المناقصات على شفاف: تنظيف</title>");
    expect(xml).toContain("<author><name>بلدية &lt;الكويت&gt;</name></author>");
    const none = await feed("q=nothingmatchesthis");
    expect(none).not.toContain("<entry>");
    expect(none).toMatch(/<updated>[^<]+<\/updated>/);
  });
});
