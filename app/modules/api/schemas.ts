import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "#app/utils/errors.ts";
import {
  APPLICATION_KINDS,
  APPLICATION_STATUSES,
  PERMIT_FIELD_TYPES,
  PERMIT_STATUSES,
} from "#db/schema/permit-kinds.ts";
import {
  CRITERION_KINDS,
  TENDER_CATEGORIES,
  TENDER_METHODS,
  TENDER_STATUSES,
} from "#db/schema/tender-kinds.ts";

/**
 * The shapes of the /api/v1 bodies. Each named one becomes a component of
 * the OpenAPI document (openapi.ts) under the name given by `component`;
 * the rest are inlined. No transforms in response shapes: what the handler
 * returns is what is sent, checked against these.
 */

/** Schemas that are components of the document, by name (filled by `component`). */
export const COMPONENTS: Array<{ name: string; schema: z.ZodType }> = [];

/** A description, translated when the document or the page is made (locale block apiDocs.fields). */
const d = (key: string) => `apiDocs.fields.${key}`;

function component<T extends z.ZodType>(name: string, schema: T): T {
  COMPONENTS.push({ name, schema });
  return schema;
}

export const Id = z.guid();
/** An instant as the API sends it: RFC 3339 in UTC. */
export const Instant = z.iso.datetime();
/** An instant as the API accepts it: RFC 3339 with Z or an offset. */
export const InstantInput = z.iso.datetime({ offset: true });
/** A deadline: an instant on a whole minute (deadlines are kept and shown to the minute). */
export const MinuteInput = InstantInput.refine((v) => new Date(v).getTime() % 60_000 === 0, {
  message: "apiDocs.validation.wholeMinute",
});

export const Text = component("Text", z.object({ ar: z.string(), en: z.string() }).describe(d("text")));

export const Money = component(
  "Money",
  z
    .object({
      amount: z.string().regex(/^-?\d+$/),
      currency: z.string().regex(/^[A-Z]{3}$/),
    })
    .describe(d("money")),
);

/** An amount in minor units sent by the client (the currency is the organisation's or the tender's). */
export const MinorUnits = z
  .string()
  .regex(/^\d{1,18}$/)
  .describe(d("minorUnits"));

export const ProblemError = z.object({
  detail: z.string(),
  pointer: z.string().optional().describe(d("pointer")),
  parameter: z.string().optional().describe(d("parameter")),
});

export const Problem = component(
  "Problem",
  z
    .object({
      type: z.string().describe(d("problemType")),
      title: z.string(),
      status: z.number().int().min(400).max(599),
      detail: z.string(),
      instance: z.string().describe(d("instance")),
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
      errors: z.array(ProblemError).optional(),
    })
    .describe(d("problem")),
);

// ---- organisation ----------------------------------------------------------

export const Organisation = component(
  "Organisation",
  z.object({
    id: Id,
    kind: z.enum(["agency", "business", "platform"]),
    name: Text,
    country: z.string(),
    currency: z.string(),
    timeZone: z.string(),
    registrationNumber: z.string().nullable(),
    verification: z.string().nullable(),
  }),
);

export const Member = component(
  "Member",
  z.object({ name: z.string(), email: z.string(), roles: z.array(z.string()) }),
);

// ---- tenders ---------------------------------------------------------------

export const Criterion = component(
  "Criterion",
  z.object({
    key: z.string(),
    name: Text,
    kind: z.enum(CRITERION_KINDS),
    weight: z.number().int().min(0).max(100),
  }),
);

export const Item = component(
  "Item",
  z.object({
    id: Id,
    description: Text,
    quantity: z.string().describe(d("quantity")),
    unit: z.string().describe(d("unit")),
  }),
);

export const Lot = component(
  "Lot",
  z.object({
    id: Id,
    number: z.number().int(),
    title: Text,
    estimatedValue: Money.nullable(),
    cancelled: z.boolean(),
    items: z.array(Item),
  }),
);

export const Tender = component(
  "Tender",
  z.object({
    id: Id,
    reference: z.string(),
    status: z.enum(TENDER_STATUSES),
    title: Text,
    description: Text,
    method: z.enum(TENDER_METHODS),
    category: z.enum(TENDER_CATEGORIES),
    cpvCodes: z.array(z.string()),
    currency: z.string(),
    estimatedValue: Money.nullable(),
    documentFee: Money,
    submissionFee: Money,
    bidSecurity: Money,
    requireVerified: z.boolean(),
    requiresApproval: z.boolean(),
    requiredPermitType: z.string().nullable(),
    timeZone: z.string(),
    enquiryDeadline: Instant.nullable(),
    submissionDeadline: Instant.nullable(),
    openingAt: Instant.nullable(),
    publishedAt: Instant.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
    criteria: z.array(Criterion),
  }),
);

export const TenderWithLots = component("TenderWithLots", Tender.extend({ lots: z.array(Lot) }));

const title = (max: number) => z.string().trim().min(3).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

export const TenderBasicsInput = component(
  "TenderBasicsInput",
  z
    .strictObject({
      titleAr: title(300),
      titleEn: title(300),
      descriptionAr: optionalText(20_000),
      descriptionEn: optionalText(20_000),
      method: z.enum(TENDER_METHODS),
      category: z.enum(TENDER_CATEGORIES),
      cpvCodes: z
        .array(z.string().regex(/^\d{8}-\d$/))
        .max(20)
        .optional()
        .describe(d("cpvCodes")),
      estimatedValue: MinorUnits.nullable().optional(),
      documentFee: MinorUnits.optional(),
      submissionFee: MinorUnits.optional(),
      bidSecurity: MinorUnits.optional(),
      requireVerified: z.boolean().optional().describe(d("requireVerified")),
      requiresApproval: z.boolean().optional().describe(d("requiresApproval")),
      requiredPermitType: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,59}$/)
        .nullable()
        .optional()
        .describe(d("requiredPermitType")),
      enquiryDeadline: MinuteInput.nullable().optional(),
      submissionDeadline: MinuteInput.nullable().optional(),
      openingAt: MinuteInput.nullable().optional(),
    })
    .describe(d("tenderBasics")),
);

export const LotInput = component(
  "LotInput",
  z.strictObject({
    titleAr: z.string().trim().min(2).max(300),
    titleEn: z.string().trim().min(2).max(300),
    estimatedValue: MinorUnits.nullable().optional(),
  }),
);

export const ItemInput = component(
  "ItemInput",
  z.strictObject({
    descriptionAr: z.string().trim().min(2).max(1000),
    descriptionEn: z.string().trim().min(2).max(1000),
    quantity: z
      .string()
      .regex(/^\d{1,12}(\.\d{1,3})?$/)
      .describe(d("quantityInput")),
    unit: z.string().regex(/^[A-Z0-9]{2,3}$/),
  }),
);

export const CriterionInput = component(
  "CriterionInput",
  z.strictObject({
    nameAr: z.string().trim().min(2).max(200),
    nameEn: z.string().trim().min(2).max(200),
    kind: z.enum(CRITERION_KINDS),
    weight: z.number().int().min(0).max(100).describe(d("weight")),
  }),
);

// ---- bids ------------------------------------------------------------------

export const BidReceipt = component(
  "BidReceipt",
  z
    .object({
      format: z.string(),
      tenderReference: z.string(),
      bidId: Id,
      version: z.number().int(),
      bidderId: Id,
      receivedAt: z.string().describe(d("receivedAt")),
      sealedSha256: z.string().regex(/^[0-9a-f]{64}$/),
      statement: z.string(),
      signature: z.string(),
      keyId: z.string(),
      publicKey: z.string(),
    })
    .describe(d("bidReceipt")),
);

export const BidVersion = component(
  "BidVersion",
  z.object({
    version: z.number().int(),
    status: z.enum(["submitted", "superseded", "withdrawn"]),
    receivedAt: z.string(),
    sealedSha256: z.string(),
    reconfirmRequired: z.boolean(),
  }),
);

export const BidFee = component(
  "BidFee",
  z.object({
    feeType: z.enum(["tender_document", "bid_submission"]),
    amount: Money,
    paid: z.boolean(),
    paymentId: Id.nullable(),
  }),
);

export const Bid = component(
  "Bid",
  z
    .object({
      tender: z.object({
        id: Id,
        reference: z.string(),
        title: Text,
        status: z.enum(TENDER_STATUSES),
        submissionDeadline: Instant.nullable(),
      }),
      bidId: Id.nullable(),
      status: z.enum(["none", "draft", "submitted", "withdrawn"]),
      versions: z.array(BidVersion),
      fees: z.array(BidFee),
    })
    .describe(d("bid")),
);

export const BidSummary = component(
  "BidSummary",
  z.object({
    tenderId: Id,
    tenderReference: z.string(),
    tenderTitle: Text,
    tenderStatus: z.enum(TENDER_STATUSES),
    submissionDeadline: Instant.nullable(),
    bidId: Id,
    status: z.enum(["draft", "submitted", "withdrawn"]),
    currentVersion: z.number().int().nullable(),
    updatedAt: Instant,
  }),
);

export const BidInput = component(
  "BidInput",
  z
    .strictObject({
      lots: z
        .array(z.strictObject({ lotId: Id, price: MinorUnits }))
        .min(1)
        .max(500)
        .describe(d("bidLots")),
      responses: z
        .record(z.string().regex(/^[a-z0-9]{1,20}$/), z.string().max(20_000))
        .optional()
        .describe(d("bidResponses")),
    })
    .describe(d("bidInput")),
);

export const BidSubmitted = component(
  "BidSubmitted",
  z.object({ bidId: Id, version: z.number().int(), receipt: BidReceipt }),
);

// ---- permits ---------------------------------------------------------------

export const PermitTypeRef = component("PermitTypeRef", z.object({ id: Id, code: z.string(), name: Text }));

export const PermitField = component(
  "PermitField",
  z.object({
    key: z.string(),
    type: z.enum(PERMIT_FIELD_TYPES),
    label: Text,
    required: z.boolean(),
    min: z.number().optional(),
    max: z.number().optional(),
    pattern: z.string().optional(),
    options: z.array(z.object({ value: z.string(), label: Text })).optional(),
  }),
);

export const ApplicationSummary = component(
  "ApplicationSummary",
  z.object({
    id: Id,
    reference: z.string(),
    kind: z.enum(APPLICATION_KINDS),
    status: z.enum(APPLICATION_STATUSES),
    permitType: PermitTypeRef,
    createdAt: Instant,
    submittedAt: Instant.nullable(),
    dueAt: Instant.nullable(),
    decidedAt: Instant.nullable(),
  }),
);

export const Application = component(
  "Application",
  ApplicationSummary.extend({
    fields: z.record(z.string(), z.string()),
    form: z.array(PermitField).describe(d("form")),
    documents: z.array(
      z.object({
        key: z.string(),
        label: Text,
        uploaded: z.object({ name: z.string(), sha256: z.string(), uploadedAt: Instant }).nullable(),
      }),
    ),
    fee: z.object({ amount: Money, paid: z.boolean() }).nullable(),
    decisionReason: z.string().nullable(),
    permitId: Id.nullable(),
    timeline: z.array(z.object({ kind: z.string(), note: z.string().nullable(), at: Instant })),
  }),
);

export const StartApplicationInput = component(
  "StartApplicationInput",
  z
    .strictObject({
      permitTypeId: Id.optional().describe(d("permitTypeId")),
      kind: z.enum(APPLICATION_KINDS).optional().describe(d("applicationKind")),
      permitId: Id.optional().describe(d("permitId")),
    })
    .describe(d("startApplication")),
);

export const SaveApplicationInput = component(
  "SaveApplicationInput",
  z.strictObject({
    fields: z.record(z.string().regex(/^[a-zA-Z0-9_-]{1,60}$/), z.string().max(20_000)).describe(d("fields")),
  }),
);

export const AnswerInput = component(
  "AnswerInput",
  z.strictObject({ answer: z.string().trim().min(2).max(4000) }),
);

export const Permit = component(
  "Permit",
  z.object({
    id: Id,
    number: z.string(),
    status: z.enum(PERMIT_STATUSES),
    permitType: PermitTypeRef,
    agency: z.object({ id: Id, name: Text }),
    validFrom: z.iso.date(),
    validUntil: z.iso.date(),
    issuedAt: Instant,
  }),
);

// ---- payments --------------------------------------------------------------

export const Payment = component(
  "Payment",
  z.object({
    id: Id,
    reference: z.string(),
    feeType: z.string(),
    subject: z.string().nullable(),
    amount: Money,
    captured: Money,
    refunded: Money,
    method: z.string(),
    status: z.enum(["pending", "captured", "failed"]),
    counterparty: z.object({ id: Id, name: Text }),
    createdAt: Instant,
    capturedAt: Instant.nullable(),
  }),
);

export const Refund = component(
  "Refund",
  z.object({
    id: Id,
    paymentId: Id,
    paymentReference: z.string(),
    amount: Money,
    reason: z.string(),
    method: z.string(),
    createdAt: Instant,
  }),
);

export const SecurityHold = component(
  "SecurityHold",
  z.object({
    id: Id,
    subject: z.string(),
    amount: Money,
    status: z.enum(["held", "released", "forfeited"]),
    counterparty: z.object({ id: Id, name: Text }),
    createdAt: Instant,
    resolvedAt: Instant.nullable(),
  }),
);

export const Billing = component(
  "Billing",
  z
    .object({
      payments: z.array(Payment),
      refunds: z.array(Refund),
      holds: z.array(SecurityHold),
    })
    .describe(d("billing")),
);

export const Finance = component(
  "Finance",
  z
    .object({
      balances: z.array(z.object({ purpose: z.string(), feeType: z.string().nullable(), balance: Money })),
      pending: z.array(Payment),
      received: z.array(Payment),
      refunds: z.array(Refund),
      held: z.array(SecurityHold),
      receiptsAwaitingConfirmation: z.number().int(),
      unmatchedStatementLines: z.number().int(),
    })
    .describe(d("finance")),
);
