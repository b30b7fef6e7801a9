import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/openapi.json: The OpenAPI 3.1 document of /api/v1, generated from the registry. Public. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/openapi.json");
export const loader = route.loader;
export const action = route.action;
