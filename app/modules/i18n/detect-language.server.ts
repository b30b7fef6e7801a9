import Negotiator from "negotiator";
import { createCookie } from "react-router";
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from "./i18n.ts";

/** The reader's explicit choice, kept for a year. Not secret, but HttpOnly like every cookie we set. */
const languageCookie = createCookie("lang", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  maxAge: 60 * 60 * 24 * 365,
});

/** The language to serve: the cookie if the reader chose one, else Accept-Language, else Arabic. */
export async function detectLanguage(request: Request): Promise<Language> {
  const chosen = await languageCookie.parse(request.headers.get("Cookie"));
  if (isLanguage(chosen)) return chosen;
  return negotiateLanguage(request.headers.get("Accept-Language"));
}

export function negotiateLanguage(acceptLanguage: string | null): Language {
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  const negotiator = new Negotiator({ headers: { "accept-language": acceptLanguage } });
  const best = negotiator.language([...LANGUAGES]);
  return isLanguage(best) ? best : DEFAULT_LANGUAGE;
}

export function serializeLanguageCookie(lang: Language, { secure }: { secure: boolean }): Promise<string> {
  return languageCookie.serialize(lang, { secure });
}
