import { formatInZone } from "#app/utils/time-zones.ts";
import type { PermitDocumentSpec, PermitFieldSpec } from "#db/schema/permit-kinds.ts";
import type { ApplicationDetails } from "./application-view.server.ts";

/**
 * Applications and permits as pages show them: strings only (times in the
 * agency's zone with the zone named, sizes in kB), labels in the reader's
 * language. Shared by the applicant's and the officer's pages.
 */

type Lang = "ar" | "en";

export const pick = (lang: Lang, ar: string, en: string) => (lang === "ar" ? ar : en);

export function fieldsView(specs: readonly PermitFieldSpec[], values: Record<string, string>, lang: Lang) {
  return specs.map((f) => {
    const option = f.options?.find((o) => o.value === values[f.key]);
    return {
      key: f.key,
      type: f.type,
      label: pick(lang, f.labelAr, f.labelEn),
      required: f.required,
      value: values[f.key] ?? "",
      /** What the value reads as (the option's label for a choice). */
      display: option ? pick(lang, option.labelAr, option.labelEn) : (values[f.key] ?? ""),
      options: (f.options ?? []).map((o) => ({ value: o.value, label: pick(lang, o.labelAr, o.labelEn) })),
    };
  });
}

export function documentsView(
  specs: readonly PermitDocumentSpec[],
  attached: ApplicationDetails["documents"],
  lang: Lang,
  zone: string,
) {
  return specs.map((d) => {
    const file = attached.find((a) => a.key === d.key);
    return {
      key: d.key,
      label: pick(lang, d.labelAr, d.labelEn),
      accept: d.mediaTypes.join(","),
      file: file
        ? {
            name: file.name,
            size: `${Math.max(1, Math.round(Number(file.size) / 1024))} kB`,
            sha256: file.sha256,
            uploadedAt: formatInZone(file.uploadedAt, zone),
          }
        : null,
    };
  });
}

export function timelineView(events: ApplicationDetails["events"], zone: string) {
  return events.map((e, i) => ({
    id: String(i),
    kind: e.kind,
    note: e.note ?? "",
    at: formatInZone(e.at, zone),
    actorName: e.actorName ?? "",
  }));
}

export function inspectionsView(inspections: ApplicationDetails["inspections"], zone: string) {
  return inspections.map((i) => ({
    id: i.id,
    when: formatInZone(i.scheduledFor, zone),
    location: i.location,
    result: i.result ?? "",
    findings: i.findings ?? "",
    inspectorName: i.inspectorName ?? "",
  }));
}

/**
 * The service-level countdown: whole days until the due date (negative when
 * late), or null while the clock is stopped for the applicant.
 */
export function daysLeft(dueAt: Date | null, clockStoppedAt: Date | null, now: Date): number | null {
  if (!dueAt || clockStoppedAt) return null;
  return Math.ceil((dueAt.getTime() - now.getTime()) / 86_400_000);
}
