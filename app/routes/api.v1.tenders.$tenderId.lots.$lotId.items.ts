import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/tenders/:tenderId/lots/:lotId/items: Add an item to a draft's lot. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/tenders/:tenderId/lots/:lotId/items");
export const loader = route.loader;
export const action = route.action;
