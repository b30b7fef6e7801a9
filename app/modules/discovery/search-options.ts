import { type Language, translatorFor } from "#app/modules/i18n/i18n.ts";
import { collator } from "#app/utils/intl-formats.ts";
import { TENDER_CATEGORIES, TENDER_METHODS } from "#db/schema/tender-kinds.ts";
import { COUNTRIES, regionsOf } from "./regions.ts";
import { SEARCH_SORTS, SEARCH_STATUSES } from "./search-params.ts";

export interface Option {
  value: string;
  label: string;
}

export interface RegionGroup {
  country: Option;
  label: string;
  regions: Option[];
}

const built = new Map<Language, ReturnType<typeof build>>();

/**
 * The search form's fixed choices (statuses, categories, methods, orders,
 * regions), in a language. The page builds them itself, once per language,
 * rather than receiving them in its data: they are the same for every search,
 * and sent with each page they were a seventh of its data (a search page of
 * the 1,000,000 generated tenders: 37 → 32 kB serialised on the server and
 * parsed again in the browser).
 */
export function fixedSearchOptions(lang: Language) {
  let options = built.get(lang);
  if (!options) {
    options = build(lang);
    built.set(lang, options);
  }
  return options;
}

function build(lang: Language) {
  const t = translatorFor(lang);
  const byName = collator(lang);
  return {
    statuses: SEARCH_STATUSES.map((s): Option => ({ value: s, label: t(`search.statuses.${s}`) })),
    categories: TENDER_CATEGORIES.map((c): Option => ({ value: c, label: t(`tenders.categories.${c}`) })),
    methods: TENDER_METHODS.map((m): Option => ({ value: m, label: t(`tenders.methods.${m}`) })),
    sorts: SEARCH_SORTS.map((s): Option => ({ value: s, label: t(`search.sorts.${s}`) })),
    regions: [...COUNTRIES]
      .sort((a, b) => byName.compare(a[lang], b[lang]))
      .map(
        (c): RegionGroup => ({
          country: { value: c.code, label: t("search.wholeCountry", { country: c[lang] }) },
          label: c[lang],
          regions: regionsOf(c.code).map((r) => ({ value: r.code, label: r[lang] })),
        }),
      ),
  };
}
