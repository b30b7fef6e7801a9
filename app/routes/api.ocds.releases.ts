import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { listReleases } from "#app/modules/ocds/list-releases.server.ts";
import { parseReleaseQuery } from "#app/modules/ocds/packages.ts";
import { ocdsContextOf, ocdsJson, ocdsProblem } from "#app/modules/ocds/responses.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/api.ocds.releases";

/**
 * GET /api/ocds/releases?limit=&cursor=: an OCDS 1.1 release package of the
 * newest releases; `links.next` pages on. Public open data; a bad `limit` or
 * `cursor` is a 400 problem.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { database, env } = context.get(servicesContext);
  const query = parseReleaseQuery(new URL(request.url).searchParams);
  if (!query.ok)
    return ocdsProblem(context.get(i18nContext).t, { status: 400, parameter: query.problem.parameter });
  return ocdsJson(await listReleases(query.value, ocdsContextOf(request, env), database.db));
}
