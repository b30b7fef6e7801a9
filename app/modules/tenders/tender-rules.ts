import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import type { Tender } from "#db/schema/tenders.ts";

/** Pure rules of tenders: what a publishable tender is, and where it stands in time. */

export type TenderPhase =
  | "draft"
  | "awaiting_approval"
  | "open"
  | "closing_soon"
  | "closed"
  | "opened"
  | "awarded"
  | "partly_awarded"
  | "cancelled";

/** Within this long of the submission deadline a tender is "closing soon". */
export const CLOSING_SOON_MS = 48 * 3600_000;

export function tenderPhase(t: Pick<Tender, "status" | "submissionDeadline">, now: Date): TenderPhase {
  if (t.status !== "published") return t.status;
  const deadline = t.submissionDeadline!.getTime();
  if (now.getTime() >= deadline) return "closed";
  return deadline - now.getTime() <= CLOSING_SOON_MS ? "closing_soon" : "open";
}

/**
 * An opened tender as the public sees it once awards are published: awarded
 * when every lot still standing has a published award (approved, or under
 * contract), partly awarded when some have. An award suspended by a complaint
 * does not count until the complaint is decided.
 */
export function phaseWithAwards(
  phase: TenderPhase,
  lots: { standing: number; awarded: number },
): TenderPhase {
  if (phase !== "opened" || lots.awarded === 0) return phase;
  return lots.awarded >= lots.standing ? "awarded" : "partly_awarded";
}

/** Short code of an agency from its slug: ministry-of-public-works → MOPW. */
export function agencyCode(slug: string): string {
  const code = slug
    .split("-")
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .join("");
  return code.slice(0, 6) || "AG";
}

export const tenderReference = (code: string, year: number, n: number) =>
  `${code}-${year}-${String(n).padStart(4, "0")}`;

export type CriteriaProblem =
  | "empty"
  | "duplicate_key"
  | "weights_not_100"
  | "pass_fail_weighted"
  | "no_financial"
  | "bad_weight";

/**
 * Criteria a tender can be evaluated by: pass/fail checks carry no weight;
 * technical and financial weights are whole numbers adding up to exactly 100,
 * with at least one financial criterion.
 */
export function criteriaProblem(criteria: TenderCriterion[]): CriteriaProblem | null {
  if (criteria.length === 0) return "empty";
  if (new Set(criteria.map((c) => c.key)).size !== criteria.length) return "duplicate_key";
  for (const c of criteria) {
    if (c.kind === "pass_fail" && c.weight !== 0) return "pass_fail_weighted";
    if (c.kind !== "pass_fail" && (!Number.isInteger(c.weight) || c.weight <= 0 || c.weight > 100))
      return "bad_weight";
  }
  if (!criteria.some((c) => c.kind === "financial")) return "no_financial";
  const total = criteria.reduce((sum, c) => sum + c.weight, 0);
  return total === 100 ? null : "weights_not_100";
}

export type ScheduleProblem =
  | "missing"
  | "enquiry_after_submission"
  | "opening_before_submission"
  | "submission_in_past";

/** Enquiries close before submissions, which close no later than the opening; all still ahead at publication. */
export function scheduleProblem(
  t: Pick<Tender, "enquiryDeadline" | "submissionDeadline" | "openingAt">,
  now: Date,
): ScheduleProblem | null {
  const { enquiryDeadline: e, submissionDeadline: s, openingAt: o } = t;
  if (!e || !s || !o) return "missing";
  if (e >= s) return "enquiry_after_submission";
  if (o < s) return "opening_before_submission";
  if (s <= now || e <= now) return "submission_in_past";
  return null;
}
