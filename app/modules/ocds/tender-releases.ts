import { awardsSection, supplierParties } from "./award-section.ts";
import { contractsSection, paymentRoles } from "./contract-section.ts";
import { ocidOf, releaseIdOf } from "./ids.ts";
import type {
  OcdsAmendment,
  OcdsDocument,
  OcdsItem,
  OcdsParty,
  OcdsRelease,
  OcdsReleaseTag,
  OcdsTender,
} from "./ocds-types.ts";
import {
  type ProcessEvent,
  processEvents,
  type TenderProcess,
  type TenderStateAt,
  tenderStateAt,
} from "./tender-process.ts";
import { countryName, isoDate, ocdsValue } from "./values.ts";

/**
 * Builders of OCDS 1.1 releases, one per release kind: the tender at its
 * publication (tag "tender"), each amendment ("tenderAmendment"), later news
 * of the same tender — a document added, an answer published, the opening
 * confirmed, a lot cancelled — ("tenderUpdate"), the tender cancelled
 * ("tenderCancellation"); an award's notice ("award"), its suspension by a
 * complaint and reinstatement ("awardUpdate"), its cancellation
 * ("awardCancellation"); a contract signed ("contract"), amended after the
 * signature ("contractAmendment"), a milestone delivered or a payment made
 * ("implementation"). Each release is the whole process as the public saw it
 * at the release's date (see tenderStateAt, award-section.ts and
 * contract-section.ts), so a release never changes once out.
 *
 * Sealed until the opening: numberOfTenderers, tenderers and tenderer
 * parties exist only in releases dated at or after the confirmed opening.
 * The only prices ever published are the winners' (awards[].value); no bids
 * section, no losing price, nothing of a complaint but the award's status.
 */

export interface OcdsContext {
  /** OCDS_PREFIX. */
  prefix: string;
  /** Absolute base of our public URLs, without a trailing slash. */
  baseUrl: string;
}

const METHOD: Record<TenderProcess["tender"]["method"], { code: string; details: string }> = {
  open: { code: "open", details: "Open tender: any eligible business may bid." },
  restricted: {
    code: "selective",
    details: "Restricted tender: only invited, qualified businesses may bid.",
  },
  rfq: { code: "limited", details: "Request for quotations from businesses chosen by the agency." },
};

/** The label of an amended field in the amendment's description. */
const FIELD_LABEL: Record<string, string> = {
  titleEn: "Title (English)",
  titleAr: "Title (Arabic)",
  descriptionEn: "Description (English)",
  descriptionAr: "Description (Arabic)",
  enquiryDeadline: "Enquiry deadline",
  submissionDeadline: "Submission deadline",
  openingAt: "Opening of bids",
};

/** What changed, in words: titles and times with before and after; long texts named only (the releases hold both). */
export function amendmentDescription(a: TenderProcess["amendments"][number]): string {
  const parts = a.changes.map((c) => {
    const label = FIELD_LABEL[c.field] ?? c.field;
    if (c.field.startsWith("description")) return `${label} changed`;
    return `${label} changed from "${c.before}" to "${c.after}"`;
  });
  const head = a.kind === "extension" ? "Deadline extension. " : "";
  const rule = a.deadlineMovedByRule
    ? " The submission deadline was moved so bidders keep the minimum time after an amendment."
    : "";
  return `${head}${parts.join("; ")}.${rule}`;
}

function awardCriteria(p: TenderProcess): Pick<OcdsTender, "awardCriteria" | "awardCriteriaDetails"> & {
  awardCriteriaDetails_ar?: string;
} {
  const criteria = p.tender.criteria;
  if (criteria.length === 0) return {};
  const scored = criteria.filter((c) => c.kind !== "pass_fail");
  const details = (lang: "en" | "ar") => {
    const name = (c: (typeof criteria)[number]) => (lang === "en" ? c.nameEn : c.nameAr);
    const passFail = criteria.filter((c) => c.kind === "pass_fail").map(name);
    const weighted = scored.map((c) => `${name(c)} ${c.weight}%`);
    return lang === "en"
      ? [passFail.length ? `Pass/fail: ${passFail.join(", ")}.` : "", `Scored: ${weighted.join(", ")}.`]
          .filter(Boolean)
          .join(" ")
      : [passFail.length ? `نجاح/رسوب: ${passFail.join("، ")}.` : "", `بالنقاط: ${weighted.join("، ")}.`]
          .filter(Boolean)
          .join(" ");
  };
  return {
    awardCriteria: scored.some((c) => c.kind === "technical") ? "ratedCriteria" : "priceOnly",
    awardCriteriaDetails: details("en"),
    awardCriteriaDetails_ar: details("ar"),
  };
}

function items(p: TenderProcess): OcdsItem[] {
  const [main, ...others] = p.tender.cpv.map((c) => ({
    scheme: "CPV",
    id: c.code,
    ...(c.label ? { description: c.label } : {}),
  }));
  return p.lots.flatMap((lot) =>
    lot.items.map((item) => ({
      id: item.id,
      description: item.descriptionEn,
      description_ar: item.descriptionAr,
      ...(main ? { classification: main } : {}),
      ...(others.length ? { additionalClassifications: others } : {}),
      quantity: Number(item.quantity),
      unit: {
        scheme: "UNCEFACT",
        id: item.unit.code,
        ...(item.unit.nameEn ? { name: item.unit.nameEn } : {}),
        ...(item.unit.nameAr ? { name_ar: item.unit.nameAr } : {}),
      },
      relatedLot: lot.id,
    })),
  );
}

function documents(p: TenderProcess, s: TenderStateAt, ctx: OcdsContext): OcdsDocument[] {
  const published = p.tender.publishedAt;
  return [
    {
      id: "tender-notice",
      documentType: "tenderNotice",
      title: "Tender notice",
      description: "The public page of the tender on Shafaf, in Arabic and English.",
      url: `${ctx.baseUrl}/tenders/${p.tender.id}`,
      datePublished: isoDate(published),
      format: "text/html",
    },
    ...s.documents.map((d) => ({
      id: d.id,
      documentType: "biddingDocuments",
      title: d.title,
      description: `Version ${d.version}. SHA-256 of the file: ${d.sha256}`,
      url: `${ctx.baseUrl}/tenders/${p.tender.id}/documents/${d.id}`,
      // A document attached to the draft became public with the tender.
      datePublished: isoDate(new Date(Math.max(d.createdAt.getTime(), published.getTime()))),
      format: d.mediaType,
    })),
    ...[...s.lotCancellations.entries()].map(([lotId, c]) => {
      const lot = p.lots.find((l) => l.id === lotId)!;
      return {
        id: `lot-${lotId}-cancellation`,
        documentType: "cancellationDetails",
        title: `Cancellation of lot ${lot.number}: ${lot.titleEn}`,
        description: c.reason,
        url: `${ctx.baseUrl}/tenders/${p.tender.id}`,
        datePublished: isoDate(c.at),
        format: "text/html",
        relatedLots: [lotId],
      };
    }),
    ...(s.cancellation
      ? [
          {
            id: "cancellation",
            documentType: "cancellationDetails",
            title: "Cancellation of the tender",
            description: s.cancellation.reason,
            url: `${ctx.baseUrl}/tenders/${p.tender.id}`,
            datePublished: isoDate(s.cancellation.at),
            format: "text/html",
          },
        ]
      : []),
  ];
}

function amendments(s: TenderStateAt, events: ProcessEvent[], ocid: string): OcdsAmendment[] {
  return s.amendments.map((a) => {
    const key = `amendment-${a.number}`;
    const at = events.findIndex((e) => e.key === key);
    const before = at > 0 ? events[at - 1] : undefined;
    return {
      id: String(a.number),
      date: isoDate(a.createdAt),
      rationale: a.reason,
      description: amendmentDescription(a),
      ...(before ? { amendsReleaseID: releaseIdOf(ocid, before.key) } : {}),
      releaseID: releaseIdOf(ocid, key),
    };
  });
}

/** The tender section as the public saw it at the state's moment. */
export function tenderSection(
  p: TenderProcess,
  s: TenderStateAt,
  events: ProcessEvent[],
  ctx: OcdsContext,
): OcdsTender {
  const t = p.tender;
  const f = s.fields;
  const ocid = ocidOf(ctx.prefix, t.id);
  const opened = s.opening;
  const section: OcdsTender = {
    id: t.reference,
    title: f.titleEn,
    title_ar: f.titleAr,
    ...(f.descriptionEn ? { description: f.descriptionEn } : {}),
    ...(f.descriptionAr ? { description_ar: f.descriptionAr } : {}),
    status: s.cancellation ? "cancelled" : "active",
    procuringEntity: { id: p.buyer.id, name: p.buyer.nameEn },
    items: items(p),
    lots: p.lots.map((lot) => ({
      id: lot.id,
      title: lot.titleEn,
      title_ar: lot.titleAr,
      status: s.cancellation || s.lotCancellations.has(lot.id) ? "cancelled" : "active",
      ...(lot.estimatedValue !== null ? { value: ocdsValue(lot.estimatedValue, t.currency) } : {}),
    })),
    ...(t.estimatedValue !== null ? { value: ocdsValue(t.estimatedValue, t.currency) } : {}),
    procurementMethod: METHOD[t.method].code,
    procurementMethodDetails: METHOD[t.method].details,
    mainProcurementCategory: t.category,
    ...awardCriteria(p),
    submissionMethod: ["electronicSubmission"],
    submissionMethodDetails: `Sealed electronic bids on Shafaf: ${ctx.baseUrl}/tenders/${t.id}`,
    tenderPeriod: { startDate: isoDate(t.publishedAt), endDate: isoDate(f.submissionDeadline) },
    enquiryPeriod: { startDate: isoDate(t.publishedAt), endDate: isoDate(f.enquiryDeadline) },
    hasEnquiries: s.enquiries.length > 0,
    ...(t.requireVerified
      ? {
          eligibilityCriteria: "Only businesses verified on Shafaf may bid.",
          eligibilityCriteria_ar: "يقتصر تقديم العطاءات على الشركات الموثقة في شفاف.",
        }
      : {}),
    milestones: [
      {
        id: "bid-opening",
        title: "Public opening of the sealed bids",
        title_ar: "فتح العطاءات المختومة علنًا",
        type: "assessment",
        code: "bidOpening",
        dueDate: isoDate(f.openingAt),
        status: opened ? "met" : "scheduled",
        ...(opened ? { dateMet: isoDate(opened.confirmedAt) } : {}),
      },
    ],
    documents: documents(p, s, ctx),
  };
  if (s.amendments.length) section.amendments = amendments(s, events, ocid);
  if (s.enquiries.length)
    section.enquiries = s.enquiries.map((e) => ({
      id: e.id,
      date: isoDate(e.askedAt),
      description: e.question,
      answer: e.answer,
      dateAnswered: isoDate(e.answeredAt),
    }));
  if (opened) {
    section.numberOfTenderers = opened.tenderers.length;
    section.tenderers = opened.tenderers.map((b) => ({ id: b.id, name: b.nameEn }));
  }
  return section;
}

/**
 * The parties known at the state's moment, each once with all its roles: the
 * agency (buyer, procuring entity, and payer once it paid under a contract),
 * the tenderers once the opening is confirmed, the suppliers of the awards
 * published (payee once paid).
 */
function parties(p: TenderProcess, s: TenderStateAt): OcdsParty[] {
  const pay = paymentRoles(p, s);
  const buyer: OcdsParty = {
    id: p.buyer.id,
    name: p.buyer.nameEn,
    name_ar: p.buyer.nameAr,
    address: { countryName: countryName(p.buyer.country) },
    roles: ["buyer", "procuringEntity", ...(pay.payer ? ["payer"] : [])],
  };
  const others = new Map<string, OcdsParty>();
  for (const b of s.opening?.tenderers ?? [])
    others.set(b.id, {
      id: b.id,
      name: b.nameEn,
      name_ar: b.nameAr,
      address: { countryName: countryName(b.country) },
      roles: ["tenderer"],
    });
  for (const supplier of supplierParties(p, s)) {
    const known = others.get(supplier.id);
    if (known) known.roles.push("supplier");
    else others.set(supplier.id, supplier);
  }
  for (const id of pay.payees) others.get(id)?.roles.push("payee");
  return [buyer, ...others.values()];
}

/**
 * A release of the process dated by one of its events: the tender section,
 * and the awards and contracts sections once there are any, all as the public
 * saw them at that date (so a release never changes once out).
 */
function processRelease(
  p: TenderProcess,
  event: ProcessEvent,
  tag: OcdsReleaseTag[],
  ctx: OcdsContext,
): OcdsRelease {
  const ocid = ocidOf(ctx.prefix, p.tender.id);
  const state = tenderStateAt(p, event.date);
  const events = processEvents(p);
  const awards = awardsSection(p, state, ctx);
  const contracts = contractsSection(p, state, ctx, {
    releaseIdOfKey: (key) => releaseIdOf(ocid, key),
    previousKey: (key) => {
      const at = events.findIndex((e) => e.key === key);
      return at > 0 ? events[at - 1]!.key : undefined;
    },
  });
  return {
    ocid,
    id: releaseIdOf(ocid, event.key),
    date: isoDate(event.date),
    tag,
    initiationType: "tender",
    language: "en",
    parties: parties(p, state),
    buyer: { id: p.buyer.id, name: p.buyer.nameEn },
    tender: tenderSection(p, state, events, ctx),
    ...(awards ? { awards } : {}),
    ...(contracts ? { contracts } : {}),
  };
}

function eventOf<K extends ProcessEvent["kind"]>(
  p: TenderProcess,
  kind: K,
  match: (e: Extract<ProcessEvent, { kind: K }>) => boolean = () => true,
): Extract<ProcessEvent, { kind: K }> {
  const event = processEvents(p).find(
    (e): e is Extract<ProcessEvent, { kind: K }> =>
      e.kind === kind && match(e as Extract<ProcessEvent, { kind: K }>),
  );
  if (!event) throw new Error(`no ${kind} event of tender ${p.tender.id} like that`);
  return event;
}

/** The release of the tender's publication. */
export function buildTenderRelease(p: TenderProcess, ctx: OcdsContext): OcdsRelease {
  return processRelease(p, eventOf(p, "tender"), ["tender"], ctx);
}

/** The release of amendment `number` (an amendment or a deadline extension). */
export function buildTenderAmendmentRelease(p: TenderProcess, number: number, ctx: OcdsContext): OcdsRelease {
  return processRelease(
    p,
    eventOf(p, "amendment", (e) => e.number === number),
    ["tenderAmendment"],
    ctx,
  );
}

/**
 * A tender update: a document added or an answer published after the
 * publication, the confirmed opening, or one lot cancelled (its status
 * `cancelled`, the reason in a cancellationDetails document).
 */
export function buildTenderUpdateRelease(
  p: TenderProcess,
  event: Extract<ProcessEvent, { kind: "document" | "enquiry" | "opening" | "lotCancellation" }>,
  ctx: OcdsContext,
): OcdsRelease {
  return processRelease(p, event, ["tenderUpdate"], ctx);
}

/** The tender cancelled: tender.status `cancelled`, the officer's reason in a cancellationDetails document. */
export function buildTenderCancellationRelease(p: TenderProcess, ctx: OcdsContext): OcdsRelease {
  return processRelease(p, eventOf(p, "cancellation"), ["tenderCancellation"], ctx);
}

/** An award's notice published (its approval): the award `active`, its supplier a party. */
export function buildAwardRelease(p: TenderProcess, awardId: string, ctx: OcdsContext): OcdsRelease {
  return processRelease(
    p,
    eventOf(p, "award", (e) => e.awardId === awardId),
    ["award"],
    ctx,
  );
}

/** An award suspended by a complaint (`pending`) or reinstated after its review (`active`). */
export function buildAwardUpdateRelease(
  p: TenderProcess,
  event: Extract<ProcessEvent, { kind: "awardSuspension" | "awardReinstatement" }>,
  ctx: OcdsContext,
): OcdsRelease {
  return processRelease(p, event, ["awardUpdate"], ctx);
}

/** An award cancelled (with its tender or lot, or sent back after a review): status `cancelled`. */
export function buildAwardCancellationRelease(
  p: TenderProcess,
  awardId: string,
  ctx: OcdsContext,
): OcdsRelease {
  return processRelease(
    p,
    eventOf(p, "awardCancellation", (e) => e.awardId === awardId),
    ["awardCancellation"],
    ctx,
  );
}

/** A contract signed by the agency after the supplier's acceptance: the contract, `active`. */
export function buildContractRelease(p: TenderProcess, contractId: string, ctx: OcdsContext): OcdsRelease {
  return processRelease(
    p,
    eventOf(p, "contract", (e) => e.contractId === contractId),
    ["contract"],
    ctx,
  );
}

/** A signed contract amended: its terms after, and the amendment with its reason and what changed. */
export function buildContractAmendmentRelease(
  p: TenderProcess,
  contractId: string,
  version: number,
  ctx: OcdsContext,
): OcdsRelease {
  return processRelease(
    p,
    eventOf(p, "contractAmendment", (e) => e.contractId === contractId && e.version === version),
    ["contractAmendment"],
    ctx,
  );
}

/** Implementation: a milestone delivered (status `met`) or a payment made by the agency (a transaction). */
export function buildImplementationRelease(
  p: TenderProcess,
  event: Extract<ProcessEvent, { kind: "delivery" | "payment" }>,
  ctx: OcdsContext,
): OcdsRelease {
  return processRelease(p, event, ["implementation"], ctx);
}

/** The release of one event of the process, by its kind. */
export function buildRelease(p: TenderProcess, event: ProcessEvent, ctx: OcdsContext): OcdsRelease {
  switch (event.kind) {
    case "tender":
      return buildTenderRelease(p, ctx);
    case "amendment":
      return buildTenderAmendmentRelease(p, event.number, ctx);
    case "document":
    case "enquiry":
    case "opening":
    case "lotCancellation":
      return buildTenderUpdateRelease(p, event, ctx);
    case "cancellation":
      return buildTenderCancellationRelease(p, ctx);
    case "award":
      return buildAwardRelease(p, event.awardId, ctx);
    case "awardSuspension":
    case "awardReinstatement":
      return buildAwardUpdateRelease(p, event, ctx);
    case "awardCancellation":
      return buildAwardCancellationRelease(p, event.awardId, ctx);
    case "contract":
      return buildContractRelease(p, event.contractId, ctx);
    case "contractAmendment":
      return buildContractAmendmentRelease(p, event.contractId, event.version, ctx);
    case "delivery":
    case "payment":
      return buildImplementationRelease(p, event, ctx);
  }
}

/** Every release of the process, oldest first (the order a record lists them in). */
export function buildReleases(p: TenderProcess, ctx: OcdsContext): OcdsRelease[] {
  return processEvents(p).map((event) => buildRelease(p, event, ctx));
}
