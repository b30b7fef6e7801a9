import type { PermitStatus } from "#db/schema/permit-kinds.ts";

/**
 * A permit's status as anyone checking it should see it now. The stored
 * status lags behind the clock: "expired" is written by the expiry job, so a
 * permit whose validity ended since the job last ran still says "valid" (or
 * "suspended") in its row. Revocation is final and outranks the dates; an
 * ended validity outranks a suspension (a suspended permit cannot outlive its
 * validity, and lifting the suspension would not make it valid again).
 *
 * `validityEnded`: the database clock is at or past the permit's `expiresAt`.
 */
export function effectivePermitStatus(stored: PermitStatus, validityEnded: boolean): PermitStatus {
  if (stored === "revoked" || stored === "expired") return stored;
  return validityEnded ? "expired" : stored;
}

/**
 * Permit numbers as printed (e.g. "MOC-CL-2026-000042"): letters and digits
 * in groups joined by single hyphens. Read case-insensitively, with the
 * spaces around it trimmed; null when the input cannot be a permit number.
 */
const PERMIT_NUMBER = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
const MAX_NUMBER_LENGTH = 64;

export function normalisePermitNumber(input: string): string | null {
  const number = input.trim().toUpperCase();
  if (number.length === 0 || number.length > MAX_NUMBER_LENGTH) return null;
  return PERMIT_NUMBER.test(number) ? number : null;
}
