import { numberFormat } from "#app/utils/intl-formats.ts";

/**
 * Money is an integer count of minor units (bigint) plus an ISO 4217 code,
 * with the currency's own exponent: KWD, BHD, OMR, JOD, TND, IQD and LYD have
 * three decimals, JPY and KRW none, most others two. Never floats.
 */
const EXPONENTS: Record<string, number> = {
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
  IQD: 3,
  LYD: 3,
  JPY: 0,
  KRW: 0,
  CLP: 0,
  ISK: 0,
  VND: 0,
};

export interface Money {
  /** Minor units: 12345n KWD is 12.345 KWD. */
  amount: bigint;
  currency: string;
}

export function exponentOf(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`not an ISO 4217 code: ${currency}`);
  return EXPONENTS[currency] ?? 2;
}

/**
 * Parse a decimal typed by a person ("1,250.5", "١٢٫٥") into minor units.
 * Returns null when it is not a number or has more decimals than the currency allows.
 */
export function parseAmount(text: string, currency: string): bigint | null {
  const exponent = exponentOf(currency);
  const normalised = text
    .trim()
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/٫/g, ".")
    .replace(/[,٬\s]/g, "");
  const match = normalised.match(/^(-?)(\d+)(?:\.(\d+))?$/);
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > exponent) return null;
  const minor = BigInt(whole! + fraction.padEnd(exponent, "0"));
  return sign === "-" ? -minor : minor;
}

/** The exact decimal string of an amount ("12.345"), for display and exports. */
export function toDecimalString({ amount, currency }: Money): string {
  const exponent = exponentOf(currency);
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(exponent + 1, "0");
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? "" : `.${digits.slice(-exponent)}`;
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** An amount for people, in their language, with every decimal the currency has. */
export function formatMoney(money: Money, locale: string): string {
  const exponent = exponentOf(money.currency);
  return numberFormat(locale, {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(toDecimalString(money) as unknown as number);
}
