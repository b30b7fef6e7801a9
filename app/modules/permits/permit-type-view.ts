import { DOCUMENT_TYPES, labelOfMediaType } from "#app/modules/files/media-types.ts";
import { formatRate } from "#app/modules/payments/fee-calculation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import type { PermitFieldType } from "#db/schema/permit-kinds.ts";
import type { CatalogueEntry } from "./permit-catalogue.server.ts";

/**
 * A catalogue entry as the pages show it, in the reader's language: plain
 * strings and numbers only (no bigint, no dates), ready for loader data.
 */
export interface PermitTypeView {
  id: string;
  code: string;
  name: string;
  /** The other language's name, for pages that show both. */
  otherName: string;
  description: string;
  /** The description's first paragraph, for lists. */
  summary: string;
  agencyId: string;
  agency: string;
  active: boolean;
  parent: { id: string; code: string; name: string } | null;
  requireVerified: boolean;
  /** Sector keys (labels are translated: `sectors.<key>`); empty: any sector. */
  sectors: string[];
  documents: Array<{ key: string; label: string; formats: string }>;
  fields: Array<{
    key: string;
    label: string;
    type: PermitFieldType;
    required: boolean;
    min: number | null;
    max: number | null;
    pattern: string | null;
    options: string[];
  }>;
  checklist: string[];
  serviceLevelDays: number;
  validityMonths: number;
  renewalWindowDays: number;
  gracePeriodDays: number;
  inspectionRequired: boolean;
  secondApprovalRequired: boolean;
  fee:
    | { kind: "fixed"; amount: string }
    | { kind: "percentage"; rate: string; minimum: string | null; maximum: string | null }
    | null;
}

export function permitTypeView(entry: CatalogueEntry, lang: string): PermitTypeView {
  const ar = lang === "ar";
  const pick = (x: { nameAr: string; nameEn: string }) => (ar ? x.nameAr : x.nameEn);
  const label = (x: { labelAr: string; labelEn: string }) => (ar ? x.labelAr : x.labelEn);
  const list = (items: string[]) => items.join(ar ? "، " : ", ");
  const { type, fee } = entry;
  const description = (ar ? type.descriptionAr : type.descriptionEn).trim();
  const money = (amount: bigint | null) => (amount === null ? null : moneyText(amount, fee!.currency, lang));
  return {
    id: type.id,
    code: type.code,
    name: pick(type),
    otherName: ar ? type.nameEn : type.nameAr,
    description,
    summary: description.split(/\n\s*\n/)[0] ?? "",
    agencyId: entry.agency.id,
    agency: pick(entry.agency),
    active: type.active,
    parent: entry.parent ? { id: entry.parent.id, code: entry.parent.code, name: pick(entry.parent) } : null,
    requireVerified: type.requireVerified,
    sectors: type.eligibleSectors,
    documents: type.documents.map((d) => ({
      key: d.key,
      label: label(d),
      formats: list((d.mediaTypes.length ? d.mediaTypes : [...DOCUMENT_TYPES]).map(labelOfMediaType)),
    })),
    fields: type.fields.map((f) => ({
      key: f.key,
      label: label(f),
      type: f.type,
      required: f.required,
      min: f.min ?? null,
      max: f.max ?? null,
      pattern: f.pattern ?? null,
      options: (f.options ?? []).map(label),
    })),
    checklist: type.checklist.map(label),
    serviceLevelDays: type.serviceLevelDays,
    validityMonths: type.validityMonths,
    renewalWindowDays: type.renewalWindowDays,
    gracePeriodDays: type.gracePeriodDays,
    inspectionRequired: type.inspectionRequired,
    secondApprovalRequired: type.secondApprovalRequired,
    fee: !fee
      ? null
      : fee.calculation === "fixed" && fee.amount !== null
        ? { kind: "fixed", amount: money(fee.amount)! }
        : {
            kind: "percentage",
            rate: formatRate(fee.rateBasisPoints ?? 0),
            minimum: money(fee.minimum),
            maximum: money(fee.maximum),
          },
  };
}
