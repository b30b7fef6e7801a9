import { useContext } from "react";
import { I18nContext } from "react-i18next";
import { DEFAULT_LANGUAGE, i18nFor, isLanguage, translatorFor } from "./i18n.ts";

/**
 * The page's language (`lang`) and its `t` (translatorFor), from the i18next instance
 * the root provides. Used instead of react-i18next's useTranslation, which on
 * the server copies every property of the instance into a new object on each
 * call (a search page calls it some 70 times: a tenth of its render time)
 * and gives a `t` that re-reads its options on every label. Our instances
 * never change language (i18nFor), so there is nothing to subscribe to.
 */
export function useTranslation() {
  const context = useContext(I18nContext);
  const language = context?.i18n?.language;
  const lang = isLanguage(language) ? language : DEFAULT_LANGUAGE;
  return { t: translatorFor(lang), i18n: context?.i18n ?? i18nFor(lang), lang };
}
