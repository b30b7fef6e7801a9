import { apiMembers } from "#app/modules/accounts/api-reads.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { apiResponse } from "#app/utils/api.server.ts";
import type { Route } from "./+types/api.v1.members";

/** GET /api/v1/members: members of the calling token's organisation. Scope members:read. */
export function loader({ request, context }: Route.LoaderArgs) {
  return apiResponse(request, context, (integration) =>
    apiMembers(integration, context.get(servicesContext).database.db),
  );
}
