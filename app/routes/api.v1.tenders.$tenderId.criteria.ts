import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/tenders/:tenderId/criteria: Add a criterion to a draft. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/tenders/:tenderId/criteria");
export const loader = route.loader;
export const action = route.action;
