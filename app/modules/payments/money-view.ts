import { formatMoney } from "#app/modules/ledger/money.ts";

/**
 * Amounts cross from loaders to pages already formatted for the reader's
 * language (and as exact decimal strings where a form needs them): bigint
 * minor units never reach the browser.
 */
export function moneyText(amount: bigint, currency: string, lang: string): string {
  return formatMoney({ amount, currency }, lang === "ar" ? "ar" : "en");
}

/** A timestamp as the UTC minute, the form every money page and receipt uses. */
export function utcMinute(date: Date | null | undefined): string | null {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : null;
}
