import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { atomFeed, escapeXml } from "./atom.ts";

describe("escapeXml", () => {
  test("markup and quotes become entities; characters XML forbids are dropped", () => {
    expect(escapeXml(`<b>"Tom" & 'Jerry'</b>`)).toBe(
      "&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;",
    );
    expect(escapeXml("a\u0000b\u0007c\uFFFEd\uD800e\tf\ng")).toBe("abcde\tf\ng");
    expect(escapeXml("إنارة 🚧")).toBe("إنارة 🚧");
  });

  test("whatever the text, the result holds no markup and no forbidden character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const escaped = escapeXml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: checking they are gone
        expect(escaped).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
        expect(escaped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
    );
  });
});

describe("atomFeed", () => {
  const feed = atomFeed({
    id: "https://shafaf.example/tenders/feed.atom?q=road&status=open",
    title: "Tenders <road>",
    lang: "en",
    updated: new Date("2026-11-25T09:00:00Z"),
    selfHref: "https://shafaf.example/tenders/feed.atom?q=road&status=open",
    alternateHref: "https://shafaf.example/tenders?q=road&status=open",
    generator: "Shafaf",
    entries: [
      {
        id: "urn:uuid:0b7f0c1e-0000-4000-8000-000000000001",
        title: "Road works & lighting",
        link: "https://shafaf.example/tenders/0b7f0c1e-0000-4000-8000-000000000001",
        updated: new Date("2026-11-20T10:00:00Z"),
        published: new Date("2026-11-19T10:00:00Z"),
        summary: "<script>alert(1)</script>",
        author: "Ministry of Works",
        categories: [{ term: "45233120-6", label: "Road construction works" }],
      },
    ],
  });

  test("an Atom 1.0 document with the required elements", () => {
    expect(
      feed.startsWith(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
      ),
    ).toBe(true);
    for (const element of [
      "<id>",
      "<title>",
      "<updated>2026-11-25T09:00:00.000Z</updated>",
      '<link rel="self"',
      "<entry>",
      "<author><name>Ministry of Works</name></author>",
    ])
      expect(feed).toContain(element);
    expect(feed).toContain('<category term="45233120-6" label="Road construction works"/>');
    expect(feed.trim().endsWith("</feed>")).toBe(true);
  });

  test("text is escaped everywhere, URLs included", () => {
    expect(feed).toContain("<title>Tenders &lt;road&gt;</title>");
    expect(feed).toContain("Road works &amp; lighting");
    expect(feed).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(feed).toContain("feed.atom?q=road&amp;status=open");
    expect(feed).not.toContain("<script>");
  });
});
