import { z } from "zod";
import { dateTimeFormat } from "#app/utils/intl-formats.ts";
import { zonedToInstant } from "#app/utils/time-zones.ts";
import type { ApplicationStatus, PermitFieldSpec } from "#db/schema/permit-kinds.ts";

/**
 * The pure rules of permits: working days for the service level, validity and
 * renewal windows, and the application form built from a type's field list.
 * Dates are calendar dates ("2026-11-25") in the issuing agency's time zone.
 */

/** The government working week here: Sunday to Thursday (Friday and Saturday off). */
const WEEKEND = new Set([5, 6]);

const DAY_MS = 86_400_000;

function dateOnly(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The calendar date of `instant` in `zone`. */
export function dateInZone(instant: Date, zone: string): string {
  return dateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

export function addDays(date: string, days: number): string {
  return isoDate(new Date(dateOnly(date).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateOnly(to).getTime() - dateOnly(from).getTime()) / DAY_MS);
}

export function isWorkingDay(date: string): boolean {
  return !WEEKEND.has(dateOnly(date).getUTCDay());
}

/**
 * The service-level deadline: the end of the `days`-th working day after the
 * day of submission (a Thursday-evening submission with 2 days is due at the
 * end of Monday). Returned as the instant that day ends in the agency's zone.
 */
export function serviceLevelDue(submittedAt: Date, days: number, zone: string): Date {
  let date = dateInZone(submittedAt, zone);
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) left -= 1;
  }
  return startOfDay(addDays(date, 1), zone);
}

/** Working days from one instant's date to another's, not counting the first (0 on the same day). */
export function workingDaysBetween(from: Date, to: Date, zone: string): number {
  let date = dateInZone(from, zone);
  const end = dateInZone(to, zone);
  let count = 0;
  while (date < end) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) count += 1;
  }
  return count;
}

/** The service-level deadline moved on by the working days the clock was stopped. */
export function restartClock(dueAt: Date, stoppedAt: Date, now: Date, zone: string): Date {
  const stopped = workingDaysBetween(stoppedAt, now, zone);
  if (stopped === 0) return dueAt;
  let date = dateInZone(new Date(dueAt.getTime() - 1), zone);
  let left = stopped;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) left -= 1;
  }
  return startOfDay(addDays(date, 1), zone);
}

/** Midnight at the start of `date` in `zone`. */
export function startOfDay(date: string, zone: string): Date {
  const instant = zonedToInstant(`${date}T00:00`, zone);
  if (!instant) throw new Error(`not a date: ${date}`);
  return instant;
}

/** `months` calendar months after `date` (the 31st becomes the month's last day). */
export function addMonths(date: string, months: number): string {
  const d = dateOnly(date);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return isoDate(target);
}

export interface Validity {
  validFrom: string;
  validUntil: string;
  /** The first instant it no longer holds: midnight after validUntil in the agency's zone. */
  expiresAt: Date;
}

/** A validity of `months` starting on `from`: valid through the day before the same date `months` later. */
export function validityFrom(from: string, months: number, zone: string): Validity {
  const validUntil = addDays(addMonths(from, months), -1);
  return { validFrom: from, validUntil, expiresAt: startOfDay(addDays(validUntil, 1), zone) };
}

/**
 * A renewal continues the validity without a gap when it is issued before the
 * old one ends, and starts on the day of issue when it comes in the grace period.
 */
export function renewedValidity(
  current: { validUntil: string },
  today: string,
  months: number,
  zone: string,
): Validity {
  const next = addDays(current.validUntil, 1);
  const from = next > today ? next : today;
  return validityFrom(from, months, zone);
}

export interface RenewalWindow {
  opensOn: string;
  closesOn: string;
}

/** Renewal opens `windowDays` before the validity ends and closes `graceDays` after it. */
export function renewalWindow(validUntil: string, windowDays: number, graceDays: number): RenewalWindow {
  return { opensOn: addDays(validUntil, -windowDays), closesOn: addDays(validUntil, graceDays) };
}

export function inRenewalWindow(window: RenewalWindow, today: string): boolean {
  return today >= window.opensOn && today <= window.closesOn;
}

/** Statuses in which the applicant may still change the application. */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ["draft", "information_requested"];
/** Statuses in which the application is with the agency. */
export const UNDER_REVIEW_STATUSES: readonly ApplicationStatus[] = [
  "submitted",
  "in_review",
  "information_requested",
  "inspection_scheduled",
  "inspected",
];
/** Statuses after which nothing more happens to the application. */
export const FINAL_STATUSES: readonly ApplicationStatus[] = ["issued", "rejected", "withdrawn"];

/**
 * The zod schema of a type's application fields. Messages are i18n keys (see
 * parseWith). With `complete`, required fields must be filled (at submission);
 * without, a draft may leave them empty but what is there must be valid.
 */
export function fieldsSchema(specs: readonly PermitFieldSpec[], { complete }: { complete: boolean }) {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const spec of specs) {
    let value: z.ZodType<string> = z.string().trim();
    switch (spec.type) {
      case "text":
      case "textarea": {
        const max = spec.max ?? (spec.type === "text" ? 200 : 4000);
        let s = z
          .string()
          .trim()
          .max(max, `permits.errors.tooLong|${JSON.stringify({ max })}`);
        if (spec.min) s = s.min(spec.min, `permits.errors.tooShort|${JSON.stringify({ min: spec.min })}`);
        if (spec.pattern) s = s.regex(new RegExp(spec.pattern), "permits.errors.pattern");
        value = s;
        break;
      }
      case "number":
        value = z
          .string()
          .trim()
          .regex(/^-?\d+(\.\d+)?$/, "permits.errors.number")
          .refine((v) => spec.min === undefined || Number(v) >= spec.min, {
            message: `permits.errors.numberMin|${JSON.stringify({ min: spec.min })}`,
          })
          .refine((v) => spec.max === undefined || Number(v) <= spec.max, {
            message: `permits.errors.numberMax|${JSON.stringify({ max: spec.max })}`,
          });
        break;
      case "date":
        value = z
          .string()
          .trim()
          .regex(/^\d{4}-\d{2}-\d{2}$/, "permits.errors.date")
          .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && isoDate(dateOnly(v)) === v, {
            message: "permits.errors.date",
          });
        break;
      case "select":
        value = z.enum((spec.options ?? []).map((o) => o.value) as [string, ...string[]], {
          message: "permits.errors.choice",
        });
        break;
    }
    const required = complete && spec.required;
    // A required answer may be missing altogether (never saved), not only empty: zod 4 runs no
    // refinement of an optional schema on an absent key, so the check comes before the value's.
    shape[spec.key] = z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      required
        ? z
            .custom<string>((v) => v !== undefined, { message: "permits.errors.required" })
            .pipe(value as z.ZodType<string, string>)
        : value.optional(),
    ) as z.ZodType<string | undefined>;
  }
  return z.object(shape);
}

/** Keep only the type's own fields, trimmed, without empties. */
export function cleanFields(
  specs: readonly PermitFieldSpec[],
  values: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const v = values[spec.key]?.trim();
    if (v) out[spec.key] = v;
  }
  return out;
}
