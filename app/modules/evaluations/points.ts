/**
 * Points of a bid evaluation, kept exact.
 *
 * Every score and result is an integer count of HUNDREDTHS of a point (type
 * `Hundredths`): 8755 is 87.55 points. An evaluator's score for a criterion is
 * 0..10000 (0.00 to 100.00); a bid's total is 0..10000 as well (the weights add
 * up to 100). Intermediate values are exact fractions of bigints (`Ratio`) and
 * are rounded HALF UP to hundredths only where the rules say so (see
 * scoring.ts), so there is never a float in a result.
 */

/** An integer count of hundredths of a point: 8755 is 87.55. */
export type Hundredths = number;

/** The highest score an evaluator may give a criterion: 100.00 points. */
export const MAX_SCORE: Hundredths = 10_000;

/** An exact non-negative fraction; `den` is always positive. */
export interface Ratio {
  num: bigint;
  den: bigint;
}

export const ratio = (num: bigint, den: bigint): Ratio => {
  if (den <= 0n) throw new RangeError("a ratio needs a positive denominator");
  return { num, den };
};

/** Round a non-negative fraction half up to an integer: 2.5 → 3, 2.49 → 2. */
export function roundHalfUp(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError("roundHalfUp needs a positive denominator");
  if (num < 0n) throw new RangeError("roundHalfUp is only defined here for non-negative values");
  return (2n * num + den) / (2n * den);
}

/** a < b, exactly. */
export const ratioLessThan = (a: Ratio, b: Ratio): boolean => a.num * b.den < b.num * a.den;

/** True when `score` is a whole number of hundredths from 0.00 to 100.00. */
export const isValidScore = (score: number): boolean =>
  Number.isSafeInteger(score) && score >= 0 && score <= MAX_SCORE;

/**
 * Parse points typed by a person ("87.5", "٨٧٫٥", "100") into hundredths.
 * Returns null unless it is a number from 0 to 100 with at most two decimals.
 */
export function parsePoints(text: string): Hundredths | null {
  const normalised = text
    .trim()
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٫,]/g, ".");
  const match = normalised.match(/^(\d{1,3})(?:\.(\d{1,2}))?$/);
  if (!match) return null;
  const value = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return isValidScore(value) ? value : null;
}

/** Hundredths as a decimal with two places: 8755 → "87.55", 700 → "7.00". */
export function formatPoints(points: Hundredths): string {
  if (!Number.isSafeInteger(points) || points < 0)
    throw new RangeError(`not a count of hundredths: ${points}`);
  return `${Math.floor(points / 100)}.${String(points % 100).padStart(2, "0")}`;
}
