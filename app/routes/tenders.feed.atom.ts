import { parseSearchParams } from "#app/modules/discovery/search-params.ts";
import { tenderFeed } from "#app/modules/discovery/tender-feed.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { publicBaseUrl } from "#app/utils/http.server.ts";
import type { Route } from "./+types/tenders.feed.atom";

/**
 * GET /tenders/feed.atom?<the search page's parameters>: the 50 newest
 * tenders of any search as an Atom 1.0 feed, for feed readers and
 * notification services. Public; sort and page are ignored (newest first).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { database, env } = context.get(servicesContext);
  const { t, lang } = context.get(i18nContext);
  const { search } = parseSearchParams(new URL(request.url).searchParams);
  const xml = await tenderFeed(
    { search, baseUrl: publicBaseUrl(request, env.PUBLIC_URL), t, lang },
    database.db,
  );
  return new Response(xml, {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
