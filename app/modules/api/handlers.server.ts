import type { TFunction } from "i18next";
import type { z } from "zod";
import type { Integration } from "#app/modules/accounts/actor.ts";
import { apiMembers, apiOrganisation } from "#app/modules/accounts/api-reads.server.ts";
import { actorOfIntegration } from "#app/modules/accounts/integration-actor.ts";
import { myBid, myBidReceipt } from "#app/modules/bids/my-bid.server.ts";
import { myBids } from "#app/modules/bids/my-bids.server.ts";
import { bidContentFrom, type SealingKeys, submitBid } from "#app/modules/bids/submit-bid.server.ts";
import type { Language } from "#app/modules/i18n/i18n.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { billingOverview } from "#app/modules/payments/billing-overview.server.ts";
import { financeOverview } from "#app/modules/payments/finance-overview.server.ts";
import { answerInformationRequest } from "#app/modules/permits/applicant-steps.server.ts";
import { applicationForApplicant } from "#app/modules/permits/application-view.server.ts";
import { myPermits } from "#app/modules/permits/permit-lists.server.ts";
import { FieldErrors, saveApplication } from "#app/modules/permits/save-application.server.ts";
import { startApplication } from "#app/modules/permits/start-application.server.ts";
import { submitApplication } from "#app/modules/permits/submit-application.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  listAgencyTenders,
  publishTender,
  type TenderBasicsForm,
  tenderForOfficer,
  updateTenderDraft,
} from "#app/modules/tenders/author-tender.server.ts";
import type { Env } from "#app/utils/env.server.ts";
import { AppError } from "#app/utils/errors.ts";
import { instantToZoned } from "#app/utils/time-zones.ts";
import type { Db } from "#db/client.server.ts";
import type { PermitType } from "#db/schema/index.ts";
import type { Endpoint, EndpointId, Endpoints } from "./endpoints.ts";
import { openApiDocument } from "./openapi.ts";
import { type ProblemEntry, pointerOf } from "./problems.ts";
import type * as S from "./schemas.ts";
import * as V from "./views.ts";

/**
 * What each /api/v1 endpoint does: call the module function (which checks
 * the permission, as for people) as the integration's actor, and turn its
 * answer into the endpoint's response shape. No SQL here.
 */

export interface ApiContext {
  /** The calling token (null only for the endpoints that need none). */
  integration: Integration | null;
  db: Db;
  env: Env;
  ip: string | null;
  lang: Language;
  t: TFunction;
  /** Where this site is reached, for links in answers. */
  baseUrl: string;
  keys(): Promise<SealingKeys>;
}

type InputOf<E extends Endpoint> = {
  params: E["params"] extends z.ZodType ? z.output<E["params"]> : Record<string, never>;
  query: E["query"] extends z.ZodType ? z.output<E["query"]> : Record<string, never>;
  body: E["body"] extends z.ZodType ? z.output<E["body"]> : undefined;
};

export interface Handler<E extends Endpoint> {
  run(input: InputOf<E>, ctx: ApiContext): Promise<z.input<E["response"]>>;
  /**
   * Where a module's error about `field` points in the request body, when the
   * module names its fields differently from the body (default: `#/<field>`
   * when the body has such a key).
   */
  pointer?(field: string, input: InputOf<E>): string | null;
}

/** Input problems found by the handler itself (e.g. a permit form's fields), answered like zod's. */
export class InputProblems extends Error {
  constructor(
    readonly error: AppError,
    readonly entries: ProblemEntry[],
  ) {
    super(error.code);
  }
}

function token(ctx: ApiContext): Integration {
  if (!ctx.integration) throw new AppError("TOKEN_INVALID");
  return ctx.integration;
}

const actor = (ctx: ApiContext) => actorOfIntegration(token(ctx));

const minorToDecimal = (amount: string | null | undefined, currency: string) =>
  amount ? toDecimalString({ amount: BigInt(amount), currency }) : "";

/** The JSON body as the tender module's form. */
function tenderForm(body: z.output<typeof S.TenderBasicsInput>, agency: Integration): TenderBasicsForm {
  const currency = agency.organisationCurrency;
  const zoned = (value: string | null | undefined) =>
    value ? instantToZoned(new Date(value), agency.organisationTimeZone) : "";
  return {
    titleAr: body.titleAr,
    titleEn: body.titleEn,
    descriptionAr: body.descriptionAr ?? "",
    descriptionEn: body.descriptionEn ?? "",
    method: body.method,
    category: body.category,
    cpvCodes: (body.cpvCodes ?? []).join(" "),
    estimatedValue: minorToDecimal(body.estimatedValue, currency),
    documentFee: minorToDecimal(body.documentFee, currency),
    submissionFee: minorToDecimal(body.submissionFee, currency),
    bidSecurity: minorToDecimal(body.bidSecurity, currency),
    requireVerified: (body.requireVerified ?? true) ? "on" : "",
    requiresApproval: body.requiresApproval ? "on" : "",
    requiredPermitType: body.requiredPermitType ?? "",
    enquiryDeadline: zoned(body.enquiryDeadline),
    submissionDeadline: zoned(body.submissionDeadline),
    openingAt: zoned(body.openingAt),
  };
}

async function tenderAnswer(ctx: ApiContext, tenderId: string) {
  const { tender, lots } = await tenderForOfficer(actor(ctx), tenderId, ctx.db);
  return V.tenderWithLotsView(tender, lots);
}

/** The permits module's field errors (by form field key) as problem entries into `fields`. */
async function withFieldErrors<T>(ctx: ApiContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof FieldErrors)) throw e;
    throw new InputProblems(
      e,
      Object.entries(e.fieldErrors).map(([key, message]) => {
        const [messageKey, params] = message.split("|", 2);
        return {
          pointer: pointerOf(["fields", key]),
          detail: String(ctx.t(messageKey!, params ? JSON.parse(params) : {})),
        };
      }),
    );
  }
}

async function applicationAnswer(ctx: ApiContext, applicationId: string) {
  const d = await applicationForApplicant(actor(ctx), applicationId, ctx.db);
  return V.applicationView({
    application: d.application,
    type: d.type as PermitType,
    documents: d.documents.map((doc) => ({
      key: doc.key,
      name: doc.name,
      sha256: doc.sha256,
      uploadedAt: doc.uploadedAt,
    })),
    fee: d.fee,
    permit: d.permit,
    events: d.events,
  });
}

export const HANDLERS: { [K in EndpointId]: Handler<Endpoints[K]> } = {
  openapi: {
    run: async (_, ctx) => openApiDocument({ t: ctx.t, baseUrl: ctx.baseUrl }),
  },
  organisation: { run: (_, ctx) => apiOrganisation(token(ctx), ctx.db) },
  members: { run: (_, ctx) => apiMembers(token(ctx), ctx.db) },

  listTenders: {
    run: async ({ query }, ctx) => {
      const rows = await listAgencyTenders(actor(ctx), ctx.db);
      return rows.filter((t) => !query.status || t.status === query.status).map(V.tenderView);
    },
  },
  createTender: {
    run: async ({ body }, ctx) => {
      const form = tenderForm(body, token(ctx));
      const tender = await createTenderDraft({ actor: actor(ctx), form, ip: ctx.ip }, ctx.db);
      return V.tenderWithLotsView(tender, []);
    },
  },
  getTender: { run: ({ params }, ctx) => tenderAnswer(ctx, params.tenderId) },
  updateTender: {
    run: async ({ params, body }, ctx) => {
      const form = tenderForm(body, token(ctx));
      await updateTenderDraft({ actor: actor(ctx), tenderId: params.tenderId, form, ip: ctx.ip }, ctx.db);
      return tenderAnswer(ctx, params.tenderId);
    },
  },
  addLot: {
    run: async ({ params, body }, ctx) => {
      const { tender } = await tenderForOfficer(actor(ctx), params.tenderId, ctx.db);
      const lot = await addLot(
        {
          actor: actor(ctx),
          tenderId: tender.id,
          titleAr: body.titleAr,
          titleEn: body.titleEn,
          estimatedValue: minorToDecimal(body.estimatedValue, tender.currency),
          ip: ctx.ip,
        },
        ctx.db,
      );
      return V.lotView({ ...lot, items: [] }, tender.currency);
    },
    pointer: (field) =>
      ({ lotTitleAr: "#/titleAr", lotTitleEn: "#/titleEn", lotEstimatedValue: "#/estimatedValue" })[field] ??
      null,
  },
  addItem: {
    run: async ({ params, body }, ctx) => {
      const item = await addItem(
        { actor: actor(ctx), tenderId: params.tenderId, lotId: params.lotId, ...body, ip: ctx.ip },
        ctx.db,
      );
      return V.itemView(item);
    },
    pointer: (field) =>
      ({ itemDescriptionAr: "#/descriptionAr", itemDescriptionEn: "#/descriptionEn" })[field] ?? null,
  },
  addCriterion: {
    run: async ({ params, body }, ctx) => {
      const criteria = await addCriterion(
        { actor: actor(ctx), tenderId: params.tenderId, ...body, weight: String(body.weight), ip: ctx.ip },
        ctx.db,
      );
      return criteria.map(V.criterionView);
    },
    pointer: (field) => ({ criterionNameAr: "#/nameAr", criterionNameEn: "#/nameEn" })[field] ?? null,
  },
  publishTender: {
    run: async ({ params }, ctx) => {
      const { master } = await ctx.keys();
      await publishTender(
        { actor: actor(ctx), tenderId: params.tenderId, ip: ctx.ip },
        { db: ctx.db, master },
      );
      return tenderAnswer(ctx, params.tenderId);
    },
  },

  listBids: {
    run: async (_, ctx) =>
      (await myBids(actor(ctx), ctx.db)).map((b) => ({
        tenderId: b.tender.id,
        tenderReference: b.tender.reference,
        tenderTitle: V.text(b.tender.titleAr, b.tender.titleEn),
        tenderStatus: b.tender.status,
        submissionDeadline: V.instant(b.tender.submissionDeadline),
        bidId: b.bidId,
        status: b.status,
        currentVersion: b.currentVersion === null ? null : Number(b.currentVersion),
        updatedAt: b.updatedAt.toISOString(),
      })),
  },
  getBid: {
    run: async ({ params }, ctx) => {
      const { tender, bid, versions, fees } = await myBid(actor(ctx), params.tenderId, ctx.db);
      return {
        tender: {
          id: tender.id,
          reference: tender.reference,
          title: V.text(tender.titleAr, tender.titleEn),
          status: tender.status,
          submissionDeadline: V.instant(tender.submissionDeadline),
        },
        bidId: bid?.id ?? null,
        status: bid?.status ?? "none",
        versions: versions.map((v) => ({
          version: v.version,
          status: v.status,
          receivedAt: v.receivedAtText,
          sealedSha256: v.sealedSha256,
          reconfirmRequired: v.reconfirmRequired,
        })),
        fees: fees.map((f) => ({
          feeType: f.feeType,
          amount: V.money(f.amount, tender.currency),
          paid: f.paid,
          paymentId: f.payment?.id ?? null,
        })),
      };
    },
  },
  submitBid: {
    run: async ({ params, body }, ctx) => {
      const who = actor(ctx);
      const { tender } = await myBid(who, params.tenderId, ctx.db);
      const prices: Record<string, string> = {};
      for (const lot of body.lots) {
        if (lot.lotId in prices) throw new AppError("VALIDATION", {}, { field: "lots" });
        prices[lot.lotId] = toDecimalString({ amount: BigInt(lot.price), currency: tender.currency });
      }
      const content = await bidContentFrom(tender, { prices, responses: body.responses ?? {} }, ctx.db);
      const placed = await submitBid(
        { actor: who, tenderId: tender.id, content, ip: ctx.ip },
        { db: ctx.db, keys: await ctx.keys() },
      );
      return { bidId: placed.bid.id, version: placed.version.version, receipt: placed.receipt };
    },
    pointer: (field, { body }) => {
      if (field === "prices" || field === "lots") return "#/lots";
      if (field.startsWith("price-")) {
        const index = body.lots.findIndex((l) => l.lotId === field.slice(6));
        return index >= 0 ? pointerOf(["lots", index, "price"]) : "#/lots";
      }
      if (field.startsWith("response-")) return pointerOf(["responses", field.slice(9)]);
      return null;
    },
  },
  getBidReceipt: {
    run: ({ params }, ctx) =>
      myBidReceipt(
        actor(ctx),
        { tenderId: params.tenderId, version: Number(params.version) },
        { db: ctx.db, env: ctx.env },
      ),
  },

  listPermits: {
    run: async (_, ctx) =>
      (await myPermits(actor(ctx), ctx.db)).held.map(({ permit, type, agency }) => ({
        id: permit.id,
        number: permit.number,
        status: permit.status,
        permitType: V.permitTypeRef(type),
        agency: { id: agency.id, name: V.text(agency.nameAr, agency.nameEn) },
        validFrom: permit.validFrom,
        validUntil: permit.validUntil,
        issuedAt: permit.issuedAt.toISOString(),
      })),
  },
  listApplications: {
    run: async ({ query }, ctx) =>
      (await myPermits(actor(ctx), ctx.db)).applications
        .filter((a) => !query.status || a.application.status === query.status)
        .map((a) => V.applicationSummaryView(a.application, a.type)),
  },
  startApplication: {
    run: async ({ body }, ctx) => {
      const started = await startApplication({ actor: actor(ctx), ...body, ip: ctx.ip }, ctx.db);
      return applicationAnswer(ctx, started.id);
    },
  },
  getApplication: { run: ({ params }, ctx) => applicationAnswer(ctx, params.applicationId) },
  saveApplication: {
    run: ({ params, body }, ctx) =>
      withFieldErrors(ctx, async () => {
        await saveApplication(
          { actor: actor(ctx), applicationId: params.applicationId, fields: body.fields },
          ctx.db,
        );
        return applicationAnswer(ctx, params.applicationId);
      }),
    pointer: (field) => pointerOf(["fields", field]),
  },
  submitApplication: {
    run: ({ params }, ctx) =>
      withFieldErrors(ctx, async () => {
        await submitApplication(
          { actor: actor(ctx), applicationId: params.applicationId, ip: ctx.ip },
          ctx.db,
        );
        return applicationAnswer(ctx, params.applicationId);
      }),
  },
  answerApplication: {
    run: ({ params, body }, ctx) =>
      withFieldErrors(ctx, async () => {
        await answerInformationRequest(
          { actor: actor(ctx), applicationId: params.applicationId, answer: body.answer, ip: ctx.ip },
          ctx.db,
        );
        return applicationAnswer(ctx, params.applicationId);
      }),
  },

  billing: {
    run: async (_, ctx) => {
      const b = await billingOverview(actor(ctx), ctx.db);
      return {
        payments: b.payments.map((p) =>
          V.paymentView(p, { id: p.payeeId, nameAr: p.payeeNameAr, nameEn: p.payeeNameEn }),
        ),
        refunds: b.refunds.map(V.refundView),
        holds: b.holds.map((h) =>
          V.holdView(h, { id: h.agencyId, nameAr: h.agencyNameAr, nameEn: h.agencyNameEn }),
        ),
      };
    },
  },
  finance: {
    run: async (_, ctx) => {
      const f = await financeOverview(actor(ctx), ctx.db);
      const payer = (p: { payerId: string; payerNameAr: string; payerNameEn: string }) => ({
        id: p.payerId,
        nameAr: p.payerNameAr,
        nameEn: p.payerNameEn,
      });
      return {
        balances: f.balances.map((b) => ({
          purpose: b.purpose,
          feeType: b.feeType,
          balance: V.money(b.balance, b.currency),
        })),
        pending: f.pending.map((p) => V.paymentView(p, payer(p))),
        received: f.received.map((p) => V.paymentView(p, payer(p))),
        refunds: f.refunds.map(V.refundView),
        held: f.held.map((h) =>
          V.holdView(h, { id: h.businessId, nameAr: h.businessNameAr, nameEn: h.businessNameEn }),
        ),
        receiptsAwaitingConfirmation: f.awaiting.length,
        unmatchedStatementLines: f.unmatchedLines,
      };
    },
  },
};
