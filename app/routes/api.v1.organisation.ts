import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/organisation: The calling token's organisation. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/organisation");
export const loader = route.loader;
export const action = route.action;
