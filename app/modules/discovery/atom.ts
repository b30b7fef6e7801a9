/**
 * Atom 1.0 (RFC 4287), written by hand: a feed is a few elements, and every
 * piece of text in it is escaped here — tender titles and descriptions are
 * typed by people, so `<`, `&` and quotes become entities and characters XML
 * 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) are
 * dropped.
 */

export interface AtomEntry {
  /** A permanent IRI, e.g. urn:uuid:…. */
  id: string;
  title: string;
  link: string;
  updated: Date;
  published?: Date | null;
  summary?: string;
  author: string;
  categories?: Array<{ term: string; label?: string }>;
  /** Language of the entry's text (xml:lang). */
  lang?: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  lang: string;
  updated: Date;
  selfHref: string;
  alternateHref: string;
  generator: string;
  entries: AtomEntry[];
}

/** Text as XML character data or an attribute value. */
export function escapeXml(text: string): string {
  return text
    .replace(
      // Not allowed in XML 1.0: C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      "",
    )
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const time = (d: Date) => d.toISOString();

export function atomFeed(feed: AtomFeed): string {
  const x = escapeXml;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(feed.lang)}">`,
    `  <id>${x(feed.id)}</id>`,
    `  <title>${x(feed.title)}</title>`,
    ...(feed.subtitle ? [`  <subtitle>${x(feed.subtitle)}</subtitle>`] : []),
    `  <updated>${time(feed.updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${x(feed.selfHref)}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(feed.alternateHref)}"/>`,
    `  <generator>${x(feed.generator)}</generator>`,
  ];
  for (const e of feed.entries) {
    lines.push(
      e.lang ? `  <entry xml:lang="${x(e.lang)}">` : "  <entry>",
      `    <id>${x(e.id)}</id>`,
      `    <title>${x(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${x(e.link)}"/>`,
      `    <updated>${time(e.updated)}</updated>`,
      ...(e.published ? [`    <published>${time(e.published)}</published>`] : []),
      `    <author><name>${x(e.author)}</name></author>`,
      ...(e.categories ?? []).map((c) =>
        c.label
          ? `    <category term="${x(c.term)}" label="${x(c.label)}"/>`
          : `    <category term="${x(c.term)}"/>`,
      ),
      ...(e.summary ? [`    <summary type="text">${x(e.summary)}</summary>`] : []),
      "  </entry>",
    );
  }
  lines.push("</feed>", "");
  return lines.join("\n");
}
