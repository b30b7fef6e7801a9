/**
 * The fixed vocabularies of permits and licences, without drizzle, so forms
 * and pages can offer them (see payment-kinds.ts).
 */

/** Where an application stands; the applicant sees each step on its timeline. */
export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "in_review",
  "information_requested",
  "inspection_scheduled",
  "inspected",
  "approved",
  "rejected",
  "issued",
  "withdrawn",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** A first licence, its renewal, or a change to an issued one. */
export const APPLICATION_KINDS = ["new", "renewal", "amendment"] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

/** "expired" is set by the expiry job when the validity ends. */
export const PERMIT_STATUSES = ["valid", "suspended", "revoked", "expired"] as const;
export type PermitStatus = (typeof PERMIT_STATUSES)[number];

/** What happened on an application's timeline. */
export const APPLICATION_EVENT_KINDS = [
  "created",
  "submitted",
  "assigned",
  "review_started",
  "information_requested",
  "information_provided",
  "inspection_scheduled",
  "inspected",
  "first_approval",
  "approved",
  "rejected",
  "issued",
  "withdrawn",
] as const;
export type ApplicationEventKind = (typeof APPLICATION_EVENT_KINDS)[number];

/** What happened to an issued permit. */
export const PERMIT_EVENT_KINDS = [
  "issued",
  "renewed",
  "amended",
  "suspended",
  "reinstated",
  "revoked",
  "expired",
] as const;
export type PermitEventKind = (typeof PERMIT_EVENT_KINDS)[number];

/** The kinds of field a permit type's application form may have. */
export const PERMIT_FIELD_TYPES = ["text", "textarea", "number", "date", "select"] as const;
export type PermitFieldType = (typeof PERMIT_FIELD_TYPES)[number];

/** One field of a permit type's application form (validated with zod built from this at run time). */
export interface PermitFieldSpec {
  key: string;
  type: PermitFieldType;
  labelAr: string;
  labelEn: string;
  required: boolean;
  /** Text: maximum length; number: bounds. */
  min?: number;
  max?: number;
  /** A regular expression a text value must match (e.g. a plot number's format). */
  pattern?: string;
  /** For select: the allowed values and their labels. */
  options?: Array<{ value: string; labelAr: string; labelEn: string }>;
}

/** A document every applicant for the type must upload. */
export interface PermitDocumentSpec {
  key: string;
  labelAr: string;
  labelEn: string;
  /** Allowed media types, e.g. ["application/pdf", "image/jpeg"]; empty: the platform's defaults. */
  mediaTypes: string[];
}

/** One item of the reviewer's checklist for the type. */
export interface PermitChecklistItem {
  key: string;
  labelAr: string;
  labelEn: string;
}

/** Expiry reminders are sent this many days before a permit's validity ends. */
export const EXPIRY_REMINDER_DAYS = [30, 7, 1] as const;
