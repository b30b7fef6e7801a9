import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/permit-applications: The business's permit applications; start one. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/permit-applications");
export const loader = route.loader;
export const action = route.action;
