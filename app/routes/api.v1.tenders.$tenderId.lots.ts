import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/tenders/:tenderId/lots: Add a lot to a draft. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/tenders/:tenderId/lots");
export const loader = route.loader;
export const action = route.action;
