import { apiRoute } from "#app/utils/api.server.ts";

/** /api/v1/permit-applications/:applicationId/submit: Submit a draft application. What each method takes and answers: app/modules/api/endpoints.ts. */
const route = apiRoute("/api/v1/permit-applications/:applicationId/submit");
export const loader = route.loader;
export const action = route.action;
