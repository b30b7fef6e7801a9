import type { z } from "zod";
import type {
  PermitApplication,
  PermitDocumentSpec,
  PermitFieldSpec,
  PermitType,
  Tender,
  TenderCriterion,
  TenderItem,
  TenderLot,
} from "#db/schema/index.ts";
import type * as S from "./schemas.ts";

/**
 * Domain rows as the API shows them (schemas.ts): amounts as strings of minor
 * units with their currency, instants in RFC 3339 UTC, texts in both
 * languages side by side. Only what the schema names leaves the server.
 */

type Out<T extends z.ZodType> = z.input<T>;

export const money = (amount: bigint, currency: string): Out<typeof S.Money> => ({
  amount: amount.toString(),
  currency,
});

export const instant = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

export const text = (ar: string, en: string): Out<typeof S.Text> => ({ ar, en });

export function criterionView(c: TenderCriterion): Out<typeof S.Criterion> {
  return { key: c.key, name: text(c.nameAr, c.nameEn), kind: c.kind, weight: c.weight };
}

export function itemView(item: TenderItem): Out<typeof S.Item> {
  return {
    id: item.id,
    description: text(item.descriptionAr, item.descriptionEn),
    quantity: item.quantity,
    unit: item.unit,
  };
}

export function lotView(lot: TenderLot & { items: TenderItem[] }, currency: string): Out<typeof S.Lot> {
  return {
    id: lot.id,
    number: lot.number,
    title: text(lot.titleAr, lot.titleEn),
    estimatedValue: lot.estimatedValue === null ? null : money(lot.estimatedValue, currency),
    cancelled: lot.cancelledAt !== null,
    items: lot.items.map(itemView),
  };
}

export function tenderView(t: Tender): Out<typeof S.Tender> {
  return {
    id: t.id,
    reference: t.reference,
    status: t.status,
    title: text(t.titleAr, t.titleEn),
    description: text(t.descriptionAr, t.descriptionEn),
    method: t.method,
    category: t.category,
    cpvCodes: t.cpvCodes,
    currency: t.currency,
    estimatedValue: t.estimatedValue === null ? null : money(t.estimatedValue, t.currency),
    documentFee: money(t.documentFee, t.currency),
    submissionFee: money(t.submissionFee, t.currency),
    bidSecurity: money(t.bidSecurity, t.currency),
    requireVerified: t.requireVerified,
    requiresApproval: t.requiresApproval,
    requiredPermitType: t.requiredPermitType,
    timeZone: t.timeZone,
    enquiryDeadline: instant(t.enquiryDeadline),
    submissionDeadline: instant(t.submissionDeadline),
    openingAt: instant(t.openingAt),
    publishedAt: instant(t.publishedAt),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    criteria: t.criteria.map(criterionView),
  };
}

export function tenderWithLotsView(
  t: Tender,
  lots: Array<TenderLot & { items: TenderItem[] }>,
): Out<typeof S.TenderWithLots> {
  return { ...tenderView(t), lots: lots.map((l) => lotView(l, t.currency)) };
}

export function permitTypeRef(type: Pick<PermitType, "id" | "code" | "nameAr" | "nameEn">) {
  return { id: type.id, code: type.code, name: text(type.nameAr, type.nameEn) };
}

export function applicationSummaryView(
  a: PermitApplication,
  type: Pick<PermitType, "id" | "code" | "nameAr" | "nameEn">,
): Out<typeof S.ApplicationSummary> {
  return {
    id: a.id,
    reference: a.reference,
    kind: a.kind,
    status: a.status,
    permitType: permitTypeRef(type),
    createdAt: a.createdAt.toISOString(),
    submittedAt: instant(a.submittedAt),
    dueAt: instant(a.dueAt),
    decidedAt: instant(a.decidedAt),
  };
}

export function fieldView(f: PermitFieldSpec): Out<typeof S.PermitField> {
  return {
    key: f.key,
    type: f.type,
    label: text(f.labelAr, f.labelEn),
    required: f.required,
    ...(f.min === undefined ? {} : { min: f.min }),
    ...(f.max === undefined ? {} : { max: f.max }),
    ...(f.pattern === undefined ? {} : { pattern: f.pattern }),
    ...(f.options
      ? { options: f.options.map((o) => ({ value: o.value, label: text(o.labelAr, o.labelEn) })) }
      : {}),
  };
}

export interface ApplicationParts {
  application: PermitApplication;
  type: PermitType & { documents: PermitDocumentSpec[]; fields: PermitFieldSpec[] };
  documents: Array<{ key: string; name: string; sha256: string; uploadedAt: Date }>;
  fee: { amount: bigint; currency: string; paid: boolean } | null;
  permit: { id: string } | null;
  events: Array<{ kind: string; note: string | null; at: Date }>;
}

export function applicationView(parts: ApplicationParts): Out<typeof S.Application> {
  const { application: a, type } = parts;
  return {
    ...applicationSummaryView(a, type),
    fields: a.fields,
    form: type.fields.map(fieldView),
    documents: type.documents.map((d) => {
      const uploaded = parts.documents.find((u) => u.key === d.key);
      return {
        key: d.key,
        label: text(d.labelAr, d.labelEn),
        uploaded: uploaded
          ? { name: uploaded.name, sha256: uploaded.sha256, uploadedAt: uploaded.uploadedAt.toISOString() }
          : null,
      };
    }),
    fee: parts.fee ? { amount: money(parts.fee.amount, parts.fee.currency), paid: parts.fee.paid } : null,
    decisionReason: a.decisionReason,
    permitId: parts.permit?.id ?? a.permitId,
    timeline: parts.events.map((e) => ({ kind: e.kind, note: e.note, at: e.at.toISOString() })),
  };
}

interface PaymentRow {
  id: string;
  reference: string;
  feeType: string;
  subject: string | null;
  currency: string;
  amount: bigint;
  capturedAmount: bigint;
  refundedAmount: bigint;
  method: string;
  status: "pending" | "captured" | "failed";
  createdAt: Date;
  capturedAt: Date | null;
}

/** A payment, with the other party: the agency paid (for a business) or the business paying (for an agency). */
export function paymentView(
  p: PaymentRow,
  counterparty: { id: string; nameAr: string; nameEn: string },
): Out<typeof S.Payment> {
  return {
    id: p.id,
    reference: p.reference,
    feeType: p.feeType,
    subject: p.subject,
    amount: money(p.amount, p.currency),
    captured: money(p.capturedAmount, p.currency),
    refunded: money(p.refundedAmount, p.currency),
    method: p.method,
    status: p.status,
    counterparty: { id: counterparty.id, name: text(counterparty.nameAr, counterparty.nameEn) },
    createdAt: p.createdAt.toISOString(),
    capturedAt: instant(p.capturedAt),
  };
}

export function refundView(r: {
  id: string;
  paymentId: string;
  reference: string;
  amount: bigint;
  currency: string;
  reason: string;
  method: string;
  createdAt: Date;
}): Out<typeof S.Refund> {
  return {
    id: r.id,
    paymentId: r.paymentId,
    paymentReference: r.reference,
    amount: money(r.amount, r.currency),
    reason: r.reason,
    method: r.method,
    createdAt: r.createdAt.toISOString(),
  };
}

export function holdView(
  h: {
    id: string;
    subject: string;
    amount: bigint;
    currency: string;
    status: "held" | "released" | "forfeited";
    createdAt: Date;
    resolvedAt: Date | null;
  },
  counterparty: { id: string; nameAr: string; nameEn: string },
): Out<typeof S.SecurityHold> {
  return {
    id: h.id,
    subject: h.subject,
    amount: money(h.amount, h.currency),
    status: h.status,
    counterparty: { id: counterparty.id, name: text(counterparty.nameAr, counterparty.nameEn) },
    createdAt: h.createdAt.toISOString(),
    resolvedAt: instant(h.resolvedAt),
  };
}
