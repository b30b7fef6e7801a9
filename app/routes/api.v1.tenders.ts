import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/tenders: The agency's tenders; create a draft. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/tenders");
export const loader = route.loader;
export const action = route.action;
