import type { TFunction } from "i18next";
import { z } from "zod";
import { SECTORS } from "#app/modules/accounts/countries.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import {
  PERMIT_FIELD_TYPES,
  type PermitChecklistItem,
  type PermitDocumentSpec,
  type PermitFieldSpec,
} from "#db/schema/permit-kinds.ts";

/**
 * What a permit type may say, checked the same way for the catalogue pages,
 * the module (any other caller) and the demo seed. Pure: no database. The
 * checks that need one (the code is free, the parent exists, no cycle) are in
 * permit-catalogue.server.ts.
 *
 * Messages are i18n keys, `key|{"param":1}` when they have placeholders (the
 * convention of app/utils/forms.server.ts); `errorsOf` translates them.
 */

/**
 * A permit type's code: what tenders and the fee schedule name it by. The
 * database allows up to 63 characters; the fee schedule and a tender's
 * required permit take 60, so a code the catalogue accepts can always be
 * charged for and required.
 */
export const PERMIT_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,59}$/;
/** The key of a field, document or checklist item: it names the answer in the application. */
export const SPEC_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
/** A select option's stored value. */
export const OPTION_VALUE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const PERMIT_TYPE_LIMITS = {
  serviceLevelDays: { min: 1, max: 365 },
  validityMonths: { min: 1, max: 120 },
  renewalWindowDays: { min: 0, max: 365 },
  gracePeriodDays: { min: 0, max: 365 },
  name: 200,
  description: 10_000,
  label: 200,
  pattern: 200,
  /** The longest text answer a field may allow. */
  textLength: 4000,
  fields: 40,
  documents: 20,
  checklist: 40,
  options: 50,
} as const;

/** The rows a list may hold, however many a form posts. */
export type SpecList = "fields" | "documents" | "checklist";
export const SPEC_LISTS: readonly SpecList[] = ["fields", "documents", "checklist"];

const msg = (key: string, params?: Record<string, string | number>) =>
  params ? `permitCatalogue.errors.${key}|${JSON.stringify(params)}` : `permitCatalogue.errors.${key}`;

/** Arabic-Indic and Persian digits as ASCII, so "١٢" is read as 12. */
export function asciiDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x6f0))
    .replace(/\u066b/g, ".");
}

/** A form string as a number: blank is undefined, anything not a plain decimal is NaN. */
function numberOf(value: unknown, integer: boolean): unknown {
  if (typeof value !== "string") return value;
  const text = asciiDigits(value.trim());
  if (text === "") return undefined;
  return (integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/).test(text) ? Number(text) : Number.NaN;
}

const wholeNumber = (bounds: { min: number; max: number }) =>
  z.preprocess(
    (v) => numberOf(v, true),
    z
      .number({
        error: (issue) => (issue.input === undefined ? msg("required") : msg("wholeNumber", bounds)),
      })
      .int(msg("wholeNumber", bounds))
      .min(bounds.min, msg("wholeNumber", bounds))
      .max(bounds.max, msg("wholeNumber", bounds)),
  );

const optionalNumber = z.preprocess(
  (v) => numberOf(v, false),
  z
    .number({ error: msg("number") })
    .refine(Number.isFinite, msg("number"))
    .optional(),
);

const requiredText = (max: number) =>
  z
    .string({ error: msg("required") })
    .trim()
    .min(1, msg("required"))
    .max(max, msg("tooLong", { max }));
const optionalText = (max: number) =>
  z.string().trim().max(max, msg("tooLong", { max })).optional().default("");
const flag = (fallback: boolean) => z.boolean().optional().default(fallback);

const specKey = z
  .string({ error: msg("required") })
  .trim()
  .min(1, msg("required"))
  .regex(SPEC_KEY_PATTERN, msg("keyFormat"));

const OptionInput = z.object({
  value: z.string().trim().regex(OPTION_VALUE_PATTERN, msg("optionValue")),
  labelAr: requiredText(PERMIT_TYPE_LIMITS.label),
  labelEn: requiredText(PERMIT_TYPE_LIMITS.label),
});

/** Whether `source` compiles as a JavaScript regular expression (the application form uses it so). */
export function isValidPattern(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const FieldSpecInput = z
  .object({
    key: specKey,
    type: z.enum(PERMIT_FIELD_TYPES, { error: msg("fieldType") }),
    labelAr: requiredText(PERMIT_TYPE_LIMITS.label),
    labelEn: requiredText(PERMIT_TYPE_LIMITS.label),
    required: flag(false),
    min: optionalNumber,
    max: optionalNumber,
    pattern: z
      .string()
      .trim()
      .max(PERMIT_TYPE_LIMITS.pattern, msg("tooLong", { max: PERMIT_TYPE_LIMITS.pattern }))
      .optional()
      .default(""),
    options: z
      .array(OptionInput)
      .max(PERMIT_TYPE_LIMITS.options, msg("tooMany", { max: PERMIT_TYPE_LIMITS.options }))
      .optional()
      .default([]),
  })
  .superRefine((f, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const text = f.type === "text" || f.type === "textarea";
    if (f.type === "date" || f.type === "select") {
      if (f.min !== undefined) issue("min", msg("boundsNotForType"));
      if (f.max !== undefined) issue("max", msg("boundsNotForType"));
    }
    if (text) {
      const length = { max: PERMIT_TYPE_LIMITS.textLength };
      for (const bound of ["min", "max"] as const) {
        const n = f[bound];
        if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > length.max))
          issue(bound, msg("lengthBound", length));
      }
      if (f.max === 0) issue("max", msg("lengthBound", length));
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) issue("max", msg("minAboveMax"));
    if (f.pattern) {
      if (!text) issue("pattern", msg("patternNotForType"));
      else if (!isValidPattern(f.pattern)) issue("pattern", msg("patternInvalid"));
    }
    if (f.type === "select") {
      if (f.options.length === 0) issue("options", msg("optionsRequired"));
      const seen = new Set<string>();
      f.options.forEach((o, i) => {
        if (seen.has(o.value))
          ctx.addIssue({
            code: "custom",
            path: ["options", i, "value"],
            message: msg("optionDuplicate", { value: o.value }),
          });
        seen.add(o.value);
      });
    } else if (f.options.length > 0) issue("options", msg("optionsNotForType"));
  })
  .transform((f): PermitFieldSpec => {
    const spec: PermitFieldSpec = {
      key: f.key,
      type: f.type,
      labelAr: f.labelAr,
      labelEn: f.labelEn,
      required: f.required,
    };
    if (f.min !== undefined) spec.min = f.min;
    if (f.max !== undefined) spec.max = f.max;
    if (f.pattern) spec.pattern = f.pattern;
    if (f.type === "select") spec.options = f.options;
    return spec;
  });

const DocumentSpecInput = z
  .object({
    key: specKey,
    labelAr: requiredText(PERMIT_TYPE_LIMITS.label),
    labelEn: requiredText(PERMIT_TYPE_LIMITS.label),
    mediaTypes: z
      .array(z.string().refine((m) => (DOCUMENT_TYPES as readonly string[]).includes(m), msg("mediaType")))
      .optional()
      .default([]),
  })
  .transform(
    (d): PermitDocumentSpec => ({
      key: d.key,
      labelAr: d.labelAr,
      labelEn: d.labelEn,
      // In the platform's order, once each.
      mediaTypes: DOCUMENT_TYPES.filter((m) => d.mediaTypes.includes(m)),
    }),
  );

const ChecklistItemInput = z.object({
  key: specKey,
  labelAr: requiredText(PERMIT_TYPE_LIMITS.label),
  labelEn: requiredText(PERMIT_TYPE_LIMITS.label),
}) satisfies z.ZodType<PermitChecklistItem>;

/** A list of rows whose keys are unique (the duplicate is named beside the second one). */
const uniqueKeys = <T extends z.ZodType<{ key: string }>>(row: T, max: number) =>
  z
    .array(row)
    .max(max, msg("tooMany", { max }))
    .optional()
    .default([])
    .superRefine((rows, ctx) => {
      const seen = new Set<string>();
      rows.forEach((r, i) => {
        if (seen.has(r.key))
          ctx.addIssue({ code: "custom", path: [i, "key"], message: msg("keyDuplicate", { key: r.key }) });
        seen.add(r.key);
      });
    });

const detailsShape = {
  nameAr: requiredText(PERMIT_TYPE_LIMITS.name),
  nameEn: requiredText(PERMIT_TYPE_LIMITS.name),
  descriptionAr: optionalText(PERMIT_TYPE_LIMITS.description),
  descriptionEn: optionalText(PERMIT_TYPE_LIMITS.description),
  eligibleSectors: z
    .array(z.string().refine((s) => (SECTORS as readonly string[]).includes(s), msg("sector")))
    .optional()
    .default([])
    .transform((list) => SECTORS.filter((s) => list.includes(s))),
  requireVerified: flag(true),
  /** The code of the licence an applicant must already hold; blank: none. */
  parentCode: z
    .string()
    .trim()
    .optional()
    .nullable()
    .transform((v) => v || null)
    .refine((v) => v === null || PERMIT_CODE_PATTERN.test(v), msg("parentCode")),
  fields: uniqueKeys(FieldSpecInput, PERMIT_TYPE_LIMITS.fields),
  documents: uniqueKeys(DocumentSpecInput, PERMIT_TYPE_LIMITS.documents),
  checklist: uniqueKeys(ChecklistItemInput, PERMIT_TYPE_LIMITS.checklist),
  serviceLevelDays: wholeNumber(PERMIT_TYPE_LIMITS.serviceLevelDays),
  inspectionRequired: flag(false),
  secondApprovalRequired: flag(false),
  validityMonths: wholeNumber(PERMIT_TYPE_LIMITS.validityMonths),
  renewalWindowDays: wholeNumber(PERMIT_TYPE_LIMITS.renewalWindowDays),
  gracePeriodDays: wholeNumber(PERMIT_TYPE_LIMITS.gracePeriodDays),
  active: flag(true),
};

type Details = z.output<z.ZodObject<typeof detailsShape>>;

/** Renewal must not open before the permit has run most of its course: the window is shorter than the validity. */
function windowWithinValidity(
  d: Pick<Details, "renewalWindowDays" | "validityMonths">,
  ctx: z.RefinementCtx,
) {
  if (
    typeof d.renewalWindowDays === "number" &&
    typeof d.validityMonths === "number" &&
    d.renewalWindowDays >= d.validityMonths * 28
  )
    ctx.addIssue({ code: "custom", path: ["renewalWindowDays"], message: msg("renewalWindowTooLong") });
}

/** Everything an edit may change (the code and the agency stay as created). */
export const PermitTypeDetailsInput = z.object(detailsShape).superRefine(windowWithinValidity);

/** A new permit type: its details, its code and (for the platform admin) the agency that issues it. */
export const PermitTypeCreateInput = z
  .object({
    ...detailsShape,
    code: z
      .string({ error: msg("required") })
      .trim()
      .min(1, msg("required"))
      .regex(PERMIT_CODE_PATTERN, msg("codeFormat")),
    agencyId: z.uuid(msg("agency")).optional(),
  })
  .superRefine((d, ctx) => {
    windowWithinValidity(d, ctx);
    if (d.parentCode !== null && d.parentCode === d.code)
      ctx.addIssue({ code: "custom", path: ["parentCode"], message: msg("parentSelf") });
  });

export type PermitTypeDetails = z.input<typeof PermitTypeDetailsInput>;
export type PermitTypeDetailsValue = z.output<typeof PermitTypeDetailsInput>;
export type PermitTypeCreate = z.input<typeof PermitTypeCreateInput>;
export type PermitTypeCreateValue = z.output<typeof PermitTypeCreateInput>;

/** One problem with the input: where (a dotted path that is also the form control's id) and the message key. */
export interface FormIssue {
  path: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: FormIssue[] };

export function issuesOf(error: z.ZodError): FormIssue[] {
  return error.issues.map((i) => ({
    // A ticked value that is not allowed is about the group of boxes, not one of them.
    path:
      i.path
        .map(String)
        .join(".")
        .replace(/^(eligibleSectors|documents\.\d+\.mediaTypes)\.\d+$/, "$1") || "form",
    message: i.message.startsWith("permitCatalogue.") ? i.message : msg("invalid"),
  }));
}

export function checkCreate(input: unknown): Checked<PermitTypeCreateValue> {
  const r = PermitTypeCreateInput.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: issuesOf(r.error) };
}

export function checkDetails(input: unknown): Checked<PermitTypeDetailsValue> {
  const r = PermitTypeDetailsInput.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: issuesOf(r.error) };
}

/** The controls in the order the form shows them, so the error summary reads top to bottom. */
const CONTROL_ORDER = [
  "form",
  "agencyId",
  "code",
  "nameAr",
  "nameEn",
  "descriptionAr",
  "descriptionEn",
  "parentCode",
  "requireVerified",
  "eligibleSectors",
  "serviceLevelDays",
  "validityMonths",
  "renewalWindowDays",
  "gracePeriodDays",
  "fields",
  "documents",
  "checklist",
];
const ROW_ORDER = ["key", "type", "labelAr", "labelEn", "min", "max", "pattern", "options", "mediaTypes"];

function orderOf(path: string): number[] {
  const [head = "", index, prop] = path.split(".");
  const at = (list: string[], v: string | undefined) => (v === undefined ? -1 : list.indexOf(v) + 1 || 99);
  return [at(CONTROL_ORDER, head), index === undefined ? -1 : Number(index), at(ROW_ORDER, prop)];
}

function byFormOrder(a: string, b: string): number {
  const x = orderOf(a);
  const y = orderOf(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Messages by control id, translated, the first problem of each control only, in the form's order. */
export function errorsOf(issues: readonly FormIssue[], t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of [...issues].sort((a, b) => byFormOrder(a.path, b.path))) {
    if (errors[issue.path]) continue;
    const [key, params] = issue.message.split("|", 2);
    errors[issue.path] = String(t(key ?? "errors.VALIDATION", params ? JSON.parse(params) : {}));
  }
  return errors;
}

const LABELS: Record<string, string> = {
  agencyId: "agencyLabel",
  code: "codeLabel",
  nameAr: "nameAr",
  nameEn: "nameEn",
  descriptionAr: "descriptionAr",
  descriptionEn: "descriptionEn",
  parentCode: "parentLabel",
  eligibleSectors: "sectorsLabel",
  serviceLevelDays: "serviceLevelLabel",
  validityMonths: "validityLabel",
  renewalWindowDays: "renewalWindowLabel",
  gracePeriodDays: "gracePeriodLabel",
  fields: "fieldsLegend",
  documents: "documentsLegend",
  checklist: "checklistLegend",
  key: "keyLabel",
  type: "typeLabel",
  labelAr: "labelAr",
  labelEn: "labelEn",
  min: "minLabel",
  max: "maxLabel",
  pattern: "patternLabel",
  options: "optionsLabel",
  mediaTypes: "mediaTypesLabel",
};
const ROW_LABEL: Record<string, string> = {
  fields: "fieldRow",
  documents: "documentRow",
  checklist: "checklistRow",
};

/**
 * The error summary's lines: each message led by the control it is about
 * ("Field 2, Label (Arabic): This is required."), since the same message can
 * be about many controls.
 */
export function summaryOf(errors: Record<string, string>, t: TFunction): Record<string, string> {
  const summary: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const [head = "", index, prop] = path.split(".");
    const names: string[] = [];
    if (index !== undefined && ROW_LABEL[head]) {
      names.push(String(t(`permitCatalogue.${ROW_LABEL[head]}`, { number: Number(index) + 1 })));
      if (prop && LABELS[prop]) names.push(String(t(`permitCatalogue.${LABELS[prop]}`)));
    } else if (LABELS[head]) names.push(String(t(`permitCatalogue.${LABELS[head]}`)));
    summary[path] = names.length ? `${names.join(t("permitCatalogue.listSeparator"))}: ${message}` : message;
  }
  return summary;
}

// ---------------------------------------------------------------------------
// The HTML form: every value as typed, so a refused form comes back as it was.
// Rows are posted as `fields.0.key`, `documents.2.mediaTypes` (repeated), ...
// ---------------------------------------------------------------------------

export interface FieldRow {
  key: string;
  type: string;
  labelAr: string;
  labelEn: string;
  required: boolean;
  min: string;
  max: string;
  pattern: string;
  /** Select options, one a line: `value | التسمية | Label`. */
  options: string;
}
export interface DocumentRow {
  key: string;
  labelAr: string;
  labelEn: string;
  mediaTypes: string[];
}
export interface ChecklistRow {
  key: string;
  labelAr: string;
  labelEn: string;
}

export interface PermitTypeFormValues {
  agencyId: string;
  code: string;
  nameAr: string;
  nameEn: string;
  descriptionAr: string;
  descriptionEn: string;
  eligibleSectors: string[];
  requireVerified: boolean;
  parentCode: string;
  serviceLevelDays: string;
  inspectionRequired: boolean;
  secondApprovalRequired: boolean;
  validityMonths: string;
  renewalWindowDays: string;
  gracePeriodDays: string;
  active: boolean;
  fields: FieldRow[];
  documents: DocumentRow[];
  checklist: ChecklistRow[];
}

export const emptyFieldRow = (): FieldRow => ({
  key: "",
  type: "text",
  labelAr: "",
  labelEn: "",
  required: false,
  min: "",
  max: "",
  pattern: "",
  options: "",
});
export const emptyDocumentRow = (): DocumentRow => ({ key: "", labelAr: "", labelEn: "", mediaTypes: [] });
export const emptyChecklistRow = (): ChecklistRow => ({ key: "", labelAr: "", labelEn: "" });

const EMPTY_ROW = { fields: emptyFieldRow, documents: emptyDocumentRow, checklist: emptyChecklistRow };

/** A new type's form: the usual periods filled in. */
export function newPermitTypeValues(agencyId = ""): PermitTypeFormValues {
  return {
    agencyId,
    code: "",
    nameAr: "",
    nameEn: "",
    descriptionAr: "",
    descriptionEn: "",
    eligibleSectors: [],
    requireVerified: true,
    parentCode: "",
    serviceLevelDays: "10",
    inspectionRequired: false,
    secondApprovalRequired: false,
    validityMonths: "12",
    renewalWindowDays: "60",
    gracePeriodDays: "30",
    active: true,
    // One empty row each to start from; blank rows are dropped when saving.
    fields: [emptyFieldRow()],
    documents: [emptyDocumentRow()],
    checklist: [emptyChecklistRow()],
  };
}

export function optionsText(options: PermitFieldSpec["options"]): string {
  return (options ?? []).map((o) => `${o.value} | ${o.labelAr} | ${o.labelEn}`).join("\n");
}

/** A stored type as form values. */
export function valuesOfType(
  type: {
    agencyId: string;
    code: string;
    nameAr: string;
    nameEn: string;
    descriptionAr: string;
    descriptionEn: string;
    eligibleSectors: string[];
    requireVerified: boolean;
    serviceLevelDays: number;
    inspectionRequired: boolean;
    secondApprovalRequired: boolean;
    validityMonths: number;
    renewalWindowDays: number;
    gracePeriodDays: number;
    active: boolean;
    fields: PermitFieldSpec[];
    documents: PermitDocumentSpec[];
    checklist: PermitChecklistItem[];
  },
  parentCode: string | null,
): PermitTypeFormValues {
  return {
    agencyId: type.agencyId,
    code: type.code,
    nameAr: type.nameAr,
    nameEn: type.nameEn,
    descriptionAr: type.descriptionAr,
    descriptionEn: type.descriptionEn,
    eligibleSectors: [...type.eligibleSectors],
    requireVerified: type.requireVerified,
    parentCode: parentCode ?? "",
    serviceLevelDays: String(type.serviceLevelDays),
    inspectionRequired: type.inspectionRequired,
    secondApprovalRequired: type.secondApprovalRequired,
    validityMonths: String(type.validityMonths),
    renewalWindowDays: String(type.renewalWindowDays),
    gracePeriodDays: String(type.gracePeriodDays),
    active: type.active,
    fields: type.fields.map((f) => ({
      key: f.key,
      type: f.type,
      labelAr: f.labelAr,
      labelEn: f.labelEn,
      required: f.required,
      min: f.min === undefined ? "" : String(f.min),
      max: f.max === undefined ? "" : String(f.max),
      pattern: f.pattern ?? "",
      options: optionsText(f.options),
    })),
    documents: type.documents.map((d) => ({ ...d, mediaTypes: [...d.mediaTypes] })),
    checklist: type.checklist.map((c) => ({ key: c.key, labelAr: c.labelAr, labelEn: c.labelEn })),
  };
}

/** Most rows a posted list is read into (more is not a form anyone filled in by hand). */
const MAX_POSTED_ROWS = 100;
const ROW_NAME = /^(fields|documents|checklist)\.(\d{1,3})\.([A-Za-z]+)$/;

type Entries = Iterable<[string, FormDataEntryValue]>;

/** Read the posted form, rows in the order posted, blank rows included (see `withoutBlankRows`). */
export function readPermitTypeForm(entries: Entries): PermitTypeFormValues {
  const values = newPermitTypeValues();
  const scalars: Record<string, string> = {};
  const present = new Set<string>();
  const rows: Record<SpecList, Map<number, Record<string, string | string[]>>> = {
    fields: new Map(),
    documents: new Map(),
    checklist: new Map(),
  };
  const sectors: string[] = [];
  for (const [name, raw] of entries) {
    if (typeof raw !== "string") continue;
    const value = raw.slice(0, 20_000);
    const row = ROW_NAME.exec(name);
    if (row) {
      const [, list, index, prop] = row as unknown as [string, SpecList, string, string];
      const i = Number(index);
      if (i >= MAX_POSTED_ROWS) continue;
      const target = rows[list].get(i) ?? {};
      rows[list].set(i, target);
      if (prop === "mediaTypes") target.mediaTypes = [...((target.mediaTypes as string[]) ?? []), value];
      else target[prop] = value;
      continue;
    }
    if (name === "eligibleSectors") sectors.push(value);
    else scalars[name] = value;
    present.add(name);
  }
  const str = (name: keyof PermitTypeFormValues) => scalars[name] ?? "";
  const on = (name: string) => present.has(name);
  const ordered = <T>(list: SpecList, build: (r: Record<string, string | string[]>) => T): T[] =>
    [...rows[list].entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => build(r));
  const s = (r: Record<string, string | string[]>, prop: string) => {
    const v = r[prop];
    return typeof v === "string" ? v : "";
  };
  return {
    ...values,
    agencyId: str("agencyId"),
    code: str("code"),
    nameAr: str("nameAr"),
    nameEn: str("nameEn"),
    descriptionAr: str("descriptionAr"),
    descriptionEn: str("descriptionEn"),
    eligibleSectors: sectors,
    requireVerified: on("requireVerified"),
    parentCode: str("parentCode"),
    serviceLevelDays: str("serviceLevelDays"),
    inspectionRequired: on("inspectionRequired"),
    secondApprovalRequired: on("secondApprovalRequired"),
    validityMonths: str("validityMonths"),
    renewalWindowDays: str("renewalWindowDays"),
    gracePeriodDays: str("gracePeriodDays"),
    active: on("active"),
    fields: ordered("fields", (r) => ({
      key: s(r, "key"),
      type: s(r, "type") || "text",
      labelAr: s(r, "labelAr"),
      labelEn: s(r, "labelEn"),
      required: s(r, "required") !== "",
      min: s(r, "min"),
      max: s(r, "max"),
      pattern: s(r, "pattern"),
      options: s(r, "options"),
    })),
    documents: ordered("documents", (r) => ({
      key: s(r, "key"),
      labelAr: s(r, "labelAr"),
      labelEn: s(r, "labelEn"),
      mediaTypes: Array.isArray(r.mediaTypes) ? r.mediaTypes : [],
    })),
    checklist: ordered("checklist", (r) => ({
      key: s(r, "key"),
      labelAr: s(r, "labelAr"),
      labelEn: s(r, "labelEn"),
    })),
  };
}

const blank = (row: FieldRow | DocumentRow | ChecklistRow) =>
  !row.key.trim() && !row.labelAr.trim() && !row.labelEn.trim() && !("options" in row && row.options.trim());

/** Rows left entirely empty are not rows: the form always offers one spare. */
export function withoutBlankRows(values: PermitTypeFormValues): PermitTypeFormValues {
  return {
    ...values,
    fields: values.fields.filter((r) => !blank(r)),
    documents: values.documents.filter((r) => !blank(r)),
    checklist: values.checklist.filter((r) => !blank(r)),
  };
}

/** One more empty row at the end of a list (the "add a row" button, which works without JavaScript). */
export function withRowAdded(values: PermitTypeFormValues, list: SpecList): PermitTypeFormValues {
  const rows = values[list] as unknown[];
  const max = PERMIT_TYPE_LIMITS[list];
  if (rows.length >= max) return values;
  return { ...values, [list]: [...rows, EMPTY_ROW[list]()] };
}

export function withRowRemoved(
  values: PermitTypeFormValues,
  list: SpecList,
  index: number,
): PermitTypeFormValues {
  return { ...values, [list]: (values[list] as unknown[]).filter((_, i) => i !== index) };
}

/** A select's options typed one a line; the line numbers count every line, blank ones too. */
export function parseOptionsText(text: string):
  | { ok: true; options: Array<{ value: string; labelAr: string; labelEn: string }>; lines: number[] }
  | {
      ok: false;
      line: number;
    } {
  const options: Array<{ value: string; labelAr: string; labelEn: string }> = [];
  const lines: number[] = [];
  const all = text.split(/\r?\n/);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!.trim();
    if (!line) continue;
    const parts = line.split("|").map((p) => p.trim());
    if (parts.length !== 3 || parts.some((p) => !p)) return { ok: false, line: i + 1 };
    const [value, labelAr, labelEn] = parts as [string, string, string];
    options.push({ value, labelAr, labelEn });
    lines.push(i + 1);
  }
  return { ok: true, options, lines };
}

/**
 * Check the form values (blank rows already dropped). The issues' paths are
 * the ids of the controls they are about; a problem with one select option is
 * reported on the options box with its line number.
 */
export function checkPermitTypeForm(
  values: PermitTypeFormValues,
  mode: "create",
): Checked<PermitTypeCreateValue>;
export function checkPermitTypeForm(
  values: PermitTypeFormValues,
  mode: "update",
): Checked<PermitTypeDetailsValue>;
export function checkPermitTypeForm(
  values: PermitTypeFormValues,
  mode: "create" | "update",
): Checked<PermitTypeCreateValue> | Checked<PermitTypeDetailsValue> {
  const issues: FormIssue[] = [];
  const optionLines: number[][] = [];
  const fields = values.fields.map((f, i) => {
    const parsed = parseOptionsText(f.options);
    if (!parsed.ok) {
      issues.push({ path: `fields.${i}.options`, message: msg("optionLine", { line: parsed.line }) });
      optionLines.push([]);
    } else optionLines.push(parsed.lines);
    return {
      key: f.key,
      type: f.type,
      labelAr: f.labelAr,
      labelEn: f.labelEn,
      required: f.required,
      min: f.min,
      max: f.max,
      pattern: f.pattern,
      options: parsed.ok ? parsed.options : [],
    };
  });
  const input = {
    nameAr: values.nameAr,
    nameEn: values.nameEn,
    descriptionAr: values.descriptionAr,
    descriptionEn: values.descriptionEn,
    eligibleSectors: values.eligibleSectors,
    requireVerified: values.requireVerified,
    parentCode: values.parentCode,
    fields,
    documents: values.documents,
    checklist: values.checklist,
    serviceLevelDays: values.serviceLevelDays,
    inspectionRequired: values.inspectionRequired,
    secondApprovalRequired: values.secondApprovalRequired,
    validityMonths: values.validityMonths,
    renewalWindowDays: values.renewalWindowDays,
    gracePeriodDays: values.gracePeriodDays,
    active: values.active,
    ...(mode === "create" ? { code: values.code, agencyId: values.agencyId || undefined } : {}),
  };
  const checked = mode === "create" ? checkCreate(input) : checkDetails(input);
  if (checked.ok && issues.length === 0) return checked;
  for (const issue of checked.ok ? [] : checked.issues) {
    const option = /^fields\.(\d+)\.options\.(\d+)\./.exec(issue.path);
    if (option) {
      const line = optionLines[Number(option[1])]?.[Number(option[2])] ?? Number(option[2]) + 1;
      const duplicate = issue.message.includes("optionDuplicate");
      issues.push({
        path: `fields.${option[1]}.options`,
        message: msg(duplicate ? "optionDuplicateLine" : "optionLine", { line }),
      });
    } else issues.push(issue);
  }
  return { ok: false, issues };
}

/**
 * The form's row buttons: `add:fields`, `remove:documents:2`. Returns the
 * values with the change (nothing is saved), or null when the intent is not a
 * row change (it is "save").
 */
export function applyRowIntent(values: PermitTypeFormValues, intent: string): PermitTypeFormValues | null {
  const add = /^add:(fields|documents|checklist)$/.exec(intent);
  if (add) return withRowAdded(values, add[1] as SpecList);
  const remove = /^remove:(fields|documents|checklist):(\d{1,3})$/.exec(intent);
  if (remove) return withRowRemoved(values, remove[1] as SpecList, Number(remove[2]));
  return null;
}
