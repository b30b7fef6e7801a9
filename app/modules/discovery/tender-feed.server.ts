import type { TFunction } from "i18next";
import type { Language } from "#app/modules/i18n/i18n.ts";
import { cpvLabel } from "#app/modules/tenders/classifications.server.ts";
import type { Db } from "#db/client.server.ts";
import { atomFeed } from "./atom.ts";
import { searchParamsOf, type TenderSearch } from "./search-params.ts";
import { latestTenders } from "./search-tenders.server.ts";

/** How many entries a feed carries: the newest tenders of the search. */
export const FEED_ENTRIES = 50;

/**
 * The Atom feed of a search: its 50 newest public tenders, each linking to
 * the tender's page, in the reader's language (the other one when a text is
 * missing). The feed's id is the canonical URL of the search's feed, so the
 * same search is the same feed whatever order its parameters came in.
 */
export async function tenderFeed(
  input: { search: TenderSearch; baseUrl: string; t: TFunction; lang: Language },
  db: Db,
): Promise<string> {
  const { search, baseUrl, t, lang } = input;
  const canonical = searchParamsOf(
    { ...search, sort: search.q ? "relevance" : "newest" },
    { page: 1 },
  ).toString();
  const suffix = canonical ? `?${canonical}` : "";
  const rows = await latestTenders(search, db, FEED_ENTRIES);
  const pick = (ar: unknown, en: unknown) => {
    const mine = String((lang === "ar" ? ar : en) ?? "");
    return mine || String((lang === "ar" ? en : ar) ?? "");
  };
  const entries = rows.map((r) => {
    const updated = new Date((r.updated_at ?? r.published_at) as string);
    const published = r.published_at ? new Date(r.published_at as string) : null;
    return {
      id: `urn:uuid:${String(r.id)}`,
      title: `${pick(r.title_ar, r.title_en)} (${String(r.reference)})`,
      link: `${baseUrl}/tenders/${String(r.id)}`,
      updated: published && published > updated ? published : updated,
      published,
      summary: pick(r.description_ar, r.description_en),
      author: pick(r.agency_name_ar, r.agency_name_en),
      categories: ((r.cpv_codes as string[] | null) ?? []).map((code) => ({
        term: code,
        label: cpvLabel(code, lang)?.label,
      })),
    };
  });
  return atomFeed({
    id: `${baseUrl}/tenders/feed.atom${suffix}`,
    title: search.q ? t("search.feedTitleQuery", { query: search.q }) : t("search.feedTitle"),
    subtitle: t("tenders.lead"),
    lang,
    // The newest entry's time; an empty feed is as of now.
    updated:
      entries.reduce((latest: Date | null, e) => (latest && latest > e.updated ? latest : e.updated), null) ??
      new Date(),
    selfHref: `${baseUrl}/tenders/feed.atom${suffix}`,
    alternateHref: `${baseUrl}/tenders${canonical ? `?${searchParamsOf({ ...search, page: 1 })}` : ""}`,
    generator: t("meta.siteName"),
    entries,
  });
}
