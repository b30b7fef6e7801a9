import i18next, { type i18n as I18n, type TFunction } from "i18next";
import { ar } from "./locales/ar.ts";
import { en } from "./locales/en.ts";

export const LANGUAGES = ["ar", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
/** Arabic first: the default when nothing says otherwise. */
export const DEFAULT_LANGUAGE: Language = "ar";

export const resources = { ar: { translation: ar }, en: { translation: en } } as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function directionOf(lang: Language): "rtl" | "ltr" {
  return lang === "ar" ? "rtl" : "ltr";
}

/**
 * A fresh i18next instance for one language. One per request on the server
 * (never a shared global whose language another request could change) and one
 * per page load in the browser; the resources are bundled, so it initialises
 * synchronously.
 */
export function createI18n(lang: Language): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    resources,
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return instance;
}

export type Translate = TFunction;
