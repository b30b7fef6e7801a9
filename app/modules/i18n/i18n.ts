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

/** Texts answered from memory per language; past this many keys the memory starts again. */
const REMEMBERED_KEYS = 20_000;
const translators = new Map<Language, TFunction>();

/**
 * The `t` of a language, for every page, loader, e-mail and document: i18next's
 * own, except that a key asked without options (most of a page's labels) is
 * looked up once and then answered from memory. i18next resolves each call
 * anew (namespaces, fallbacks, plurals, nesting): about 4 µs, and a search
 * page asks some 150 labels; its resources are bundled and never change, so
 * the answer to a plain key cannot change either. Calls with options
 * (interpolation, counts) go to i18next every time.
 */
export function translatorFor(lang: Language): TFunction {
  let t = translators.get(lang);
  if (!t) {
    const i18n = i18nFor(lang);
    const remembered = new Map<string, string>();
    const plain = (key: string): string => {
      let text = remembered.get(key);
      if (text === undefined) {
        text = i18n.t(key);
        if (remembered.size >= REMEMBERED_KEYS) remembered.clear();
        remembered.set(key, text);
      }
      return text;
    };
    const full = i18n.t as unknown as (...args: unknown[]) => string;
    const memo = (key: unknown, ...rest: unknown[]) =>
      typeof key === "string" && rest.length === 0 ? plain(key) : full(key, ...rest);
    t = memo as unknown as TFunction;
    translators.set(lang, t);
  }
  return t;
}
