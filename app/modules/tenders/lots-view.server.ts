import type { LotView } from "#app/components/tender.tsx";
import type { Language } from "#app/modules/i18n/i18n.ts";
import type { lotsOf } from "./author-tender.server.ts";
import { unitName } from "./classifications.server.ts";

/** Lots and items for a page, in the reader's language, units named. */
export function lotsView(lots: Awaited<ReturnType<typeof lotsOf>>, lang: Language): LotView[] {
  return lots.map((lot) => ({
    id: lot.id,
    number: lot.number,
    title: lang === "ar" ? lot.titleAr : lot.titleEn,
    items: lot.items.map((i) => ({
      id: i.id,
      description: lang === "ar" ? i.descriptionAr : i.descriptionEn,
      quantity: i.quantity.replace(/\.?0+$/, ""),
      unit: unitName(i.unit, lang)?.label ?? i.unit,
    })),
  }));
}
