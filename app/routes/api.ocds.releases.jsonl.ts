import { releaseLines } from "#app/modules/ocds/releases-jsonl.server.ts";
import { OPEN_DATA_HEADERS, ocdsContextOf } from "#app/modules/ocds/responses.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/api.ocds.releases.jsonl";

/** GET /api/ocds/releases.jsonl: every release, one per line, for bulk download. */
export function loader({ request, context }: Route.LoaderArgs) {
  const { database, env } = context.get(servicesContext);
  return new Response(releaseLines(ocdsContextOf(request, env), database.db), {
    headers: {
      ...OPEN_DATA_HEADERS,
      "Content-Type": "application/jsonl; charset=utf-8",
      "Content-Disposition": 'attachment; filename="ocds-releases.jsonl"',
    },
  });
}
