import type { TFunction } from "i18next";
import type { Env } from "#app/utils/env.server.ts";
import { publicBaseUrl } from "#app/utils/http.server.ts";
import type { OcdsContext } from "./tender-releases.ts";

/** How the open-data routes answer: public, cacheable for a minute, readable from any origin. */
export const OPEN_DATA_HEADERS = {
  "Cache-Control": "public, max-age=60",
  "Access-Control-Allow-Origin": "*",
} as const;

/** The OCDS context of a request: our prefix and the public base of our URLs. */
export function ocdsContextOf(request: Request, env: Pick<Env, "OCDS_PREFIX" | "PUBLIC_URL">): OcdsContext {
  return { prefix: env.OCDS_PREFIX, baseUrl: publicBaseUrl(request, env.PUBLIC_URL) };
}

export function ocdsJson(body: unknown): Response {
  return Response.json(body, { headers: OPEN_DATA_HEADERS });
}

/** An RFC 9457 problem: 400 for a bad query parameter, 404 for an unknown ocid. Never cached. */
export function ocdsProblem(
  t: TFunction,
  problem: { status: 400; parameter: "limit" | "cursor" } | { status: 404 },
): Response {
  const body =
    problem.status === 400
      ? {
          type: "about:blank",
          title: t("errors.VALIDATION"),
          status: 400,
          code: "VALIDATION",
          parameter: problem.parameter,
          detail: t(problem.parameter === "limit" ? "ocdsApi.badLimit" : "ocdsApi.badCursor"),
        }
      : {
          type: "about:blank",
          title: t("errors.NOT_FOUND"),
          status: 404,
          code: "NOT_FOUND",
          detail: t("ocdsApi.unknownOcid"),
        };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: {
      "Content-Type": "application/problem+json; charset=utf-8",
      "Cache-Control": "no-store",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
