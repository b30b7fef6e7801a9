import type { Language } from "#app/modules/i18n/i18n.ts";

/**
 * Regions an agency can sit in: the first-level subdivisions (governorates,
 * provinces, emirates) of the countries Shafaf serves, by ISO 3166-2 code.
 * `organisations.region` holds one of these codes; the tender search filters
 * on a region code or on a whole country (its two-letter code).
 */

export interface Country {
  code: string;
  ar: string;
  en: string;
  currency: string;
  timeZone: string;
}

export const COUNTRIES: readonly Country[] = [
  { code: "KW", ar: "الكويت", en: "Kuwait", currency: "KWD", timeZone: "Asia/Kuwait" },
  { code: "SA", ar: "السعودية", en: "Saudi Arabia", currency: "SAR", timeZone: "Asia/Riyadh" },
  { code: "AE", ar: "الإمارات", en: "United Arab Emirates", currency: "AED", timeZone: "Asia/Dubai" },
  { code: "BH", ar: "البحرين", en: "Bahrain", currency: "BHD", timeZone: "Asia/Bahrain" },
  { code: "OM", ar: "عُمان", en: "Oman", currency: "OMR", timeZone: "Asia/Muscat" },
  { code: "QA", ar: "قطر", en: "Qatar", currency: "QAR", timeZone: "Asia/Qatar" },
  { code: "JO", ar: "الأردن", en: "Jordan", currency: "JOD", timeZone: "Asia/Amman" },
];

export interface Region {
  /** ISO 3166-2, e.g. `KW-HA`. */
  code: string;
  ar: string;
  en: string;
}

export const REGIONS: readonly Region[] = [
  { code: "KW-KU", ar: "العاصمة", en: "Al Asimah" },
  { code: "KW-HA", ar: "حولي", en: "Hawalli" },
  { code: "KW-FA", ar: "الفروانية", en: "Al Farwaniyah" },
  { code: "KW-JA", ar: "الجهراء", en: "Al Jahra" },
  { code: "KW-AH", ar: "الأحمدي", en: "Al Ahmadi" },
  { code: "KW-MU", ar: "مبارك الكبير", en: "Mubarak Al-Kabeer" },
  { code: "SA-01", ar: "الرياض", en: "Riyadh" },
  { code: "SA-02", ar: "مكة المكرمة", en: "Makkah" },
  { code: "SA-03", ar: "المدينة المنورة", en: "Al Madinah" },
  { code: "SA-04", ar: "المنطقة الشرقية", en: "Eastern Province" },
  { code: "SA-05", ar: "القصيم", en: "Al Qassim" },
  { code: "SA-06", ar: "حائل", en: "Ha'il" },
  { code: "SA-07", ar: "تبوك", en: "Tabuk" },
  { code: "SA-08", ar: "الحدود الشمالية", en: "Northern Borders" },
  { code: "SA-09", ar: "جازان", en: "Jazan" },
  { code: "SA-10", ar: "نجران", en: "Najran" },
  { code: "SA-11", ar: "الباحة", en: "Al Bahah" },
  { code: "SA-12", ar: "الجوف", en: "Al Jawf" },
  { code: "SA-14", ar: "عسير", en: "Asir" },
  { code: "AE-AZ", ar: "أبوظبي", en: "Abu Dhabi" },
  { code: "AE-DU", ar: "دبي", en: "Dubai" },
  { code: "AE-SH", ar: "الشارقة", en: "Sharjah" },
  { code: "AE-AJ", ar: "عجمان", en: "Ajman" },
  { code: "AE-UQ", ar: "أم القيوين", en: "Umm Al Quwain" },
  { code: "AE-RK", ar: "رأس الخيمة", en: "Ras Al Khaimah" },
  { code: "AE-FU", ar: "الفجيرة", en: "Fujairah" },
  { code: "BH-13", ar: "العاصمة", en: "Capital" },
  { code: "BH-14", ar: "الجنوبية", en: "Southern" },
  { code: "BH-15", ar: "المحرق", en: "Muharraq" },
  { code: "BH-17", ar: "الشمالية", en: "Northern" },
  { code: "OM-MA", ar: "مسقط", en: "Muscat" },
  { code: "OM-DA", ar: "الداخلية", en: "Ad Dakhiliyah" },
  { code: "OM-BS", ar: "شمال الباطنة", en: "North Al Batinah" },
  { code: "OM-BJ", ar: "جنوب الباطنة", en: "South Al Batinah" },
  { code: "OM-SS", ar: "شمال الشرقية", en: "North Ash Sharqiyah" },
  { code: "OM-SJ", ar: "جنوب الشرقية", en: "South Ash Sharqiyah" },
  { code: "OM-ZA", ar: "الظاهرة", en: "Ad Dhahirah" },
  { code: "OM-BU", ar: "البريمي", en: "Al Buraymi" },
  { code: "OM-WU", ar: "الوسطى", en: "Al Wusta" },
  { code: "OM-ZU", ar: "ظفار", en: "Dhofar" },
  { code: "OM-MU", ar: "مسندم", en: "Musandam" },
  { code: "QA-DA", ar: "الدوحة", en: "Doha" },
  { code: "QA-RA", ar: "الريان", en: "Al Rayyan" },
  { code: "QA-WA", ar: "الوكرة", en: "Al Wakrah" },
  { code: "QA-KH", ar: "الخور والذخيرة", en: "Al Khor and Al Thakhira" },
  { code: "QA-MS", ar: "الشمال", en: "Al Shamal" },
  { code: "QA-US", ar: "أم صلال", en: "Umm Salal" },
  { code: "QA-ZA", ar: "الضعاين", en: "Al Daayen" },
  { code: "QA-SH", ar: "الشحانية", en: "Al Shahaniya" },
  { code: "JO-AM", ar: "العاصمة", en: "Amman" },
  { code: "JO-IR", ar: "إربد", en: "Irbid" },
  { code: "JO-AZ", ar: "الزرقاء", en: "Zarqa" },
  { code: "JO-BA", ar: "البلقاء", en: "Balqa" },
  { code: "JO-MA", ar: "المفرق", en: "Mafraq" },
  { code: "JO-KA", ar: "الكرك", en: "Karak" },
  { code: "JO-JA", ar: "جرش", en: "Jerash" },
  { code: "JO-AJ", ar: "عجلون", en: "Ajloun" },
  { code: "JO-MD", ar: "مأدبا", en: "Madaba" },
  { code: "JO-AT", ar: "الطفيلة", en: "Tafilah" },
  { code: "JO-MN", ar: "معان", en: "Ma'an" },
  { code: "JO-AQ", ar: "العقبة", en: "Aqaba" },
];

const BY_CODE = new Map<string, Region | Country>([
  ...COUNTRIES.map((c) => [c.code, c] as const),
  ...REGIONS.map((r) => [r.code, r] as const),
]);

/** A known region (`KW-HA`) or country (`KW`) code. */
export function isRegionOrCountry(code: string): boolean {
  return BY_CODE.has(code);
}

export const regionsOf = (country: string) => REGIONS.filter((r) => r.code.startsWith(`${country}-`));

/** "Hawalli, Kuwait" / "حولي، الكويت"; a country alone by its name; an unknown code as it is. */
export function regionLabel(code: string, lang: Language): string {
  const place = BY_CODE.get(code);
  if (!place) return code;
  if (!code.includes("-")) return place[lang];
  const country = BY_CODE.get(code.slice(0, 2));
  return country ? `${place[lang]}${lang === "ar" ? "، " : ", "}${country[lang]}` : place[lang];
}
