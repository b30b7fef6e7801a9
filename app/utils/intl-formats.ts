/**
 * Intl formatters, made once per locale and options and then reused.
 * Constructing one (a DateTimeFormat with a time zone, a currency
 * NumberFormat) costs far more than formatting with it, and a page of search
 * results formats dozens of dates and amounts in the same few zones and
 * currencies. Formatters are immutable, so sharing them is safe.
 */

const made = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>();

function once<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>(
  key: string,
  make: () => T,
): T {
  let formatter = made.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    // Keys come from a few locales, zones and currencies; a bound keeps odd input from growing it.
    if (made.size >= 2_000) made.clear();
    made.set(key, formatter);
  }
  return formatter;
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return once(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return once(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

export function collator(locale: string): Intl.Collator {
  return once(`c|${locale}`, () => new Intl.Collator(locale));
}
