import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/bids/:tenderId: The business's bid on a tender; submit a sealed bid. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/bids/:tenderId");
export const loader = route.loader;
export const action = route.action;
