import { generateKeyPairSync, randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { RouterContextProvider } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { createApiToken, revokeApiToken } from "#app/modules/accounts/api-tokens.server.ts";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { detectLanguage } from "#app/modules/i18n/detect-language.server.ts";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import { requestInformation } from "#app/modules/permits/review-application.server.ts";
import routes from "#app/routes.ts";
import { type AppServices, servicesContext } from "#app/server/context.ts";
import { type Env, parseEnv } from "#app/utils/env.server.ts";
import type { Organisation, PermitType, Tender, TenderLot } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createPermitType } from "#tests/factories/permits.ts";
import {
  type AgencyStaff,
  agencyWithStaff,
  bidderBusiness,
  publishedTender,
  type UserActor,
} from "#tests/factories/tenders.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { apiDocument, responseSchema, schemaValidator } from "#tests/support/openapi.ts";

/**
 * /api/v1 through its route modules, as the server calls them: every
 * registered api/v1 route of app/routes.ts, a real database, tokens made by
 * the tokens module. Every answer is also checked against the OpenAPI
 * document's schema for its path, method and status.
 */

const database = testDatabase();
const { db } = database;

function envWith(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: "test",
    DATA_DIR: path.join(os.tmpdir(), `shafaf-api-test-${process.pid}`),
    BID_MASTER_KEY: randomBytes(32).toString("base64"),
    PLATFORM_SIGNING_KEY: generateKeyPairSync("ed25519")
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString(),
    API_RATE_LIMIT_PER_MINUTE: "100000",
    ...overrides,
  });
}
const ENV = envWith();

type RouteModule = {
  loader: (args: unknown) => Promise<Response>;
  action: (args: unknown) => Promise<Response>;
};
const modules = import.meta.glob<RouteModule>("../../app/routes/api.v1.*.ts");
const apiRoutes = (routes as Array<{ path?: string; file: string }>)
  .filter((r) => r.path?.startsWith("api/v1/"))
  .map((r) => {
    const names: string[] = [];
    const pattern = new RegExp(
      `^/${r.path!.replace(/\./g, "\\.").replace(/:([A-Za-z]+)/g, (_, n: string) => {
        names.push(n);
        return "([^/]*)";
      })}$`,
    );
    return { template: `/${r.path}`, pattern, names, load: modules[`../../app/${r.file}`]! };
  });

const document = apiDocument("en", "http://localhost");
const validate = schemaValidator(document);

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; their shape is checked against the document.
  json: Record<string, any>;
}

async function call(
  method: string,
  url: string,
  options: {
    token?: string | null;
    body?: unknown;
    rawBody?: string;
    contentType?: string;
    lang?: string;
    env?: Env;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const { pathname } = new URL(url, "http://localhost");
  const route = apiRoutes.find((r) => r.pattern.test(pathname));
  if (!route) throw new Error(`no api/v1 route answers ${pathname}`);
  const match = pathname.match(route.pattern)!;
  const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
  const headers: Record<string, string> = { "Accept-Language": options.lang ?? "en", ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["Content-Type"] = options.contentType ?? "application/json";
  const request = new Request(new URL(url, "http://localhost"), { method, headers, body });
  const context = new RouterContextProvider();
  context.set(servicesContext, { database, env: options.env ?? ENV } as unknown as AppServices);
  const lang = await detectLanguage(request);
  context.set(i18nContext, { lang, t: createI18n(lang).t });
  const module = await route.load();
  const handle = method === "GET" || method === "HEAD" ? module.loader : module.action;
  const response = await handle({ request, params, context });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  // What was answered is what the document says is answered.
  const schema = responseSchema(
    document,
    route.template.replace(/:([A-Za-z]+)/g, "{$1}"),
    method,
    response.status,
  );
  if (schema) expect(validate(schema, json), `${method} ${url} → ${response.status}`).toEqual([]);
  if (response.status >= 400) {
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(json).toMatchObject({ status: response.status, instance: pathname, code: expect.any(String) });
    expect(json.type).toBe(`http://localhost/api#error-${json.code}`);
  }
  return { status: response.status, headers: response.headers, json };
}

async function tokenFor(actor: Actor, scopes: string[]): Promise<string> {
  return (await createApiToken({ actor, name: `test ${scopes.join(" ")}`, scopes, ip: null }, db)).token;
}

const AGENCY_SCOPES = [
  "organisation:read",
  "members:read",
  "tenders:read",
  "tenders:write",
  "tenders:publish",
  "payments:read",
];
const BUSINESS_SCOPES = [
  "organisation:read",
  "members:read",
  "bids:read",
  "bids:submit",
  "permits:read",
  "permits:write",
  "payments:read",
];

let staff: AgencyStaff;
let otherAgency: Organisation;
let agencyToken: string;
let agencyReadOnly: string;
let otherAgencyToken: string;
let businessA: { business: Organisation; actor: UserActor; token: string; narrow: string };
let businessB: { business: Organisation; actor: UserActor; token: string };
let tender: Tender;
let lots: TenderLot[];
let permitType: PermitType;
let licensingOfficer: UserActor;

async function adminOf(agency: Organisation): Promise<UserActor> {
  const user = await createUser(db, {
    memberships: [{ organisationId: agency.id, roles: ["agency_admin"] }],
  });
  return actorOf(user, { organisationId: agency.id, kind: "agency", roles: ["agency_admin"] });
}

beforeAll(async () => {
  staff = await agencyWithStaff(db, { evaluators: 0, approvers: 0 });
  const admin = await adminOf(staff.agency);
  agencyToken = await tokenFor(admin, AGENCY_SCOPES);
  agencyReadOnly = await tokenFor(admin, ["tenders:read"]);
  otherAgency = await createOrganisation(db, agencyData());
  otherAgencyToken = await tokenFor(await adminOf(otherAgency), AGENCY_SCOPES);
  const a = await bidderBusiness(db);
  businessA = {
    ...a,
    token: await tokenFor(a.actor, BUSINESS_SCOPES),
    narrow: await tokenFor(a.actor, ["organisation:read"]),
  };
  const b = await bidderBusiness(db);
  businessB = { ...b, token: await tokenFor(b.actor, BUSINESS_SCOPES) };
  ({ tender, lots } = await publishedTender(db, await sealingKeys(ENV), staff, { lots: 2 }));
  permitType = await createPermitType(db, staff.agency.id, {
    requireVerified: false,
    fields: [
      {
        key: "tradeName",
        type: "text",
        labelAr: "الاسم التجاري",
        labelEn: "Trade name",
        required: true,
        max: 100,
      },
      {
        key: "employees",
        type: "number",
        labelAr: "عدد العاملين",
        labelEn: "Employees",
        required: false,
        min: 1,
        max: 1000,
      },
    ],
  });
  licensingOfficer = actorOf(
    await createUser(db, {
      memberships: [{ organisationId: staff.agency.id, roles: ["licensing_officer"] }],
    }),
    { organisationId: staff.agency.id, kind: "agency", roles: ["licensing_officer"] },
  );
}, 120_000);

describe("the document and the page", () => {
  test("GET /api/v1/openapi.json needs no token and is the OpenAPI 3.1 document", async () => {
    const answer = await call("GET", "/api/v1/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(answer.json.openapi).toBe("3.1.0");
    expect(Object.keys(answer.json.paths)).toContain("/api/v1/tenders/{tenderId}/publish");
    expect(answer.json.servers).toEqual([{ url: "http://localhost" }]);
  });
});

describe("who may call", () => {
  test("no token, a malformed, an unknown or a revoked one: 401 with WWW-Authenticate", async () => {
    const revoked = await (async () => {
      const { token, id } = await createApiToken(
        { actor: businessA.actor, name: "old", scopes: ["organisation:read"], ip: null },
        db,
      );
      await revokeApiToken({ actor: businessA.actor, tokenId: id, ip: null }, db);
      return token;
    })();
    for (const token of [null, "nonsense", `shf_${"a".repeat(40)}`, revoked]) {
      const answer = await call("GET", "/api/v1/organisation", { token });
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="shafaf"');
      expect(answer.json).toMatchObject({ code: "TOKEN_INVALID", title: "Unauthorised" });
    }
  });

  test("the problem is told in the caller's language", async () => {
    const answer = await call("GET", "/api/v1/organisation", { token: null, lang: "ar" });
    expect(answer.json.title).toBe("غير مصرّح");
    expect(answer.json.detail).toMatch(/[\u0600-\u06FF]/);
  });

  test("a token without the scope: 403 SCOPE_MISSING naming it", async () => {
    const answer = await call("GET", "/api/v1/bids", { token: businessA.narrow });
    expect(answer.status).toBe(403);
    expect(answer.json.code).toBe("SCOPE_MISSING");
    expect(answer.json.detail).toContain("bids:read");
    const write = await call("POST", "/api/v1/tenders", { token: agencyReadOnly, body: {} });
    expect(write.json.code).toBe("SCOPE_MISSING");
  });

  test("an agency's token cannot touch business endpoints, nor a business's agency ones", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/bids"],
      ["GET", `/api/v1/bids/${tender.id}`],
      ["POST", `/api/v1/bids/${tender.id}`],
      ["GET", "/api/v1/permits"],
      ["POST", "/api/v1/permit-applications"],
      ["GET", "/api/v1/billing"],
    ] as const) {
      const answer = await call(method, url, {
        token: agencyToken,
        body: method === "POST" ? {} : undefined,
      });
      expect(answer.status, `${method} ${url}`).toBe(403);
      expect(answer.json.code).toBe("WRONG_ORGANISATION_KIND");
    }
    for (const [method, url] of [
      ["GET", "/api/v1/tenders"],
      ["POST", "/api/v1/tenders"],
      ["GET", `/api/v1/tenders/${tender.id}`],
      ["POST", `/api/v1/tenders/${tender.id}/publish`],
      ["GET", "/api/v1/finance"],
    ] as const) {
      const answer = await call(method, url, {
        token: businessA.token,
        body: method === "POST" ? {} : undefined,
      });
      expect(answer.status, `${method} ${url}`).toBe(403);
      expect(answer.json.code).toBe("WRONG_ORGANISATION_KIND");
    }
  });

  test("a token stops working when its maker leaves the organisation", async () => {
    const owner = await bidderBusiness(db);
    const token = await tokenFor(owner.actor, ["organisation:read"]);
    expect((await call("GET", "/api/v1/organisation", { token })).status).toBe(200);
    await database.sql`delete from memberships where user_id = ${owner.actor.userId}`;
    expect((await call("GET", "/api/v1/organisation", { token })).json.code).toBe("TOKEN_INVALID");
  });

  test("the organisation and its members: its own only", async () => {
    const org = await call("GET", "/api/v1/organisation", { token: businessA.token });
    expect(org.json.data).toMatchObject({ id: businessA.business.id, kind: "business" });
    const members = await call("GET", "/api/v1/members", { token: businessA.token });
    expect(members.json.data.map((m: { email: string }) => m.email)).toEqual([businessA.actor.email]);
  });
});

describe("HTTP details", () => {
  test("a method the path does not answer: 405 with Allow", async () => {
    const answer = await call("DELETE", "/api/v1/tenders", { token: agencyToken });
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("GET, POST");
    expect(answer.json.code).toBe("METHOD_NOT_ALLOWED");
  });

  test("a body that is not JSON: 415; malformed JSON: 400; too large: 413", async () => {
    const form = await call("POST", "/api/v1/tenders", {
      token: agencyToken,
      rawBody: "titleEn=x",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
    const broken = await call("POST", "/api/v1/tenders", { token: agencyToken, rawBody: '{"titleEn":' });
    expect(broken.status).toBe(400);
    expect(broken.json.errors).toEqual([{ pointer: "#", detail: "The body is not valid JSON." }]);
    const huge = await call("POST", "/api/v1/tenders", {
      token: agencyToken,
      rawBody: JSON.stringify({ titleAr: "x".repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.json.code).toBe("BODY_TOO_LARGE");
  });

  test("a malformed id in the path is not found; a repeated or unknown query parameter is a 400", async () => {
    const bad = await call("GET", "/api/v1/tenders/not-an-id", { token: agencyToken });
    expect(bad.status).toBe(404);
    expect(bad.json.errors[0]).toMatchObject({ parameter: "tenderId" });
    const twice = await call("GET", "/api/v1/tenders?status=draft&status=published", { token: agencyToken });
    expect(twice.status).toBe(400);
    expect(twice.json.errors[0]).toMatchObject({ parameter: "status" });
    const unknown = await call("GET", "/api/v1/tenders?colour=red", { token: agencyToken });
    expect(unknown.json.errors).toEqual([{ parameter: "colour", detail: "colour is not expected here." }]);
    const wrong = await call("GET", "/api/v1/tenders?status=closed", { token: agencyToken });
    expect(wrong.json.errors[0].detail).toContain("draft, awaiting_approval, published, opened, cancelled");
  });
});

describe("an agency's tenders", () => {
  const basics = {
    titleAr: "توريد أجهزة حاسوب",
    titleEn: "Supply of computers",
    method: "open",
    category: "goods",
    cpvCodes: ["30213100-6"],
    estimatedValue: "45000000",
    documentFee: "5000",
  };

  test("a draft is made, completed and published through the API, and read back", async () => {
    const created = await call("POST", "/api/v1/tenders", { token: agencyToken, body: basics });
    expect(created.status).toBe(201);
    const draft = created.json.data;
    expect(draft).toMatchObject({
      status: "draft",
      title: { ar: basics.titleAr, en: basics.titleEn },
      estimatedValue: { amount: "45000000", currency: staff.agency.currency },
      documentFee: { amount: "5000", currency: staff.agency.currency },
      requireVerified: true,
      lots: [],
    });
    const lot = await call("POST", `/api/v1/tenders/${draft.id}/lots`, {
      token: agencyToken,
      body: { titleAr: "أجهزة", titleEn: "Computers", estimatedValue: "30000000" },
    });
    expect(lot.status).toBe(201);
    expect(lot.json.data).toMatchObject({ number: 1, estimatedValue: { amount: "30000000" } });
    const item = await call("POST", `/api/v1/tenders/${draft.id}/lots/${lot.json.data.id}/items`, {
      token: agencyToken,
      body: { descriptionAr: "حاسوب محمول", descriptionEn: "Laptop", quantity: "150", unit: "H87" },
    });
    expect(item.status).toBe(201);
    for (const c of [
      { nameAr: "الخبرة", nameEn: "Experience", kind: "technical", weight: 40 },
      { nameAr: "السعر", nameEn: "Price", kind: "financial", weight: 60 },
    ]) {
      const answer = await call("POST", `/api/v1/tenders/${draft.id}/criteria`, {
        token: agencyToken,
        body: c,
      });
      expect(answer.status).toBe(201);
    }
    const early = await call("POST", `/api/v1/tenders/${draft.id}/publish`, { token: agencyToken });
    expect(early.status).toBe(400);
    expect(early.json.code).toBe("SCHEDULE_INVALID");

    const minute = (hours: number) => {
      const d = new Date(Date.now() + hours * 3600_000);
      d.setUTCSeconds(0, 0);
      return d.toISOString();
    };
    const scheduled = await call("PUT", `/api/v1/tenders/${draft.id}`, {
      token: agencyToken,
      body: { ...basics, enquiryDeadline: minute(24), submissionDeadline: minute(48), openingAt: minute(49) },
    });
    expect(scheduled.status).toBe(200);
    expect(scheduled.json.data.submissionDeadline).toBe(minute(48));
    expect(scheduled.json.data.lots[0].items[0]).toMatchObject({ quantity: "150.000", unit: "H87" });

    const published = await call("POST", `/api/v1/tenders/${draft.id}/publish`, { token: agencyToken });
    expect(published.status).toBe(200);
    expect(published.json.data).toMatchObject({ status: "published", publishedAt: expect.any(String) });
    expect(published.json.data.criteria.map((c: { key: string }) => c.key)).toEqual(["c1", "c2"]);

    const again = await call("PUT", `/api/v1/tenders/${draft.id}`, { token: agencyToken, body: basics });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("TENDER_NOT_DRAFT");

    const listed = await call("GET", "/api/v1/tenders?status=published", { token: agencyReadOnly });
    expect(listed.json.data.map((t: { id: string }) => t.id)).toEqual(
      expect.arrayContaining([draft.id, tender.id]),
    );
    expect(listed.json.data.every((t: { status: string }) => t.status === "published")).toBe(true);
    const read = await call("GET", `/api/v1/tenders/${draft.id}`, { token: agencyReadOnly });
    expect(read.json.data.lots).toHaveLength(1);
  });

  test("another agency's tender is not found, and its list does not show ours", async () => {
    expect((await call("GET", `/api/v1/tenders/${tender.id}`, { token: otherAgencyToken })).status).toBe(404);
    const publish = await call("POST", `/api/v1/tenders/${tender.id}/publish`, { token: otherAgencyToken });
    expect(publish.status).toBe(404);
    const list = await call("GET", "/api/v1/tenders", { token: otherAgencyToken });
    expect(list.json.data).toEqual([]);
  });

  test("bad input names each field: zod's checks and the module's", async () => {
    const answer = await call("POST", "/api/v1/tenders", {
      token: agencyToken,
      body: {
        titleAr: "ab",
        method: "auction",
        category: "goods",
        colour: "red",
        estimatedValue: "12.5",
        submissionDeadline: "2030-01-01T10:00:30Z",
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe("VALIDATION");
    const byPointer = Object.fromEntries(
      answer.json.errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]),
    );
    expect(byPointer).toEqual({
      "#/titleAr": "titleAr must have at least 3 characters.",
      "#/titleEn": "titleEn is required.",
      "#/method": "method must be one of: open, restricted, rfq.",
      "#/estimatedValue": "estimatedValue is not in the expected format (pattern).",
      "#/submissionDeadline": "submissionDeadline must be on a whole minute (no seconds).",
      "#/colour": "colour is not expected here.",
    });
    const lotProblem = await call("POST", `/api/v1/tenders/${tender.id}/lots`, {
      token: agencyToken,
      body: { titleAr: "أجهزة", titleEn: "Computers" },
    });
    expect(lotProblem.json.code).toBe("TENDER_NOT_DRAFT");
  });
});

describe("a business's bids", () => {
  const responses = { c1: "Certificate no. 7", c2: "Twelve years", c3: "As attached" };

  test("a sealed bid is submitted with a signed receipt; the business reads its status and receipts", async () => {
    const submitted = await call("POST", `/api/v1/bids/${tender.id}`, {
      token: businessA.token,
      body: { lots: [{ lotId: lots[0]!.id, price: "41250000" }], responses },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.json.data).toMatchObject({
      version: 1,
      receipt: { tenderReference: tender.reference, bidderId: businessA.business.id, version: 1 },
    });
    const mine = await call("GET", `/api/v1/bids/${tender.id}`, { token: businessA.token });
    expect(mine.json.data).toMatchObject({
      status: "submitted",
      bidId: submitted.json.data.bidId,
      versions: [{ version: 1, status: "submitted", sealedSha256: submitted.json.data.receipt.sealedSha256 }],
    });
    expect(JSON.stringify(mine.json)).not.toContain("41250000");
    const receipt = await call("GET", `/api/v1/bids/${tender.id}/receipts/1`, { token: businessA.token });
    expect(receipt.json.data).toEqual(submitted.json.data.receipt);
    const list = await call("GET", "/api/v1/bids", { token: businessA.token });
    expect(list.json.data).toEqual([
      expect.objectContaining({ tenderId: tender.id, status: "submitted", currentVersion: 1 }),
    ]);
  });

  test("another business sees none of it", async () => {
    expect((await call("GET", "/api/v1/bids", { token: businessB.token })).json.data).toEqual([]);
    const theirs = await call("GET", `/api/v1/bids/${tender.id}`, { token: businessB.token });
    expect(theirs.json.data).toMatchObject({ status: "none", bidId: null, versions: [] });
    const receipt = await call("GET", `/api/v1/bids/${tender.id}/receipts/1`, { token: businessB.token });
    expect(receipt.status).toBe(404);
  });

  test("the module's refusals point into the body", async () => {
    const foreignLot = await call("POST", `/api/v1/bids/${tender.id}`, {
      token: businessB.token,
      body: {
        lots: [
          { lotId: lots[1]!.id, price: "100" },
          { lotId: tender.id, price: "100" },
        ],
        responses,
      },
    });
    expect(foreignLot.status).toBe(400);
    expect(foreignLot.json.errors).toEqual([{ pointer: "#/lots/1/price", detail: expect.any(String) }]);
    const unanswered = await call("POST", `/api/v1/bids/${tender.id}`, {
      token: businessB.token,
      body: { lots: [{ lotId: lots[1]!.id, price: "100" }], responses: { c1: "yes" } },
    });
    expect(unanswered.json).toMatchObject({
      code: "BID_RESPONSE_REQUIRED",
      errors: [{ pointer: "#/responses/c2" }],
    });
    const zero = await call("POST", `/api/v1/bids/${tender.id}`, {
      token: businessB.token,
      body: { lots: [{ lotId: lots[1]!.id, price: "0" }], responses },
    });
    expect(zero.json).toMatchObject({ code: "AMOUNT_INVALID", errors: [{ pointer: "#/lots/0/price" }] });
  });
});

describe("a business's permit applications", () => {
  test("start, save fields, submit, and answer the agency's question", async () => {
    const started = await call("POST", "/api/v1/permit-applications", {
      token: businessA.token,
      body: { permitTypeId: permitType.id },
    });
    expect(started.status).toBe(201);
    const app = started.json.data;
    expect(app).toMatchObject({
      status: "draft",
      kind: "new",
      permitType: { id: permitType.id },
      form: [
        expect.objectContaining({ key: "tradeName", required: true }),
        expect.objectContaining({ key: "employees" }),
      ],
    });
    const again = await call("POST", "/api/v1/permit-applications", {
      token: businessA.token,
      body: { permitTypeId: permitType.id },
    });
    expect(again.json.data.id).toBe(app.id);

    const bad = await call("PATCH", `/api/v1/permit-applications/${app.id}`, {
      token: businessA.token,
      body: { fields: { employees: "many" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([{ pointer: "#/fields/employees", detail: expect.any(String) }]);
    const incomplete = await call("POST", `/api/v1/permit-applications/${app.id}/submit`, {
      token: businessA.token,
    });
    expect(incomplete.json.errors).toEqual([{ pointer: "#/fields/tradeName", detail: expect.any(String) }]);

    const saved = await call("PATCH", `/api/v1/permit-applications/${app.id}`, {
      token: businessA.token,
      body: { fields: { tradeName: "Al Noor Trading", employees: "12" } },
    });
    expect(saved.json.data.fields).toEqual({ tradeName: "Al Noor Trading", employees: "12" });
    const submitted = await call("POST", `/api/v1/permit-applications/${app.id}/submit`, {
      token: businessA.token,
    });
    expect(submitted.json.data).toMatchObject({ status: "submitted", submittedAt: expect.any(String) });

    await requestInformation({ actor: licensingOfficer, applicationId: app.id, message: "Which floor?" }, db);
    const asked = await call("GET", "/api/v1/permit-applications?status=information_requested", {
      token: businessA.token,
    });
    expect(asked.json.data.map((a: { id: string }) => a.id)).toEqual([app.id]);
    const short = await call("POST", `/api/v1/permit-applications/${app.id}/answer`, {
      token: businessA.token,
      body: { answer: "" },
    });
    expect(short.json.errors[0]).toMatchObject({ pointer: "#/answer" });
    const answered = await call("POST", `/api/v1/permit-applications/${app.id}/answer`, {
      token: businessA.token,
      body: { answer: "The ground floor." },
    });
    expect(answered.json.data.status).toBe("in_review");
    expect(answered.json.data.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      "created",
      "submitted",
      "information_requested",
      "information_provided",
    ]);

    const theirs = await call("GET", `/api/v1/permit-applications/${app.id}`, { token: businessB.token });
    expect(theirs.status).toBe(404);
    expect((await call("GET", "/api/v1/permit-applications", { token: businessB.token })).json.data).toEqual(
      [],
    );
    const write = await call("POST", `/api/v1/permit-applications/${app.id}/submit`, {
      token: businessB.token,
    });
    expect(write.status).toBe(404);
  });

  test("the business's permits", async () => {
    const answer = await call("GET", "/api/v1/permits", { token: businessA.token });
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual([]);
  });
});

describe("payments", () => {
  test("a business reads its own billing; an agency its own finance", async () => {
    const agencyId = staff.agency.id;
    const price = { amount: 5000n, currency: staff.agency.currency };
    const paidByA = await requestFeePayment(
      { payerId: businessA.business.id, agencyId, feeType: "complaint", subject: "test:a", price },
      db,
    );
    const paidByB = await requestFeePayment(
      { payerId: businessB.business.id, agencyId, feeType: "complaint", subject: "test:b", price },
      db,
    );
    const billing = await call("GET", "/api/v1/billing", { token: businessA.token });
    const ids = billing.json.data.payments.map((p: { id: string }) => p.id);
    expect(ids).toContain(paidByA.id);
    expect(ids).not.toContain(paidByB.id);
    expect(billing.json.data.payments.find((p: { id: string }) => p.id === paidByA.id)).toMatchObject({
      amount: { amount: "5000", currency: price.currency },
      status: "pending",
      counterparty: { id: agencyId },
    });
    const finance = await call("GET", "/api/v1/finance", { token: agencyToken });
    expect(finance.json.data.pending.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([paidByA.id, paidByB.id]),
    );
    const elsewhere = await call("GET", "/api/v1/finance", { token: otherAgencyToken });
    expect(elsewhere.json.data.pending).toEqual([]);
  });
});

describe("rate limit per token", () => {
  test("beyond the limit a minute: 429 with Retry-After; another token is not affected", async () => {
    const env = envWith({ API_RATE_LIMIT_PER_MINUTE: "3" });
    const token = await tokenFor(businessB.actor, ["organisation:read"]);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await call("GET", "/api/v1/organisation", { token, env });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("ratelimit-limit")).toBe("3");
      remaining.push(answer.headers.get("ratelimit-remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await call("GET", "/api/v1/organisation", { token, env });
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe("RATE_LIMITED");
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-reset")).toBe(String(wait));
    expect(refused.json.detail).toContain("3");
    const other = await tokenFor(businessB.actor, ["organisation:read"]);
    expect((await call("GET", "/api/v1/organisation", { token: other, env })).status).toBe(200);
  });
});

describe("never a 500 for bad input", () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const garbageBody = fc.oneof(
    json,
    fc.record(
      { titleAr: json, titleEn: json, method: json, category: json, estimatedValue: json },
      {
        requiredKeys: [],
      },
    ),
    fc.record(
      { lots: fc.array(fc.record({ lotId: json, price: json })), responses: json },
      { requiredKeys: [] },
    ),
    fc.record({ fields: fc.dictionary(fc.string(), json) }, { requiredKeys: [] }),
  );

  const targets: Array<[string, () => string, () => string]> = [
    ["POST /api/v1/tenders", () => "/api/v1/tenders", () => agencyToken],
    ["POST /api/v1/tenders/:tenderId/lots", () => `/api/v1/tenders/${tender.id}/lots`, () => agencyToken],
    ["POST /api/v1/bids/:tenderId", () => `/api/v1/bids/${tender.id}`, () => businessB.token],
    ["POST /api/v1/permit-applications", () => "/api/v1/permit-applications", () => businessB.token],
  ];
  test.each(targets)("%s with garbage JSON bodies", async (_, url, token) => {
    await fc.assert(
      fc.asyncProperty(garbageBody, async (body) => {
        const answer = await call("POST", url(), { token: token(), body });
        expect(answer.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });

  test("garbage query strings and path segments", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("status", "limit", "x", ""), fc.string()), { maxLength: 3 }),
        fc.string({ maxLength: 60 }),
        async (pairs, segment) => {
          const query = new URLSearchParams(pairs).toString();
          const list = await call("GET", `/api/v1/tenders?${query}`, { token: agencyToken });
          expect(list.status).toBeLessThan(500);
          const apps = await call("GET", `/api/v1/permit-applications?${query}`, { token: businessB.token });
          expect(apps.status).toBeLessThan(500);
          const one = await call("GET", `/api/v1/tenders/${encodeURIComponent(segment)}`, {
            token: agencyToken,
          });
          expect(one.status).toBeLessThan(500);
          const receipt = await call(
            "GET",
            `/api/v1/bids/${tender.id}/receipts/${encodeURIComponent(segment)}`,
            {
              token: businessB.token,
            },
          );
          expect(receipt.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  });

  test("garbage bytes with a JSON content type", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 200 }), async (raw) => {
        const answer = await call("PATCH", `/api/v1/permit-applications/${tender.id}`, {
          token: businessB.token,
          rawBody: raw,
        });
        expect(answer.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });
});
