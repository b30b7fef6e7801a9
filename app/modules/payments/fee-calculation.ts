/**
 * The amount of a fee from its schedule: a fixed amount, or a percentage of a
 * base (in hundredths of a percent, rounded half up to the minor unit) kept
 * within the schedule's minimum and maximum. Pure: amounts are bigint minor units.
 */
export interface FeeRule {
  calculation: "fixed" | "percentage";
  fixedAmount: bigint | null;
  rateBasisPoints: number | null;
  minimumAmount: bigint | null;
  maximumAmount: bigint | null;
}

export function computeFee(rule: FeeRule, base?: bigint | null): bigint {
  let amount: bigint;
  if (rule.calculation === "fixed") {
    if (rule.fixedAmount === null || rule.fixedAmount <= 0n)
      throw new RangeError("fixed fee without an amount");
    amount = rule.fixedAmount;
  } else {
    if (rule.rateBasisPoints === null) throw new RangeError("percentage fee without a rate");
    if (base === undefined || base === null || base < 0n)
      throw new RangeError("percentage fee needs a base amount");
    amount = (base * BigInt(rule.rateBasisPoints) * 2n + 10_000n) / 20_000n; // half up
  }
  if (rule.minimumAmount !== null && amount < rule.minimumAmount) amount = rule.minimumAmount;
  if (rule.maximumAmount !== null && amount > rule.maximumAmount) amount = rule.maximumAmount;
  return amount;
}

/** "1.5" → 150 basis points; null when not a percentage from 0.01 to 100 with at most two decimals. */
export function parseRate(text: string): number | null {
  const normalised = text
    .trim()
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/٫/g, ".")
    .replace(/%$/, "")
    .trim();
  const match = normalised.match(/^(\d{1,3})(?:\.(\d{1,2}))?$/);
  if (!match) return null;
  const points = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return points >= 1 && points <= 10_000 ? points : null;
}

/** 150 → "1.5" */
export function formatRate(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const fraction = String(basisPoints % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}
