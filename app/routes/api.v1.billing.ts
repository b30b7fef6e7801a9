import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/billing: The business's payments, refunds and bid securities. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/billing");
export const loader = route.loader;
export const action = route.action;
