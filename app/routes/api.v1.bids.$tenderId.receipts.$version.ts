import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/bids/:tenderId/receipts/:version: The signed receipt of one submission. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/bids/:tenderId/receipts/:version");
export const loader = route.loader;
export const action = route.action;
