import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/tenders/:tenderId: One of the agency's tenders; replace a draft's basics. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/tenders/:tenderId");
export const loader = route.loader;
export const action = route.action;
