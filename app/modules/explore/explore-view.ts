import type { TFunction } from "i18next";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import type { PublicContract } from "./award-contracts.server.ts";
import type { CurrencyTotal, PublicAward, PublicAwardState } from "./list-awards.server.ts";

/**
 * What the explore pages send to the browser: plain strings, amounts already
 * formatted for the reader's language (bigint never leaves the server).
 */

const day = (d: Date) => d.toISOString().slice(0, 10);
const name = (n: { nameAr: string; nameEn: string }, lang: string) => (lang === "ar" ? n.nameAr : n.nameEn);

export interface ContractView {
  reference: string;
  value: string;
  paid: string;
  milestones: string;
}

export function contractView(c: PublicContract, lang: string, t: TFunction): ContractView {
  return {
    reference: c.reference,
    value: moneyText(c.value, c.currency, lang),
    paid: moneyText(c.paid, c.currency, lang),
    milestones:
      c.milestones.total === 0
        ? ""
        : String(
            t("explore.contract.milestones", {
              delivered: c.milestones.delivered,
              total: c.milestones.total,
            }),
          ),
  };
}

export interface AwardRowView {
  id: string;
  tenderId: string;
  title: string;
  reference: string;
  lot: string | null;
  agency: { slug: string; name: string };
  supplier: { slug: string; name: string };
  amount: string;
  decidedOn: string;
  state: PublicAwardState;
  stateText: string;
  contract: ContractView | null;
}

export function awardRowView(a: PublicAward, lang: string, t: TFunction): AwardRowView {
  return {
    id: a.id,
    tenderId: a.tenderId,
    title: lang === "ar" ? a.titleAr : a.titleEn,
    reference: a.reference,
    lot: a.lotNumber === null ? null : String(t("explore.lot", { number: a.lotNumber })),
    agency: { slug: a.agency.slug, name: name(a.agency, lang) },
    supplier: { slug: a.supplier.slug, name: name(a.supplier, lang) },
    amount: moneyText(a.price, a.currency, lang),
    decidedOn: day(a.decidedAt),
    state: a.state,
    stateText: String(
      t(`explore.states.${a.state}`, { date: a.standstillEndsAt ? ltr(day(a.standstillEndsAt)) : "" }),
    ),
    contract: a.contract ? contractView(a.contract, lang, t) : null,
  };
}

export function totalsView(totals: CurrencyTotal[], lang: string) {
  return totals.map((x) => ({
    currency: x.currency,
    amount: moneyText(x.amount, x.currency, lang),
    awards: x.awards,
  }));
}
