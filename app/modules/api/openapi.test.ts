import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import routes from "#app/routes.ts";
import { apiDocument, schemaValidator } from "#tests/support/openapi.ts";
import { API_PATHS, ENDPOINT_LIST, openApiPath } from "./endpoints.ts";
import { problemCodesOf } from "./openapi.ts";
import { apiReference } from "./reference.ts";

type Json = Record<string, unknown>;

/** The routes registered in app/routes.ts under api/v1, with their files. */
const apiRoutes = (routes as Array<{ path?: string; file: string }>)
  .filter((r) => r.path?.startsWith("api/v1/") || r.path === "api/v1")
  .map((r) => ({ path: `/${r.path}`, file: r.file }));

describe("the registry and app/routes.ts agree", () => {
  test("every api/v1 route is a path of the registry, and every path of the registry is a route", () => {
    expect(apiRoutes.map((r) => r.path).sort()).toEqual([...API_PATHS].sort());
  });

  test("each route file serves its own path through the registry", () => {
    for (const { path, file } of apiRoutes) {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
      expect(source, file).toContain(`apiRoute("${path}")`);
    }
  });

  test("one endpoint per method and path, and operation ids are unique", () => {
    const keys = ENDPOINT_LIST.map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(ENDPOINT_LIST.map((e) => e.id)).size).toBe(ENDPOINT_LIST.length);
  });

  test("path parameters are exactly the :names in the path", () => {
    for (const e of ENDPOINT_LIST) {
      const names = [...e.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).sort();
      expect(Object.keys(e.params?.shape ?? {}).sort(), e.id).toEqual(names);
    }
  });

  test("every example on the API page is valid input for its endpoint", () => {
    for (const e of ENDPOINT_LIST) {
      if (e.params) expect(e.params.safeParse(e.example.params).success, `${e.id} params`).toBe(true);
      if (e.query) expect(e.query.safeParse(e.example.query ?? {}).success, `${e.id} query`).toBe(true);
      if (e.body) expect(e.body.safeParse(e.example.body).error?.issues, `${e.id} body`).toBeUndefined();
    }
  });

  test("every endpoint has a summary in Arabic and in English", () => {
    for (const lang of ["ar", "en"] as const) {
      const i18n = createI18n(lang);
      for (const e of ENDPOINT_LIST)
        expect(i18n.exists(`apiDocs.endpoints.${e.id}`, { fallbackLng: false }), `${lang} ${e.id}`).toBe(
          true,
        );
    }
  });
});

describe("GET /api/v1/openapi.json is a structurally valid OpenAPI 3.1 document", () => {
  const doc = apiDocument("en", "https://shafaf.example.gov");

  test("version, info, servers, tags", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: "https://shafaf.example.gov" }]);
    const declared = (doc.tags as Array<{ name: string }>).map((t) => t.name);
    for (const item of Object.values(doc.paths))
      for (const op of Object.values(item))
        for (const tag of op.tags as string[]) expect(declared).toContain(tag);
  });

  test("bearer security scheme, used by every operation but the document itself, with the scopes it needs", () => {
    const schemes = (doc.components as Json).securitySchemes as Record<string, Json>;
    expect(schemes.bearerToken).toMatchObject({ type: "http", scheme: "bearer" });
    for (const e of ENDPOINT_LIST) {
      const op = doc.paths[openApiPath(e.path)]![e.method.toLowerCase()]!;
      if (e.auth === "none") expect(op.security).toEqual([]);
      else expect(op.security).toEqual([{ bearerToken: [...e.scopes] }]);
      for (const requirement of op.security as Json[])
        for (const name of Object.keys(requirement)) expect(schemes).toHaveProperty(name);
    }
  });

  test("paths and operations are well formed", () => {
    const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
    const ids = new Set<string>();
    expect(Object.keys(doc.paths).sort()).toEqual(API_PATHS.map(openApiPath).sort());
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith("/")).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        expect(METHODS.has(method), `${method} ${path}`).toBe(true);
        expect(typeof op.operationId).toBe("string");
        expect(ids.has(op.operationId as string)).toBe(false);
        ids.add(op.operationId as string);
        const parameters = (op.parameters ?? []) as Json[];
        for (const p of parameters) {
          expect(["path", "query", "header", "cookie"]).toContain(p.in);
          expect(typeof p.name).toBe("string");
          expect(typeof p.schema).toBe("object");
          if (p.in === "path") expect(p.required).toBe(true);
        }
        expect(
          parameters
            .filter((p) => p.in === "path")
            .map((p) => p.name)
            .sort(),
        ).toEqual([...templated].sort());
        const responses = op.responses as Record<string, Json>;
        expect(Object.keys(responses).some((s) => /^2\d\d$/.test(s))).toBe(true);
        for (const [status, response] of Object.entries(responses)) {
          expect(status === "default" || /^[1-5](\d\d|XX)$/.test(status), status).toBe(true);
          expect(typeof response.description).toBe("string");
          for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Json>)) {
            expect(type).toMatch(/^application\/(problem\+)?json$/);
            expect(typeof media.schema).toBe("object");
            if (!/^2/.test(status)) expect(media.schema).toEqual({ $ref: "#/components/schemas/Problem" });
          }
        }
        if (op.requestBody) {
          const content = (op.requestBody as Json).content as Record<string, Json>;
          expect(Object.keys(content)).toEqual(["application/json"]);
        }
      }
    }
  });

  test("every $ref resolves inside the document, and the schemas are JSON Schema 2020-12 (ajv compiles them)", () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (key === "$ref" && typeof value === "string") refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
      expect(target, ref).toBeTypeOf("object");
    }
    const validate = schemaValidator(doc);
    for (const name of Object.keys(doc.components.schemas))
      expect(() => validate({ $ref: `#/components/schemas/${name}` }, null)).not.toThrow();
    for (const item of Object.values(doc.paths))
      for (const op of Object.values(item)) {
        const body = ((op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.[
          "application/json"
        ];
        if (body) expect(() => validate(body.schema as Json, {})).not.toThrow();
      }
  });

  test("the document's schemas accept the examples and refuse what zod refuses", () => {
    const validate = schemaValidator(doc);
    for (const e of ENDPOINT_LIST.filter((x) => x.body)) {
      const op = doc.paths[openApiPath(e.path)]![e.method.toLowerCase()]!;
      const schema = (((op.requestBody as Json).content as Record<string, Json>)["application/json"] as Json)
        .schema as Json;
      expect(validate(schema, e.example.body), e.id).toEqual([]);
      expect(validate(schema, { unexpected: true }).length, e.id).toBeGreaterThan(0);
    }
  });

  test("problems list the codes each endpoint may answer", () => {
    const create = ENDPOINT_LIST.find((e) => e.id === "createTender")!;
    const codes = problemCodesOf(create);
    expect(codes.get(401)).toEqual(["TOKEN_INVALID"]);
    expect(codes.get(403)).toEqual(["SCOPE_MISSING", "WRONG_ORGANISATION_KIND"]);
    expect(codes.get(429)).toEqual(["RATE_LIMITED"]);
    expect(codes.get(400)).toEqual(expect.arrayContaining(["VALIDATION", "AMOUNT_INVALID", "CPV_INVALID"]));
    const op = doc.paths["/api/v1/tenders"]!.post!;
    expect(Object.keys(op.responses as Json)).toEqual([
      "201",
      "400",
      "401",
      "403",
      "413",
      "415",
      "429",
      "default",
    ]);
  });

  test("the Arabic document has the same shape, in Arabic", () => {
    const ar = apiDocument("ar", "https://shafaf.example.gov");
    expect(Object.keys(ar.paths)).toEqual(Object.keys(doc.paths));
    const withoutTexts = (node: unknown) =>
      JSON.parse(JSON.stringify(node, (key, value) => (key === "description" ? undefined : value)));
    expect(withoutTexts(ar.components.schemas)).toEqual(withoutTexts(doc.components.schemas));
    expect(ar.components.schemas.Money!.description).toMatch(/[\u0600-\u06FF]/);
    expect(JSON.stringify(ar)).not.toContain("apiDocs.");
    expect(JSON.stringify(doc)).not.toContain("apiDocs.");
    expect(ar.paths["/api/v1/tenders"]!.post!.summary as string).toMatch(/[\u0600-\u06FF]/);
  });
});

describe("the API page's data", () => {
  test("every endpoint, with a curl example that names its method, path and token", () => {
    const page = apiReference({ t: createI18n("en").t, baseUrl: "https://shafaf.example.gov", lang: "en" });
    const endpoints = page.groups.flatMap((g) => g.endpoints);
    expect(endpoints.map((e) => e.id).sort()).toEqual(ENDPOINT_LIST.map((e) => e.id).sort());
    const create = endpoints.find((e) => e.id === "createTender")!;
    expect(create.curl).toContain("curl -X POST 'https://shafaf.example.gov/api/v1/tenders'");
    expect(create.curl).toContain('-H "Authorization: Bearer $SHAFAF_TOKEN"');
    expect(create.curl).toContain('"titleEn": "Supply of laptop computers"');
    expect(create.bodyFields.find((f) => f.name === "titleEn")).toMatchObject({
      type: "string",
      required: true,
    });
    const openapi = endpoints.find((e) => e.id === "openapi")!;
    expect(openapi.curl).not.toContain("Authorization");
    expect(page.errorCodes.find((c) => c.code === "RATE_LIMITED")).toMatchObject({
      status: 429,
      message: "Too many requests with this token: at most … a minute. Try again in … seconds.",
    });
  });
});
