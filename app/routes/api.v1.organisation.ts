import { apiOrganisation } from "#app/modules/accounts/api-reads.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { apiResponse } from "#app/utils/api.server.ts";
import type { Route } from "./+types/api.v1.organisation";

/** GET /api/v1/organisation: the calling token's organisation. Scope organisation:read. */
export function loader({ request, context }: Route.LoaderArgs) {
  return apiResponse(request, context, (integration) =>
    apiOrganisation(integration, context.get(servicesContext).database.db),
  );
}
