import { dateTimeFormat } from "./intl-formats.ts";
/**
 * Wall-clock times in a named time zone, without a library: deadlines are
 * typed and shown in the agency's own zone (Asia/Kuwait, Asia/Riyadh, ...)
 * and stored as instants.
 */

/** Offset of `zone` from UTC at `instant`, in milliseconds (e.g. +3 h for Asia/Riyadh). */
export function zoneOffsetMs(instant: Date, zone: string): number {
  const parts = Object.fromEntries(
    dateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** "2026-12-01T10:00" read as a wall-clock time in `zone` → the instant. Null when malformed. */
export function zonedToInstant(local: string, zone: string): Date | null {
  const m = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  // Two passes settle the offset across a daylight-saving change.
  let instant = wall - zoneOffsetMs(new Date(wall), zone);
  instant = wall - zoneOffsetMs(new Date(instant), zone);
  return new Date(instant);
}

/** The instant as "2026-12-01T10:00" in `zone`, for a datetime-local field. */
export function instantToZoned(instant: Date, zone: string): string {
  const local = new Date(instant.getTime() + zoneOffsetMs(instant, zone));
  return local.toISOString().slice(0, 16);
}

/** Shown to people: "2026-12-01 10:00 (Asia/Kuwait)". */
export function formatInZone(instant: Date, zone: string): string {
  return `${instantToZoned(instant, zone).replace("T", " ")} (${zone})`;
}
