import { zonedToInstant } from "#app/utils/time-zones.ts";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import type { AmendmentChange } from "#db/schema/tenders.ts";

/**
 * One contracting process as our tables hold it, already limited to what the
 * public may see: a published tender (never a draft or one awaiting
 * approval), its public documents, amendments and answered questions, and the
 * tenderers only once the opening was confirmed by the second officer.
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
    tenderers: Array<{ id: string; nameAr: string; nameEn: string; country: string }>;
  } | null;
}

/**
 * What happened in a process that is published as a release. New stages
 * (awards, contracts, implementation) add kinds here and a builder each.
 */
export type ProcessEvent =
  | { kind: "tender"; key: string; date: Date }
  | { kind: "amendment"; key: string; date: Date; number: number }
  | { kind: "document"; key: string; date: Date; documentId: string }
  | { kind: "enquiry"; key: string; date: Date; enquiryId: string }
  | { kind: "opening"; key: string; date: Date };

const KIND_ORDER: Record<ProcessEvent["kind"], number> = {
  tender: 0,
  amendment: 1,
  document: 2,
  enquiry: 3,
  opening: 4,
};

/**
 * Every event of the process, oldest first: the publication, each amendment,
 * each document added after the publication (those added before are part of
 * the tender release), each answer published, and the confirmed opening.
 * Times are compared to the millisecond, as the release dates show them.
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
  fields: TenderFieldsAt;
  amendments: TenderProcess["amendments"];
  documents: TenderProcess["documents"];
  enquiries: TenderProcess["enquiries"];
  opening: TenderProcess["opening"];
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
  return {
    fields,
    amendments: p.amendments.filter((a) => a.createdAt.getTime() <= t).sort((a, b) => a.number - b.number),
    documents: p.documents.filter((d) => d.createdAt.getTime() <= t),
    enquiries: p.enquiries.filter((e) => e.answeredAt.getTime() <= t),
    opening: p.opening && p.opening.confirmedAt.getTime() <= t ? p.opening : null,
  };
}
