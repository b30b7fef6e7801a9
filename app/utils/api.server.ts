import type { RouterContextProvider } from "react-router";
import { z } from "zod";
import type { Integration } from "#app/modules/accounts/actor.ts";
import { assertScope, authenticateApiToken } from "#app/modules/accounts/api-tokens.server.ts";
import { type Endpoint, endpointsAt } from "#app/modules/api/endpoints.ts";
import { type ApiContext, HANDLERS, InputProblems } from "#app/modules/api/handlers.server.ts";
import {
  issueEntries,
  PROBLEM_CONTENT_TYPE,
  type ProblemEntry,
  problemOf,
} from "#app/modules/api/problems.ts";
import { countApiRequest } from "#app/modules/api/rate-limit.server.ts";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { requestContext, servicesContext } from "#app/server/context.ts";
import { AppError, isAppError } from "./errors.ts";
import { clientIp, publicBaseUrl } from "./http.server.ts";

/**
 * The HTTP side of /api/v1 (docs/api.md). A route file names its path
 * (`apiRoute("/api/v1/tenders/:tenderId")`); the registry
 * (app/modules/api/endpoints.ts) says what each method there takes and
 * answers. For every request, in this order: the method (405), the bearer
 * token (401), the token's rate limit (429), the kind of organisation (403)
 * and the scopes (403), the path parameters (404), the query and the JSON
 * body (415, 413, 400), then the handler; its answer is checked against the
 * response schema before it is sent. Every error is an RFC 9457 problem in
 * the caller's language; anything unexpected is a 500 problem, never a page.
 */

/** Largest JSON body read. */
export const API_BODY_MAX_BYTES = 1_000_000;

type Args = {
  request: Request;
  params: Record<string, string | undefined>;
  context: Readonly<RouterContextProvider>;
};

export function apiRoute(path: string) {
  const endpoints = endpointsAt(path);
  if (endpoints.length === 0) throw new Error(`no /api/v1 endpoint is registered at ${path}`);
  const serve = (args: Args) => serveApi(endpoints, args);
  return { loader: serve, action: serve };
}

class Refusal extends Error {
  constructor(
    readonly error: AppError,
    readonly entries: ProblemEntry[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(error.code);
  }
}

async function serveApi(endpoints: Endpoint[], { request, params, context }: Args): Promise<Response> {
  const { t, lang } = context.get(i18nContext);
  const services = context.get(servicesContext);
  const { env, database } = services;
  const db = database.db;
  const url = new URL(request.url);
  const baseUrl = publicBaseUrl(request, env.PUBLIC_URL);
  const headers = new Headers({ "Cache-Control": "no-store" });
  const problem = (error: AppError, entries: ProblemEntry[] = []) => {
    if (error.status === 401) headers.set("WWW-Authenticate", 'Bearer realm="shafaf"');
    headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
    const body = problemOf(error, { t, baseUrl, instance: url.pathname, errors: entries });
    return new Response(JSON.stringify(body), { status: error.status, headers });
  };

  const method = request.method === "HEAD" ? "GET" : request.method;
  const endpoint = endpoints.find((e) => e.method === method);
  if (!endpoint) {
    headers.set("Allow", endpoints.map((e) => e.method).join(", "));
    return problem(new AppError("METHOD_NOT_ALLOWED"));
  }

  try {
    let integration: Integration | null = null;
    if (endpoint.auth === "token") {
      integration = await authenticateApiToken(request.headers.get("authorization"), db);
      const rate = await countApiRequest(integration.tokenId, env.API_RATE_LIMIT_PER_MINUTE, db);
      headers.set("RateLimit-Limit", String(rate.limit));
      headers.set("RateLimit-Remaining", String(rate.remaining));
      headers.set("RateLimit-Reset", String(rate.resetSeconds));
      if (!rate.allowed) {
        headers.set("Retry-After", String(rate.resetSeconds));
        throw new AppError("RATE_LIMITED", { limit: rate.limit, seconds: rate.resetSeconds });
      }
      if (!endpoint.audience.includes(integration.organisationKind))
        throw new AppError("WRONG_ORGANISATION_KIND");
      for (const scope of endpoint.scopes) assertScope(integration, scope);
    }

    const input = {
      params: endpoint.params ? parsePart(endpoint.params, params, "path", t) : {},
      query: parsePart(endpoint.query ?? z.strictObject({}), queryObject(url), "query", t),
      body: endpoint.body ? parsePart(endpoint.body, await readJson(request, t), "body", t) : undefined,
    };
    const ctx: ApiContext = {
      integration,
      db,
      env,
      ip: clientIp(request),
      lang,
      t,
      baseUrl,
      keys: () => sealingKeys(env),
    };
    const handler = HANDLERS[endpoint.id] as unknown as {
      run(input: unknown, ctx: ApiContext): Promise<unknown>;
      pointer?(field: string, input: unknown): string | null;
    };
    let result: unknown;
    try {
      result = await handler.run(input, ctx);
    } catch (e) {
      if (e instanceof InputProblems) throw new Refusal(e.error, e.entries);
      if (isAppError(e) && e.field) {
        const pointer = handler.pointer?.(e.field, input) ?? defaultPointer(endpoint, e.field);
        throw new Refusal(e, pointer ? [{ detail: String(t(e.messageKey, e.params)), pointer }] : []);
      }
      throw e;
    }
    const checked = endpoint.response.safeParse(result);
    if (!checked.success) {
      logOf(context)?.error(
        { endpoint: endpoint.id, issues: checked.error.issues.slice(0, 5) },
        "API answer does not match its schema",
      );
      return problem(new AppError("INTERNAL"));
    }
    headers.set("Content-Type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(endpoint.envelope ? { data: checked.data } : checked.data), {
      status: endpoint.status,
      headers,
    });
  } catch (e) {
    if (e instanceof Refusal) return problem(e.error, e.entries);
    if (isAppError(e)) return problem(e);
    logOf(context)?.error({ err: e, endpoint: endpoint.id }, "API request failed");
    if (!logOf(context)) console.error(e);
    return problem(new AppError("INTERNAL"));
  }
}

function logOf(context: Readonly<RouterContextProvider>) {
  try {
    return context.get(requestContext).log;
  } catch {
    return undefined; // called outside the server (tests)
  }
}

/** A module's field that is also a key of the body. */
function defaultPointer(endpoint: Endpoint, field: string): string | null {
  const body = endpoint.body;
  return body instanceof z.ZodObject && field in body.shape ? `#/${field}` : null;
}

function parsePart(
  schema: z.ZodType,
  value: unknown,
  where: "body" | "query" | "path",
  t: ApiContext["t"],
): unknown {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const entries = issueEntries(result.error.issues, where, t);
  // A malformed id in the path names nothing that exists.
  throw new Refusal(new AppError(where === "path" ? "NOT_FOUND" : "VALIDATION"), entries);
}

/** The query string as an object; a parameter given twice becomes a list (and fails a scalar's schema). */
function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

async function readJson(request: Request, t: ApiContext["t"]): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type))
    throw new AppError("UNSUPPORTED_MEDIA_TYPE");
  const declared = Number(request.headers.get("content-length") ?? "0");
  const limit = { limit: `${API_BODY_MAX_BYTES / 1_000_000} MB` };
  if (declared > API_BODY_MAX_BYTES) throw new AppError("BODY_TOO_LARGE", limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > API_BODY_MAX_BYTES) {
        await reader.cancel();
        throw new AppError("BODY_TOO_LARGE", limit);
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal(new AppError("VALIDATION"), [
      { detail: String(t("apiDocs.validation.json")), pointer: "#" },
    ]);
  }
}
