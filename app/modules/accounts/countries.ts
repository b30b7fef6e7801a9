/**
 * Countries a business may register from, with the currency and time zone an
 * organisation there defaults to. Names come from Intl.DisplayNames in the
 * reader's language.
 */
export const COUNTRIES = {
  KW: { currency: "KWD", timeZone: "Asia/Kuwait" },
  SA: { currency: "SAR", timeZone: "Asia/Riyadh" },
  AE: { currency: "AED", timeZone: "Asia/Dubai" },
  BH: { currency: "BHD", timeZone: "Asia/Bahrain" },
  OM: { currency: "OMR", timeZone: "Asia/Muscat" },
  QA: { currency: "QAR", timeZone: "Asia/Qatar" },
  JO: { currency: "JOD", timeZone: "Asia/Amman" },
  EG: { currency: "EGP", timeZone: "Africa/Cairo" },
  IQ: { currency: "IQD", timeZone: "Asia/Baghdad" },
  LB: { currency: "LBP", timeZone: "Asia/Beirut" },
  TN: { currency: "TND", timeZone: "Africa/Tunis" },
  MA: { currency: "MAD", timeZone: "Africa/Casablanca" },
} as const;

export type CountryCode = keyof typeof COUNTRIES;
export const COUNTRY_CODES = Object.keys(COUNTRIES) as CountryCode[];

/** Sectors a business declares; labels are translated (`sectors.<key>`). */
export const SECTORS = [
  "construction",
  "it",
  "health",
  "supplies",
  "consulting",
  "transport",
  "food",
  "energy",
  "other",
] as const;
export type Sector = (typeof SECTORS)[number];
