import { z } from "zod";
import type { ApiScope, OrganisationKind } from "#app/modules/accounts/api-scopes.ts";
import type { en } from "#app/modules/i18n/locales/en.ts";
import type { ErrorCode } from "#app/utils/errors.ts";
import { APPLICATION_STATUSES } from "#db/schema/permit-kinds.ts";
import { TENDER_STATUSES } from "#db/schema/tender-kinds.ts";
import * as S from "./schemas.ts";

/**
 * THE registry of /api/v1: every endpoint's method, path, scopes, the kinds
 * of organisation whose tokens may call it, and the zod schemas of its path
 * parameters, query, body and answer. The route handlers validate with these
 * (app/utils/api.server.ts), the OpenAPI document is generated from them
 * (openapi.ts) and so is the API page (/api): none can drift from another.
 * Summaries are translated: `apiDocs.endpoints.<id>` in both locale files.
 */

export type EndpointId = keyof typeof en.apiDocs.endpoints;
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH";
export const TAGS = ["meta", "organisation", "tenders", "bids", "permits", "payments"] as const;
export type Tag = (typeof TAGS)[number];

type Params = z.ZodObject<Record<string, z.ZodType<string, string>>>;

export interface Endpoint<
  P extends Params | null = Params | null,
  Q extends z.ZodObject | null = z.ZodObject | null,
  B extends z.ZodType | null = z.ZodType | null,
  R extends z.ZodType = z.ZodType,
> {
  id: EndpointId;
  method: HttpMethod;
  /** React Router style: /api/v1/tenders/:tenderId. */
  path: string;
  /** "token": a bearer token is required (all but the document itself). */
  auth: "token" | "none";
  /** Every one of these is required. */
  scopes: readonly ApiScope[];
  /** The kinds of organisation whose tokens may call it. */
  audience: readonly OrganisationKind[];
  tag: Tag;
  params: P;
  query: Q;
  body: B;
  response: R;
  /** The status of a success. */
  status: 200 | 201;
  /** Answer `{ "data": … }` (every endpoint but the OpenAPI document, which is the document itself). */
  envelope: boolean;
  /** Codes of problems particular to this endpoint (the common ones are added by openapi.ts). */
  errors: readonly ErrorCode[];
  /** Values for the example request on the API page. */
  example: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
}

function endpoint<
  I extends EndpointId,
  R extends z.ZodType,
  P extends Params | null = null,
  Q extends z.ZodObject | null = null,
  B extends z.ZodType | null = null,
>(
  spec: { id: I } & Pick<Endpoint<P, Q, B, R>, "method" | "path" | "tag" | "response"> &
    Partial<Omit<Endpoint<P, Q, B, R>, "id" | "method" | "path" | "tag" | "response">>,
): Endpoint<P, Q, B, R> & { id: I } {
  return {
    auth: "token",
    scopes: [],
    audience: ["agency", "business", "platform"],
    params: null as P,
    query: null as Q,
    body: null as B,
    status: 200,
    envelope: true,
    errors: [],
    example: {},
    ...spec,
  };
}

const list = <T extends z.ZodType>(item: T) => z.array(item);
const TenderParams = z.strictObject({ tenderId: S.Id });
const ApplicationParams = z.strictObject({ applicationId: S.Id });
const EXAMPLE_TENDER = "0b7c6f4e-2f1a-4d7e-9a35-6d0f3c1e8a21";
const EXAMPLE_LOT = "5a1e9d3c-7b24-4f0e-8c61-2e9b7a4d1f08";
const EXAMPLE_APPLICATION = "9c3d2b1a-4e5f-4a6b-8c7d-1e2f3a4b5c6d";

const OpenApiDocument = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
    components: z.looseObject({}),
  })
  .describe("apiDocs.fields.openapi");

export const ENDPOINTS = {
  openapi: endpoint({
    id: "openapi",
    method: "GET",
    path: "/api/v1/openapi.json",
    auth: "none",
    tag: "meta",
    response: OpenApiDocument,
    envelope: false,
  }),
  organisation: endpoint({
    id: "organisation",
    method: "GET",
    path: "/api/v1/organisation",
    tag: "organisation",
    scopes: ["organisation:read"],
    response: S.Organisation,
  }),
  members: endpoint({
    id: "members",
    method: "GET",
    path: "/api/v1/members",
    tag: "organisation",
    scopes: ["members:read"],
    response: list(S.Member),
  }),

  listTenders: endpoint({
    id: "listTenders",
    method: "GET",
    path: "/api/v1/tenders",
    tag: "tenders",
    scopes: ["tenders:read"],
    audience: ["agency"],
    query: z.strictObject({ status: z.enum(TENDER_STATUSES).optional() }),
    response: list(S.Tender),
    example: { query: { status: "draft" } },
  }),
  createTender: endpoint({
    id: "createTender",
    method: "POST",
    path: "/api/v1/tenders",
    tag: "tenders",
    scopes: ["tenders:write"],
    audience: ["agency"],
    body: S.TenderBasicsInput,
    response: S.TenderWithLots,
    status: 201,
    errors: ["AMOUNT_INVALID", "CPV_INVALID"],
    example: {
      body: {
        titleAr: "توريد أجهزة حاسوب محمولة",
        titleEn: "Supply of laptop computers",
        method: "open",
        category: "goods",
        cpvCodes: ["30213100-6"],
        estimatedValue: "45000000",
        submissionDeadline: "2026-09-30T12:00:00+03:00",
      },
    },
  }),
  getTender: endpoint({
    id: "getTender",
    method: "GET",
    path: "/api/v1/tenders/:tenderId",
    tag: "tenders",
    scopes: ["tenders:read"],
    audience: ["agency"],
    params: TenderParams,
    response: S.TenderWithLots,
    example: { params: { tenderId: EXAMPLE_TENDER } },
  }),
  updateTender: endpoint({
    id: "updateTender",
    method: "PUT",
    path: "/api/v1/tenders/:tenderId",
    tag: "tenders",
    scopes: ["tenders:write"],
    audience: ["agency"],
    params: TenderParams,
    body: S.TenderBasicsInput,
    response: S.TenderWithLots,
    errors: ["TENDER_NOT_DRAFT", "AMOUNT_INVALID", "CPV_INVALID"],
    example: {
      params: { tenderId: EXAMPLE_TENDER },
      body: {
        titleAr: "توريد أجهزة حاسوب محمولة",
        titleEn: "Supply of laptop computers",
        method: "open",
        category: "goods",
        enquiryDeadline: "2026-09-20T12:00:00+03:00",
        submissionDeadline: "2026-09-30T12:00:00+03:00",
        openingAt: "2026-09-30T13:00:00+03:00",
      },
    },
  }),
  addLot: endpoint({
    id: "addLot",
    method: "POST",
    path: "/api/v1/tenders/:tenderId/lots",
    tag: "tenders",
    scopes: ["tenders:write"],
    audience: ["agency"],
    params: TenderParams,
    body: S.LotInput,
    response: S.Lot,
    status: 201,
    errors: ["TENDER_NOT_DRAFT", "AMOUNT_INVALID"],
    example: {
      params: { tenderId: EXAMPLE_TENDER },
      body: { titleAr: "أجهزة الحاسوب", titleEn: "Computers", estimatedValue: "30000000" },
    },
  }),
  addItem: endpoint({
    id: "addItem",
    method: "POST",
    path: "/api/v1/tenders/:tenderId/lots/:lotId/items",
    tag: "tenders",
    scopes: ["tenders:write"],
    audience: ["agency"],
    params: z.strictObject({ tenderId: S.Id, lotId: S.Id }),
    body: S.ItemInput,
    response: S.Item,
    status: 201,
    errors: ["TENDER_NOT_DRAFT"],
    example: {
      params: { tenderId: EXAMPLE_TENDER, lotId: EXAMPLE_LOT },
      body: {
        descriptionAr: "حاسوب محمول 14 بوصة",
        descriptionEn: "14-inch laptop",
        quantity: "150",
        unit: "H87",
      },
    },
  }),
  addCriterion: endpoint({
    id: "addCriterion",
    method: "POST",
    path: "/api/v1/tenders/:tenderId/criteria",
    tag: "tenders",
    scopes: ["tenders:write"],
    audience: ["agency"],
    params: TenderParams,
    body: S.CriterionInput,
    response: list(S.Criterion),
    status: 201,
    errors: ["TENDER_NOT_DRAFT"],
    example: {
      params: { tenderId: EXAMPLE_TENDER },
      body: { nameAr: "السعر", nameEn: "Price", kind: "financial", weight: 60 },
    },
  }),
  publishTender: endpoint({
    id: "publishTender",
    method: "POST",
    path: "/api/v1/tenders/:tenderId/publish",
    tag: "tenders",
    scopes: ["tenders:publish"],
    audience: ["agency"],
    params: TenderParams,
    response: S.TenderWithLots,
    errors: [
      "TENDER_NOT_DRAFT",
      "SCHEDULE_INVALID",
      "CRITERIA_INVALID",
      "TENDER_INCOMPLETE",
      "SECOND_OFFICER_REQUIRED",
    ],
    example: { params: { tenderId: EXAMPLE_TENDER } },
  }),

  listBids: endpoint({
    id: "listBids",
    method: "GET",
    path: "/api/v1/bids",
    tag: "bids",
    scopes: ["bids:read"],
    audience: ["business"],
    response: list(S.BidSummary),
  }),
  getBid: endpoint({
    id: "getBid",
    method: "GET",
    path: "/api/v1/bids/:tenderId",
    tag: "bids",
    scopes: ["bids:read"],
    audience: ["business"],
    params: TenderParams,
    response: S.Bid,
    example: { params: { tenderId: EXAMPLE_TENDER } },
  }),
  submitBid: endpoint({
    id: "submitBid",
    method: "POST",
    path: "/api/v1/bids/:tenderId",
    tag: "bids",
    scopes: ["bids:submit"],
    audience: ["business"],
    params: TenderParams,
    body: S.BidInput,
    response: S.BidSubmitted,
    status: 201,
    errors: [
      "BID_LATE",
      "BID_FEE_UNPAID",
      "BID_NO_PRICE",
      "BID_RESPONSE_REQUIRED",
      "AMOUNT_INVALID",
      "BUSINESS_NOT_VERIFIED",
      "PERMIT_REQUIRED",
    ],
    example: {
      params: { tenderId: EXAMPLE_TENDER },
      body: { lots: [{ lotId: EXAMPLE_LOT, price: "41250000" }], responses: { c1: "Delivery in 30 days." } },
    },
  }),
  getBidReceipt: endpoint({
    id: "getBidReceipt",
    method: "GET",
    path: "/api/v1/bids/:tenderId/receipts/:version",
    tag: "bids",
    scopes: ["bids:read"],
    audience: ["business"],
    params: z.strictObject({ tenderId: S.Id, version: z.string().regex(/^[1-9]\d{0,5}$/) }),
    response: S.BidReceipt,
    example: { params: { tenderId: EXAMPLE_TENDER, version: "1" } },
  }),

  listPermits: endpoint({
    id: "listPermits",
    method: "GET",
    path: "/api/v1/permits",
    tag: "permits",
    scopes: ["permits:read"],
    audience: ["business"],
    response: list(S.Permit),
  }),
  listApplications: endpoint({
    id: "listApplications",
    method: "GET",
    path: "/api/v1/permit-applications",
    tag: "permits",
    scopes: ["permits:read"],
    audience: ["business"],
    query: z.strictObject({ status: z.enum(APPLICATION_STATUSES).optional() }),
    response: list(S.ApplicationSummary),
    example: { query: { status: "information_requested" } },
  }),
  startApplication: endpoint({
    id: "startApplication",
    method: "POST",
    path: "/api/v1/permit-applications",
    tag: "permits",
    scopes: ["permits:write"],
    audience: ["business"],
    body: S.StartApplicationInput,
    response: S.Application,
    status: 201,
    errors: [
      "BUSINESS_NOT_VERIFIED",
      "PERMIT_SECTOR_NOT_ELIGIBLE",
      "PARENT_LICENCE_REQUIRED",
      "PERMIT_ALREADY_HELD",
      "RENEWAL_WINDOW_CLOSED",
      "PERMIT_REVOKED",
      "PERMIT_NOT_VALID",
      "APPLICATION_IN_PROGRESS",
    ],
    example: { body: { permitTypeId: "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a" } },
  }),
  getApplication: endpoint({
    id: "getApplication",
    method: "GET",
    path: "/api/v1/permit-applications/:applicationId",
    tag: "permits",
    scopes: ["permits:read"],
    audience: ["business"],
    params: ApplicationParams,
    response: S.Application,
    example: { params: { applicationId: EXAMPLE_APPLICATION } },
  }),
  saveApplication: endpoint({
    id: "saveApplication",
    method: "PATCH",
    path: "/api/v1/permit-applications/:applicationId",
    tag: "permits",
    scopes: ["permits:write"],
    audience: ["business"],
    params: ApplicationParams,
    body: S.SaveApplicationInput,
    response: S.Application,
    errors: ["APPLICATION_WRONG_STATUS"],
    example: {
      params: { applicationId: EXAMPLE_APPLICATION },
      body: { fields: { tradeName: "Al Noor Trading", activity: "retail" } },
    },
  }),
  submitApplication: endpoint({
    id: "submitApplication",
    method: "POST",
    path: "/api/v1/permit-applications/:applicationId/submit",
    tag: "permits",
    scopes: ["permits:write"],
    audience: ["business"],
    params: ApplicationParams,
    response: S.Application,
    errors: ["APPLICATION_WRONG_STATUS", "DOCUMENTS_REQUIRED", "PERMIT_FEE_UNPAID"],
    example: { params: { applicationId: EXAMPLE_APPLICATION } },
  }),
  answerApplication: endpoint({
    id: "answerApplication",
    method: "POST",
    path: "/api/v1/permit-applications/:applicationId/answer",
    tag: "permits",
    scopes: ["permits:write"],
    audience: ["business"],
    params: ApplicationParams,
    body: S.AnswerInput,
    response: S.Application,
    errors: ["APPLICATION_WRONG_STATUS", "REASON_REQUIRED"],
    example: {
      params: { applicationId: EXAMPLE_APPLICATION },
      body: { answer: "The plot number is 12-345; the site plan is attached on the application page." },
    },
  }),

  billing: endpoint({
    id: "billing",
    method: "GET",
    path: "/api/v1/billing",
    tag: "payments",
    scopes: ["payments:read"],
    audience: ["business"],
    response: S.Billing,
  }),
  finance: endpoint({
    id: "finance",
    method: "GET",
    path: "/api/v1/finance",
    tag: "payments",
    scopes: ["payments:read"],
    audience: ["agency"],
    response: S.Finance,
  }),
} as const;

export type Endpoints = typeof ENDPOINTS;
type AssertTrue<T extends true> = T;
/** The type checker keeps the registry whole: every id defined, each under its own name. */
export type RegistryIsComplete = AssertTrue<
  [EndpointId] extends [keyof Endpoints]
    ? { [K in keyof Endpoints]: Endpoints[K]["id"] extends K ? true : false }[keyof Endpoints]
    : false
>;
export const ENDPOINT_LIST: Endpoint[] = Object.values(ENDPOINTS);

/** Every path of the API, once each, in the registry's order. */
export const API_PATHS: string[] = [...new Set(ENDPOINT_LIST.map((e) => e.path))];

/** The endpoints at one path (one per method). */
export function endpointsAt(path: string): Endpoint[] {
  return ENDPOINT_LIST.filter((e) => e.path === path);
}

/** An OpenAPI path: /api/v1/tenders/{tenderId}. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, "{$1}");
}

/** The path with the example's parameters filled in, and its query. */
export function examplePath(e: Endpoint): string {
  const path = e.path.replace(/:([A-Za-z]+)/g, (_, name: string) => e.example.params?.[name] ?? `{${name}}`);
  const query = new URLSearchParams(e.example.query ?? {}).toString();
  return query ? `${path}?${query}` : path;
}
