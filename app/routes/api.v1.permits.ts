import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/permits: The business's permits. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/permits");
export const loader = route.loader;
export const action = route.action;
