import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { ocdsRecord } from "#app/modules/ocds/record-package.server.ts";
import { ocdsContextOf, ocdsJson, ocdsProblem } from "#app/modules/ocds/responses.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/api.ocds.records.$ocid";

/** GET /api/ocds/records/:ocid: the record package of one contracting process; 404 for an unknown ocid. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { database, env } = context.get(servicesContext);
  const record = await ocdsRecord(params.ocid, ocdsContextOf(request, env), database.db);
  if (!record) return ocdsProblem(context.get(i18nContext).t, { status: 404 });
  return ocdsJson(record);
}
