import { zonedToInstant } from "#app/utils/time-zones.ts";
import type { ContractTerms } from "#db/schema/contracts.ts";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import type { AmendmentChange } from "#db/schema/tenders.ts";

/** A business as the open data names it. */
export interface ProcessOrganisation {
  id: string;
  nameAr: string;
  nameEn: string;
  country: string;
}

/** A cancellation everyone may read: when, and the officer's reason. */
export interface ProcessCancellation {
  at: Date;
  reason: string;
}

/**
 * An award whose notice was published (an approval): never a recommendation
 * or one sent back. A cancelled one stays, since its notice was public.
 * Only the winner's price is here — never another bid's.
 */
export interface ProcessAward {
  id: string;
  lotId: string;
  supplier: ProcessOrganisation;
  price: bigint;
  currency: string;
  decidedAt: Date;
  noticePublishedAt: Date;
  /**
   * The periods the award was suspended by complaints, oldest first (the
   * overlapping complaints of one period merged, see AWARD_SUSPENSIONS):
   * `reinstatedAt` when it went back to approved; null while still suspended,
   * or when the period ended with the award's cancellation. Nothing of the
   * complaints themselves.
   */
  suspensions: Array<{ number: number; startedAt: Date; reinstatedAt: Date | null }>;
  cancelledAt: Date | null;
}

/**
 * A signed contract (one awaiting the supplier's acceptance or the agency's
 * signature is not in force, and not public): its terms now, the amendments
 * made after the signature (with the terms before, to show the contract as it
 * stood at an earlier date), milestones and their delivery, and the agency's
 * payments. Never the supplier's invoices themselves.
 */
export interface ProcessContract {
  id: string;
  reference: string;
  awardId: string;
  lotId: string;
  supplierId: string;
  currency: string;
  value: bigint;
  startsOn: string;
  endsOn: string;
  signedAt: Date;
  milestones: Array<{
    id: string;
    position: number;
    titleAr: string;
    titleEn: string;
    dueOn: string;
    amount: bigint;
    deliveredAt: Date | null;
  }>;
  /** Amendments after the signature, by version (2 for the first amendment of all). */
  amendments: Array<{
    version: number;
    reason: string;
    before: ContractTerms;
    after: ContractTerms;
    createdAt: Date;
  }>;
  /** Invoices paid by the agency: what was paid, when, against which milestone. */
  payments: Array<{ id: string; milestoneId: string; amount: bigint; currency: string; paidAt: Date }>;
}

/**
 * One contracting process as our tables hold it, already limited to what the
 * public may see: a published tender (never a draft or one awaiting
 * approval), its public documents, amendments and answered questions, the
 * tenderers only once the opening was confirmed by the second officer, its
 * cancellation and its lots', the awards whose notice was published and the
 * signed contracts with their payments.
 * Plain data: the builders that turn it into OCDS releases are pure.
 */
export interface TenderProcess {
  tender: {
    id: string;
    reference: string;
    titleAr: string;
    titleEn: string;
    descriptionAr: string;
    descriptionEn: string;
    method: "open" | "restricted" | "rfq";
    category: "goods" | "works" | "services";
    /** CPV codes with their English label (null when not in CPV 2008). */
    cpv: Array<{ code: string; label: string | null }>;
    currency: string;
    estimatedValue: bigint | null;
    criteria: TenderCriterion[];
    requireVerified: boolean;
    timeZone: string;
    enquiryDeadline: Date;
    submissionDeadline: Date;
    openingAt: Date;
    publishedAt: Date;
  };
  buyer: { id: string; nameAr: string; nameEn: string; country: string };
  lots: Array<{
    id: string;
    number: number;
    titleAr: string;
    titleEn: string;
    estimatedValue: bigint | null;
    /** The lot cancelled on its own (decision 017), or null. */
    cancellation: ProcessCancellation | null;
    items: Array<{
      id: string;
      descriptionAr: string;
      descriptionEn: string;
      /** Decimal text as stored (numeric(18,3)), e.g. "12500.000". */
      quantity: string;
      unit: { code: string; nameEn: string | null; nameAr: string | null };
    }>;
  }>;
  documents: Array<{
    id: string;
    title: string;
    version: number;
    sha256: string;
    mediaType: string;
    createdAt: Date;
  }>;
  amendments: Array<{
    id: string;
    number: number;
    kind: "amendment" | "extension";
    reason: string;
    changes: AmendmentChange[];
    deadlineMovedByRule: boolean;
    createdAt: Date;
  }>;
  /** Published questions and answers; never who asked. */
  enquiries: Array<{ id: string; question: string; answer: string; askedAt: Date; answeredAt: Date }>;
  /** Present only once the opening is confirmed: before it, nothing about bids exists here. */
  opening: {
    confirmedAt: Date;
    tenderers: ProcessOrganisation[];
  } | null;
  /** The tender cancelled (with every lot still open), or null. */
  cancellation: ProcessCancellation | null;
  awards: ProcessAward[];
  contracts: ProcessContract[];
}

/**
 * What happened in a process that is published as a release, one kind per
 * release builder. The keys make the release ids (`${ocid}-${key}`) and are
 * the same as the release list finds in SQL (list-releases.server.ts).
 */
export type ProcessEvent =
  | { kind: "tender"; key: string; date: Date }
  | { kind: "amendment"; key: string; date: Date; number: number }
  | { kind: "document"; key: string; date: Date; documentId: string }
  | { kind: "enquiry"; key: string; date: Date; enquiryId: string }
  | { kind: "opening"; key: string; date: Date }
  | { kind: "lotCancellation"; key: string; date: Date; lotId: string }
  | { kind: "cancellation"; key: string; date: Date }
  | { kind: "award"; key: string; date: Date; awardId: string }
  | { kind: "awardSuspension"; key: string; date: Date; awardId: string; number: number }
  | { kind: "awardReinstatement"; key: string; date: Date; awardId: string; number: number }
  | { kind: "awardCancellation"; key: string; date: Date; awardId: string }
  | { kind: "contract"; key: string; date: Date; contractId: string }
  | { kind: "contractAmendment"; key: string; date: Date; contractId: string; version: number }
  | { kind: "delivery"; key: string; date: Date; contractId: string; milestoneId: string }
  | { kind: "payment"; key: string; date: Date; contractId: string; paymentId: string };

/** Events at the same millisecond are listed in the order things happen. */
const KIND_ORDER: Record<ProcessEvent["kind"], number> = {
  tender: 0,
  amendment: 1,
  document: 2,
  enquiry: 3,
  opening: 4,
  lotCancellation: 5,
  cancellation: 6,
  award: 7,
  awardSuspension: 8,
  awardReinstatement: 9,
  awardCancellation: 10,
  contract: 11,
  contractAmendment: 12,
  delivery: 13,
  payment: 14,
};

/** The keys of the events, shared with the SQL of the release list. */
export const eventKeys = {
  lotCancellation: (lotId: string) => `lot-${lotId}-cancellation`,
  award: (awardId: string) => `award-${awardId}`,
  awardSuspension: (awardId: string, n: number) => `award-${awardId}-suspension-${n}`,
  awardReinstatement: (awardId: string, n: number) => `award-${awardId}-reinstatement-${n}`,
  awardCancellation: (awardId: string) => `award-${awardId}-cancellation`,
  contract: (contractId: string) => `contract-${contractId}`,
  contractAmendment: (contractId: string, version: number) => `contract-${contractId}-amendment-${version}`,
  delivery: (milestoneId: string) => `milestone-${milestoneId}-delivery`,
  payment: (paymentId: string) => `payment-${paymentId}`,
};

/**
 * Every event of the process, oldest first: the publication, each amendment,
 * each document added after the publication (those added before are part of
 * the tender release), each answer published, the confirmed opening, a lot's
 * or the tender's cancellation; each award notice, each suspension by
 * complaints and reinstatement, the award's cancellation; each contract's
 * signature, its amendments after the signature, each milestone delivered and
 * each payment. Times are compared to the millisecond, as the release dates
 * show them.
 */
export function processEvents(p: TenderProcess): ProcessEvent[] {
  const published = p.tender.publishedAt.getTime();
  const events: ProcessEvent[] = [{ kind: "tender", key: "tender", date: p.tender.publishedAt }];
  for (const a of p.amendments)
    events.push({ kind: "amendment", key: `amendment-${a.number}`, date: a.createdAt, number: a.number });
  for (const d of p.documents)
    if (d.createdAt.getTime() > published)
      events.push({ kind: "document", key: `document-${d.id}`, date: d.createdAt, documentId: d.id });
  for (const e of p.enquiries)
    events.push({ kind: "enquiry", key: `enquiry-${e.id}`, date: e.answeredAt, enquiryId: e.id });
  if (p.opening) events.push({ kind: "opening", key: "opening", date: p.opening.confirmedAt });
  for (const lot of p.lots)
    if (lot.cancellation)
      events.push({
        kind: "lotCancellation",
        key: eventKeys.lotCancellation(lot.id),
        date: lot.cancellation.at,
        lotId: lot.id,
      });
  if (p.cancellation) events.push({ kind: "cancellation", key: "cancellation", date: p.cancellation.at });
  for (const a of p.awards) {
    events.push({ kind: "award", key: eventKeys.award(a.id), date: a.noticePublishedAt, awardId: a.id });
    for (const s of a.suspensions) {
      events.push({
        kind: "awardSuspension",
        key: eventKeys.awardSuspension(a.id, s.number),
        date: s.startedAt,
        awardId: a.id,
        number: s.number,
      });
      if (s.reinstatedAt)
        events.push({
          kind: "awardReinstatement",
          key: eventKeys.awardReinstatement(a.id, s.number),
          date: s.reinstatedAt,
          awardId: a.id,
          number: s.number,
        });
    }
    if (a.cancelledAt)
      events.push({
        kind: "awardCancellation",
        key: eventKeys.awardCancellation(a.id),
        date: a.cancelledAt,
        awardId: a.id,
      });
  }
  for (const c of p.contracts) {
    events.push({ kind: "contract", key: eventKeys.contract(c.id), date: c.signedAt, contractId: c.id });
    for (const m of c.amendments)
      events.push({
        kind: "contractAmendment",
        key: eventKeys.contractAmendment(c.id, m.version),
        date: m.createdAt,
        contractId: c.id,
        version: m.version,
      });
    for (const m of c.milestones)
      if (m.deliveredAt)
        events.push({
          kind: "delivery",
          key: eventKeys.delivery(m.id),
          date: m.deliveredAt,
          contractId: c.id,
          milestoneId: m.id,
        });
    for (const pay of c.payments)
      events.push({
        kind: "payment",
        key: eventKeys.payment(pay.id),
        date: pay.paidAt,
        contractId: c.id,
        paymentId: pay.id,
      });
  }
  return events.sort(
    (a, b) =>
      a.date.getTime() - b.date.getTime() ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** The tender's amendable fields as they stood at a moment. */
export interface TenderFieldsAt {
  titleAr: string;
  titleEn: string;
  descriptionAr: string;
  descriptionEn: string;
  enquiryDeadline: Date;
  submissionDeadline: Date;
  openingAt: Date;
}

/** The process as the public saw it at `at`: what a release dated `at` shows, so a release never changes later. */
export interface TenderStateAt {
  /** The moment. */
  at: Date;
  fields: TenderFieldsAt;
  amendments: TenderProcess["amendments"];
  documents: TenderProcess["documents"];
  enquiries: TenderProcess["enquiries"];
  opening: TenderProcess["opening"];
  /** The tender's cancellation, once it happened. */
  cancellation: ProcessCancellation | null;
  /** The lots cancelled by then, on their own (not with the tender), by lot id. */
  lotCancellations: Map<string, ProcessCancellation>;
}

const TEXT_FIELDS = new Set(["titleAr", "titleEn", "descriptionAr", "descriptionEn"]);
const TIME_FIELDS = new Set(["enquiryDeadline", "submissionDeadline", "openingAt"]);

/** "2026-12-01 10:00 (Asia/Kuwait)", as amendments record times, back to the instant. */
export function instantOfShownTime(shown: string, zone: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) \(([^)]+)\)$/.exec(shown.trim());
  if (!m) return null;
  return zonedToInstant(`${m[1]}T${m[2]}`, m[3] ?? zone);
}

/**
 * The state at `at`: the tender's current fields with every later amendment
 * undone (newest first, from its recorded "before"), and only the documents,
 * answers and opening that existed by then. Times recorded by amendments are
 * to the minute, so an undone deadline is that minute.
 */
export function tenderStateAt(p: TenderProcess, at: Date): TenderStateAt {
  const t = at.getTime();
  const fields: TenderFieldsAt = {
    titleAr: p.tender.titleAr,
    titleEn: p.tender.titleEn,
    descriptionAr: p.tender.descriptionAr,
    descriptionEn: p.tender.descriptionEn,
    enquiryDeadline: p.tender.enquiryDeadline,
    submissionDeadline: p.tender.submissionDeadline,
    openingAt: p.tender.openingAt,
  };
  const later = p.amendments.filter((a) => a.createdAt.getTime() > t).sort((a, b) => b.number - a.number);
  for (const amendment of later)
    for (const change of amendment.changes) {
      if (TEXT_FIELDS.has(change.field))
        fields[change.field as "titleAr" | "titleEn" | "descriptionAr" | "descriptionEn"] = change.before;
      else if (TIME_FIELDS.has(change.field)) {
        const before = instantOfShownTime(change.before, p.tender.timeZone);
        if (before) fields[change.field as "enquiryDeadline" | "submissionDeadline" | "openingAt"] = before;
      }
    }
  const happened = (c: ProcessCancellation | null) => (c && c.at.getTime() <= t ? c : null);
  const lotCancellations = new Map<string, ProcessCancellation>();
  for (const lot of p.lots) {
    const c = happened(lot.cancellation);
    if (c) lotCancellations.set(lot.id, c);
  }
  return {
    at,
    fields,
    amendments: p.amendments.filter((a) => a.createdAt.getTime() <= t).sort((a, b) => a.number - b.number),
    documents: p.documents.filter((d) => d.createdAt.getTime() <= t),
    enquiries: p.enquiries.filter((e) => e.answeredAt.getTime() <= t),
    opening: p.opening && p.opening.confirmedAt.getTime() <= t ? p.opening : null,
    cancellation: happened(p.cancellation),
    lotCancellations,
  };
}
