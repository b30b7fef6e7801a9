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
 * A fresh i18next instance for one language; the resources are bundled, so it
 * initialises synchronously. Pages and requests use i18nFor (one per language).
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

const shared = new Map<Language, I18n>();

/**
 * One i18next instance per language for the whole process, made on first use.
 * Creating an instance costs more than many a request's own work, and these
 * never change language (nothing may call changeLanguage on them), so every
 * request, render, receipt and certificate in that language shares one.
 */
export function i18nFor(lang: Language): I18n {
  let instance = shared.get(lang);
  if (!instance) {
    instance = createI18n(lang);
    shared.set(lang, instance);
  }
  return instance;
}
