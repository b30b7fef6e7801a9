import { Ajv2020 } from "ajv/dist/2020.js";
import { openApiDocument } from "#app/modules/api/openapi.ts";
import { createI18n } from "#app/modules/i18n/i18n.ts";

/**
 * The API's OpenAPI document and a JSON Schema 2020-12 validator (ajv) over
 * its component schemas, so tests can check real answers against the
 * document they are documented by.
 */

type Json = Record<string, unknown>;

export function apiDocument(lang: "en" | "ar" = "en", baseUrl = "http://localhost") {
  return openApiDocument({ t: createI18n(lang).t, baseUrl }) as unknown as Json & {
    paths: Record<string, Record<string, Json>>;
    components: Json & { schemas: Record<string, Json> };
  };
}

const ROOT = "urn:shafaf:openapi";

/** A validator for any schema of the document (its `$ref`s to components resolve). */
export function schemaValidator(document = apiDocument()) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: ROOT, components: { schemas: document.components.schemas } });
  const cache = new Map<string, ReturnType<typeof ajv.compile>>();
  return (schema: Json, value: unknown): string[] => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) {
      // Re-root the schema's local references at the document.
      const rooted = JSON.parse(key.replaceAll('"#/components/', `"${ROOT}#/components/`));
      validate = ajv.compile(rooted);
      cache.set(key, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`,
        );
  };
}

/** The schema of an operation's answer with `status`, and of its problems. */
export function responseSchema(
  document: ReturnType<typeof apiDocument>,
  path: string,
  method: string,
  status: number,
): Json | undefined {
  const operation = document.paths[path]?.[method.toLowerCase()] as Json | undefined;
  const responses = (operation?.responses ?? {}) as Record<string, Json>;
  const response = responses[String(status)] ?? responses.default;
  const content = (response?.content ?? {}) as Record<string, { schema: Json }>;
  return (content["application/json"] ?? content["application/problem+json"])?.schema;
}
