import type { RouterContextProvider } from "react-router";
import type { Integration } from "#app/modules/accounts/actor.ts";
import { authenticateApiToken } from "#app/modules/accounts/api-tokens.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "./errors.ts";

/**
 * Run an /api/v1 handler as the integration named by the bearer token. Every
 * answer is JSON; errors are `{ "error": { "code", "message" } }` with the
 * status of the error table, the message in the caller's Accept-Language.
 */
export async function apiResponse(
  request: Request,
  context: Readonly<RouterContextProvider>,
  handle: (integration: Integration) => Promise<unknown>,
): Promise<Response> {
  const { t } = context.get(i18nContext);
  try {
    const integration = await authenticateApiToken(
      request.headers.get("authorization"),
      context.get(servicesContext).database.db,
    );
    return Response.json({ data: await handle(integration) }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if (!isAppError(e)) throw e;
    const headers: HeadersInit = e.status === 401 ? { "WWW-Authenticate": 'Bearer realm="shafaf"' } : {};
    return Response.json(
      { error: { code: e.code, message: t(e.messageKey, e.params) } },
      { status: e.status, headers },
    );
  }
}
