import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/tenders/:tenderId/publish: Publish a draft (or send it for approval). What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/tenders/:tenderId/publish");
export const loader = route.loader;
export const action = route.action;
