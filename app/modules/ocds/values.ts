import { toDecimalString } from "#app/modules/ledger/money.ts";
import type { OcdsValue } from "./ocds-types.ts";

/**
 * An amount of our bigint minor units as OCDS wants it: a JSON number of major
 * units with the currency's own exponent (12345n KWD is 12.345, 12345n SAR is
 * 123.45, 12345n JPY is 12345). Built from the exact decimal string, so the
 * number is the nearest double to the true value: it reads back exactly for
 * amounts of up to 15 significant digits (below 10^15 minor units, e.g. a
 * trillion KWD).
 */
export function ocdsValue(minor: bigint, currency: string): OcdsValue {
  return { amount: Number(toDecimalString({ amount: minor, currency })), currency };
}

/** A timestamp as OCDS date-time: ISO 8601 in UTC with milliseconds. */
export function isoDate(instant: Date): string {
  return instant.toISOString();
}

/** The English name of an ISO 3166-1 alpha-2 country ("KW" → "Kuwait"); the code when unknown. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
