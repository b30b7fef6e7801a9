import type { TFunction } from "i18next";
import { createContext, type MiddlewareFunction } from "react-router";
import { detectLanguage } from "./detect-language.server.ts";
import { type Language, translatorFor } from "./i18n.ts";

export interface RequestI18n {
  lang: Language;
  t: TFunction;
}

export const i18nContext = createContext<RequestI18n>();

/** Decide the request's language once, before any loader or action runs. */
export const i18nMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const lang = await detectLanguage(request);
  context.set(i18nContext, { lang, t: translatorFor(lang) });
  const response = await next();
  // The same URL answers in either language: caches must key on what decides it.
  response.headers.append("Vary", "Cookie, Accept-Language");
  response.headers.set("Content-Language", lang);
  return response;
};
