import { suggestionCache, suggestTenders } from "#app/modules/discovery/suggest-tenders.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/tenders.suggest";

/**
 * GET /tenders/suggest?q=: autocomplete for the tender search box, as JSON
 * `{ suggestions: [{ kind, value, lang, agency? }] }`. Public; any text is
 * accepted (fewer than two letters: no suggestions). Browsers may keep an
 * answer for a minute.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const { database, env } = context.get(servicesContext);
  const suggestions = await suggestTenders(q, database.db, suggestionCache(env.SEARCH_CACHE_SECONDS));
  return Response.json(
    { suggestions },
    { headers: { "Cache-Control": "public, max-age=60", "X-Content-Type-Options": "nosniff" } },
  );
}
