import type { TFunction } from "i18next";
import { API_SCOPES, type OrganisationKind, SCOPE_GRANTS } from "#app/modules/accounts/api-scopes.ts";
import { ERROR_CODES, type ErrorCode } from "#app/utils/errors.ts";
import { ENDPOINT_LIST, type Endpoint, examplePath, openApiPath, TAGS } from "./endpoints.ts";
import { problemCodesOf, translatedSchemas } from "./openapi.ts";

/**
 * The API page (/api) as plain data, from the same registry and the same
 * converted schemas as the OpenAPI document: endpoints by tag with their
 * parameters, body fields, answer, problems and a curl example; the scopes;
 * every error code; every named schema with its fields.
 */

type JsonSchema = Record<string, unknown>;

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

const KINDS: OrganisationKind[] = ["agency", "business", "platform"];

/** A short type for people: string, Money, Tender[], "open" | "rfq", string (date-time) | null. */
export function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return "—";
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop()!;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeOf).join(" | ");
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const type = schema.type;
  if (type === "array") return `${typeOf(schema.items as JsonSchema)}[]`;
  if (type === "object" && !schema.properties && schema.additionalProperties)
    return `{ [key]: ${typeOf(schema.additionalProperties as JsonSchema)} }`;
  if (type === "object" && schema.properties)
    return `{ ${Object.keys(schema.properties as JsonSchema).join(", ")} }`;
  if (type === "string" && typeof schema.format === "string") return `string (${schema.format})`;
  if (type === "string" && typeof schema.pattern === "string" && /^\^\\d\{1,18\}\$$/.test(schema.pattern))
    return "string (digits)";
  return typeof type === "string" ? type : "object";
}

function resolve(schema: JsonSchema | undefined, components: Record<string, JsonSchema>) {
  if (schema && typeof schema.$ref === "string") return components[schema.$ref.split("/").pop()!];
  return schema;
}

/** A field's description, or that of the value it may be (a nullable amount's, say). */
function descriptionOf(schema: JsonSchema): string {
  if (typeof schema.description === "string") return schema.description;
  for (const option of (schema.anyOf ?? []) as JsonSchema[])
    if (typeof option.description === "string") return option.description;
  return "";
}

export function fieldsOf(schema: JsonSchema | undefined): FieldRow[] {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    type: typeOf(s),
    required: required.has(name),
    description: descriptionOf(s),
  }));
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

export function curlOf(e: Endpoint, baseUrl: string, lang: string): string {
  const lines = [
    `curl${e.method === "GET" ? "" : ` -X ${e.method}`} ${shellQuote(baseUrl + examplePath(e))}`,
  ];
  if (e.auth === "token") lines.push(`-H "Authorization: Bearer $SHAFAF_TOKEN"`);
  lines.push(`-H "Accept-Language: ${lang}"`);
  if (e.body) {
    lines.push(`-H "Content-Type: application/json"`);
    lines.push(`-d ${shellQuote(JSON.stringify(e.example.body ?? {}, null, 2))}`);
  }
  return lines.join(" \\\n  ");
}

export function apiReference(options: { t: TFunction; baseUrl: string; lang: string }) {
  const { t, baseUrl, lang } = options;
  const { components, parts } = translatedSchemas(t);
  const kindNames = (kinds: readonly OrganisationKind[]) => kinds.map((k) => String(t(`apiDocs.kinds.${k}`)));
  const endpointView = (e: Endpoint) => {
    const schemas = parts.get(e)!;
    const parameters = [
      ...fieldsOf(schemas.params).map((f) => ({ ...f, in: "path", required: true })),
      ...fieldsOf(schemas.query).map((f) => ({ ...f, in: "query" })),
    ];
    const body = resolve(schemas.body, components);
    return {
      id: e.id,
      anchor: `endpoint-${e.id}`,
      method: e.method,
      path: openApiPath(e.path),
      summary: String(t(`apiDocs.endpoints.${e.id}`)),
      public: e.auth === "none",
      scopes: [...e.scopes],
      kinds: kindNames(e.audience),
      parameters,
      bodyType: schemas.body ? typeOf(schemas.body) : null,
      bodyDescription: typeof body?.description === "string" ? body.description : "",
      bodyFields: fieldsOf(body),
      status: e.status,
      responseType: e.envelope ? `{ data: ${typeOf(schemas.response)} }` : typeOf(schemas.response),
      problems: [...problemCodesOf(e)].map(([status, codes]) => ({ status, codes })),
      curl: curlOf(e, baseUrl, lang),
    };
  };
  return {
    openApiUrl: `${baseUrl}/api/v1/openapi.json`,
    scopes: API_SCOPES.map((scope) => ({
      scope,
      kinds: kindNames(KINDS.filter((k) => SCOPE_GRANTS[scope][k] !== undefined)),
      description: String(t(`apiDocs.scopes.${scope.replace(":", "_")}`)),
    })),
    groups: TAGS.map((tag) => ({
      tag,
      title: String(t(`apiDocs.tags.${tag}`)),
      endpoints: ENDPOINT_LIST.filter((e) => e.tag === tag).map(endpointView),
    })),
    errorCodes: (Object.entries(ERROR_CODES) as Array<[ErrorCode, number]>)
      .sort(([a, sa], [b, sb]) => sa - sb || a.localeCompare(b))
      .map(([code, status]) => ({
        code,
        status,
        // The message without its particulars, which each occurrence fills in.
        message: String(t(`errors.${code}`, { skipInterpolation: true })).replace(/\{\{\w+\}\}/g, "…"),
      })),
    schemas: Object.entries(components).map(([name, schema]) => ({
      name,
      description: typeof schema.description === "string" ? schema.description : "",
      fields: fieldsOf(schema),
    })),
  };
}

export type ApiReference = ReturnType<typeof apiReference>;
