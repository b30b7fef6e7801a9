import type { TFunction } from "i18next";
import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "#app/utils/errors.ts";
import { ENDPOINT_LIST, type Endpoint, openApiPath, TAGS } from "./endpoints.ts";
import { COMPONENTS } from "./schemas.ts";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the registry
 * (endpoints.ts) and its zod schemas with `z.toJSONSchema` (JSON Schema
 * 2020-12, OpenAPI 3.1's own dialect): the schemas are converted once per
 * process; the texts are put in per request, in the caller's language.
 */

type JsonSchema = Record<string, unknown>;

export interface Converted {
  components: Record<string, JsonSchema>;
  /** The converted schemas of each endpoint's parts. */
  parts: Map<Endpoint, { params?: JsonSchema; query?: JsonSchema; body?: JsonSchema; response: JsonSchema }>;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

let converted: Converted | undefined;

/** Convert every schema: components by name, the rest inlined with references to the components. */
export function convertedSchemas(): Converted {
  if (converted) return converted;
  const run = (
    io: "input" | "output",
    parts: Array<[Endpoint, "params" | "query" | "body" | "response"]>,
  ) => {
    const registry = z.registry<{ id: string }>();
    const ids = new Map<z.ZodType, string>();
    for (const { name, schema } of COMPONENTS) {
      registry.add(schema, { id: name });
      ids.set(schema, name);
    }
    for (const [e, part] of parts) {
      const schema = e[part] as z.ZodType;
      if (!ids.has(schema)) {
        const id = `${e.id}.${part}`;
        registry.add(schema, { id });
        ids.set(schema, id);
      }
    }
    const { schemas } = z.toJSONSchema(registry, {
      io,
      target: "draft-2020-12",
      unrepresentable: "throw",
      uri: (id) => `#/components/schemas/${id}`,
    });
    return { schemas: schemas as Record<string, JsonSchema>, ids };
  };
  const inputs: Array<[Endpoint, "params" | "query" | "body"]> = [];
  const outputs: Array<[Endpoint, "response"]> = [];
  for (const e of ENDPOINT_LIST) {
    for (const part of ["params", "query", "body"] as const) if (e[part]) inputs.push([e, part]);
    outputs.push([e, "response"]);
  }
  const input = run("input", inputs);
  const output = run("output", outputs);
  const components: Record<string, JsonSchema> = {};
  for (const { name } of COMPONENTS) {
    // Request shapes as they are sent, answer shapes as they are answered.
    const from = name.endsWith("Input") ? input : output;
    components[name] = clean(from.schemas[name]!);
  }
  const named = new Set(COMPONENTS.map((c) => c.name));
  const pick = (from: typeof input, schema: z.ZodType): JsonSchema => {
    const id = from.ids.get(schema)!;
    return named.has(id) ? ref(id) : clean(from.schemas[id]!);
  };
  const parts: Converted["parts"] = new Map();
  for (const e of ENDPOINT_LIST)
    parts.set(e, {
      ...(e.params ? { params: pick(input, e.params) } : {}),
      ...(e.query ? { query: pick(input, e.query) } : {}),
      ...(e.body ? { body: pick(input, e.body) } : {}),
      response: pick(output, e.response),
    });
  converted = { components, parts };
  return converted;
}

/** Descriptions are locale keys (apiDocs.fields.*) in the schemas: told in the reader's language. */
function translate<T>(node: T, t: TFunction): T {
  if (Array.isArray(node)) return node.map((n) => translate(n, t)) as T;
  if (node && typeof node === "object")
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === "description" && typeof value === "string" && value.startsWith("apiDocs.")
          ? String(t(value))
          : translate(value, t),
      ]),
    ) as T;
  return node;
}

/** The converted schemas with their descriptions in the reader's language. */
export function translatedSchemas(t: TFunction): Converted {
  const { components, parts } = convertedSchemas();
  return {
    components: translate(components, t),
    parts: new Map([...parts].map(([e, part]) => [e, translate(part, t)])),
  };
}

/** The problem codes an endpoint may answer, by status. */
export function problemCodesOf(e: Endpoint): Map<number, ErrorCode[]> {
  const codes: ErrorCode[] = [];
  if (e.auth === "token")
    codes.push("TOKEN_INVALID", "SCOPE_MISSING", "WRONG_ORGANISATION_KIND", "RATE_LIMITED");
  if (e.params) codes.push("NOT_FOUND");
  if (e.query || e.body) codes.push("VALIDATION");
  if (e.body) codes.push("UNSUPPORTED_MEDIA_TYPE", "BODY_TOO_LARGE");
  codes.push(...e.errors);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function parametersOf(schema: JsonSchema | undefined, where: "path" | "query") {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: s,
  }));
}

const RATE_HEADERS = {
  "RateLimit-Limit": { $ref: "#/components/headers/RateLimit-Limit" },
  "RateLimit-Remaining": { $ref: "#/components/headers/RateLimit-Remaining" },
  "RateLimit-Reset": { $ref: "#/components/headers/RateLimit-Reset" },
};

export function openApiDocument(options: { t: TFunction; baseUrl: string }) {
  const { t, baseUrl } = options;
  const { components, parts } = translatedSchemas(t);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINT_LIST) {
    const schemas = parts.get(e)!;
    const success = e.envelope
      ? { type: "object", properties: { data: schemas.response }, required: ["data"] }
      : schemas.response;
    const responses: Record<string, unknown> = {
      [String(e.status)]: {
        description: String(t("apiDocs.success")),
        ...(e.auth === "token" ? { headers: RATE_HEADERS } : {}),
        content: { "application/json": { schema: success } },
      },
    };
    for (const [status, codes] of problemCodesOf(e))
      responses[String(status)] = {
        description: codes.join(", "),
        ...(status === 429
          ? { headers: { "Retry-After": { $ref: "#/components/headers/Retry-After" }, ...RATE_HEADERS } }
          : status === 401
            ? { headers: { "WWW-Authenticate": { schema: { type: "string" } } } }
            : {}),
        content: { "application/problem+json": { schema: ref("Problem") } },
      };
    responses.default = {
      description: String(t("apiDocs.status.500")),
      content: { "application/problem+json": { schema: ref("Problem") } },
    };
    const parameters = [...parametersOf(schemas.params, "path"), ...parametersOf(schemas.query, "query")];
    const path = openApiPath(e.path);
    paths[path] ??= {};
    paths[path][e.method.toLowerCase()] = {
      operationId: e.id,
      summary: String(t(`apiDocs.endpoints.${e.id}`)),
      description: e.auth === "token" ? describeAccess(e, t) : String(t("apiDocs.public")),
      tags: [e.tag],
      // OpenAPI 3.1 lets a bearer requirement list the roles it needs: here, the token's scopes.
      security: e.auth === "token" ? [{ bearerToken: [...e.scopes] }] : [],
      "x-organisation-kinds": [...e.audience],
      ...(parameters.length ? { parameters } : {}),
      ...(schemas.body
        ? { requestBody: { required: true, content: { "application/json": { schema: schemas.body } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: String(t("apiDocs.documentTitle")),
      version: "1.0.0",
      description: String(t("apiDocs.lead")),
    },
    servers: [{ url: baseUrl }],
    tags: TAGS.map((tag) => ({ name: tag, description: String(t(`apiDocs.tags.${tag}`)) })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description: String(t("apiDocs.authentication")),
        },
      },
      headers: {
        "RateLimit-Limit": {
          description: String(t("apiDocs.headers.limit")),
          schema: { type: "integer" },
        },
        "RateLimit-Remaining": {
          description: String(t("apiDocs.headers.remaining")),
          schema: { type: "integer" },
        },
        "RateLimit-Reset": {
          description: String(t("apiDocs.headers.reset")),
          schema: { type: "integer" },
        },
        "Retry-After": { description: String(t("apiDocs.headers.retryAfter")), schema: { type: "integer" } },
      },
    },
  };
}

function describeAccess(e: Endpoint, t: TFunction): string {
  return String(
    t("apiDocs.access", {
      scopes: e.scopes.join(", ") || "—",
      kinds: e.audience.map((k) => t(`apiDocs.kinds.${k}`)).join(", "),
    }),
  );
}
