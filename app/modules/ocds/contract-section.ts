import { toDecimalString } from "#app/modules/ledger/money.ts";
import { zonedToInstant } from "#app/utils/time-zones.ts";
import type { ContractTerms } from "#db/schema/contracts.ts";
import type { OcdsAmendment, OcdsContract, OcdsMilestone } from "./ocds-types.ts";
import { eventKeys, type ProcessContract, type TenderProcess, type TenderStateAt } from "./tender-process.ts";
import type { OcdsContext } from "./tender-releases.ts";
import { isoDate, ocdsValue } from "./values.ts";

/**
 * The contracts section as the public saw it at a moment: every contract
 * signed by then (a contract awaiting the supplier's acceptance or the
 * agency's signature is not in force and not public), with its terms as they
 * stood then — later amendments undone from their recorded "before" terms —
 * its milestones (`met` once delivered), the amendments made after the
 * signature, and the agency's payments as implementation transactions (payer
 * the agency, payee the supplier). Never an invoice's number or document.
 */

/** A contract's terms at one moment. */
export interface TermsAt {
  value: bigint;
  currency: string;
  startsOn: string;
  endsOn: string;
  milestones: Array<{
    id: string;
    position: number;
    titleAr: string;
    titleEn: string;
    dueOn: string;
    amount: bigint;
  }>;
}

function fromSnapshot(terms: ContractTerms): TermsAt {
  return {
    value: BigInt(terms.value),
    currency: terms.currency,
    startsOn: terms.startsOn,
    endsOn: terms.endsOn,
    milestones: terms.milestones.map((m) => ({
      id: m.id ?? `position-${m.position}`,
      position: m.position,
      titleAr: m.titleAr,
      titleEn: m.titleEn,
      dueOn: m.dueOn,
      amount: BigInt(m.amount),
    })),
  };
}

/** The contract's terms at `at`: today's, with every amendment made after `at` undone, newest first. */
export function termsAt(c: ProcessContract, at: Date): TermsAt {
  const later = c.amendments
    .filter((a) => a.createdAt.getTime() > at.getTime())
    .sort((a, b) => a.version - b.version);
  if (later.length > 0) return fromSnapshot(later[0]!.before);
  return {
    value: c.value,
    currency: c.currency,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    milestones: c.milestones.map(({ deliveredAt: _, ...m }) => m),
  };
}

/** The day after a calendar date ("2026-12-31" → "2027-01-01"). */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A calendar date of the agency's as the instant it begins, or (end) the last millisecond of it. */
export function dayBoundary(date: string, zone: string, edge: "start" | "end"): string {
  if (edge === "start") return isoDate(zonedToInstant(`${date}T00:00`, zone)!);
  return isoDate(new Date(zonedToInstant(`${nextDay(date)}T00:00`, zone)!.getTime() - 1));
}

const money = (amount: bigint, currency: string) => `${toDecimalString({ amount, currency })} ${currency}`;

/** What an amendment changed, in words: value, period and milestones, each before and after. */
export function contractAmendmentDescription(before: ContractTerms, after: ContractTerms): string {
  const parts: string[] = [];
  if (before.value !== after.value)
    parts.push(
      `Value changed from ${money(BigInt(before.value), before.currency)} to ${money(BigInt(after.value), after.currency)}`,
    );
  if (before.startsOn !== after.startsOn || before.endsOn !== after.endsOn)
    parts.push(
      `Period changed from ${before.startsOn} – ${before.endsOn} to ${after.startsOn} – ${after.endsOn}`,
    );
  const shown = (t: ContractTerms) =>
    JSON.stringify(t.milestones.map((m) => [m.titleEn, m.titleAr, m.dueOn, m.amount]));
  if (shown(before) !== shown(after))
    parts.push(
      before.milestones.length === after.milestones.length
        ? `Milestones changed (${after.milestones.length})`
        : `Milestones changed from ${before.milestones.length} to ${after.milestones.length}`,
    );
  return parts.length ? `${parts.join("; ")}.` : "Terms restated without a change.";
}

function milestones(c: ProcessContract, terms: TermsAt, t: number, zone: string): OcdsMilestone[] {
  return [...terms.milestones]
    .sort((a, b) => a.position - b.position)
    .map((m) => {
      const delivered = c.milestones.find((x) => x.id === m.id)?.deliveredAt;
      const met = delivered && delivered.getTime() <= t ? delivered : null;
      return {
        id: m.id,
        title: m.titleEn,
        title_ar: m.titleAr,
        type: "delivery",
        description: `Milestone ${m.position}: ${money(m.amount, terms.currency)}, payable once delivered.`,
        dueDate: dayBoundary(m.dueOn, zone, "end"),
        status: met ? "met" : "scheduled",
        ...(met ? { dateMet: isoDate(met) } : {}),
      };
    });
}

function amendments(
  c: ProcessContract,
  t: number,
  releaseIdOfKey: (key: string) => string,
  previousKey: (key: string) => string | undefined,
): OcdsAmendment[] {
  return c.amendments
    .filter((a) => a.createdAt.getTime() <= t)
    .sort((a, b) => a.version - b.version)
    .map((a) => {
      const key = eventKeys.contractAmendment(c.id, a.version);
      const before = previousKey(key);
      return {
        id: String(a.version),
        date: isoDate(a.createdAt),
        rationale: a.reason,
        description: contractAmendmentDescription(a.before, a.after),
        ...(before ? { amendsReleaseID: releaseIdOfKey(before) } : {}),
        releaseID: releaseIdOfKey(key),
      };
    });
}

/** The contracts signed by the state's moment, oldest signature first; undefined before the first. */
export function contractsSection(
  p: TenderProcess,
  s: TenderStateAt,
  ctx: OcdsContext,
  ids: { releaseIdOfKey: (key: string) => string; previousKey: (key: string) => string | undefined },
): OcdsContract[] | undefined {
  const t = s.at.getTime();
  const signed = p.contracts
    .filter((c) => c.signedAt.getTime() <= t)
    .sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime() || (a.id < b.id ? -1 : 1));
  if (signed.length === 0) return undefined;
  const zone = p.tender.timeZone;
  return signed.map((c) => {
    const terms = termsAt(c, s.at);
    const lot = p.lots.find((l) => l.id === c.lotId);
    const supplier = p.awards.find((a) => a.id === c.awardId)?.supplier;
    const paid = c.payments
      .filter((x) => x.paidAt.getTime() <= t)
      .sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime() || (a.id < b.id ? -1 : 1));
    const changes = amendments(c, t, ids.releaseIdOfKey, ids.previousKey);
    return {
      id: c.id,
      awardID: c.awardId,
      title: `${c.reference}: ${lot ? lot.titleEn : p.tender.titleEn}`,
      title_ar: `${c.reference}: ${lot ? lot.titleAr : p.tender.titleAr}`,
      description: `Contract ${c.reference}, signed by the agency after the supplier accepted it.`,
      status: "active",
      period: {
        startDate: dayBoundary(terms.startsOn, zone, "start"),
        endDate: dayBoundary(terms.endsOn, zone, "end"),
      },
      value: ocdsValue(terms.value, terms.currency),
      dateSigned: isoDate(c.signedAt),
      documents: [
        {
          id: "contract-notice",
          documentType: "contractNotice",
          title: "Contract notice",
          description:
            "The signed contract's supplier, value, period, milestones delivered and payments to date, on the public page of the tender on Shafaf.",
          url: `${ctx.baseUrl}/tenders/${p.tender.id}`,
          datePublished: isoDate(c.signedAt),
          format: "text/html",
        },
      ],
      milestones: milestones(c, terms, t, zone),
      ...(changes.length ? { amendments: changes } : {}),
      ...(paid.length
        ? {
            implementation: {
              transactions: paid.map((x) => ({
                id: x.id,
                date: isoDate(x.paidAt),
                value: ocdsValue(x.amount, x.currency),
                payer: { id: p.buyer.id, name: p.buyer.nameEn },
                payee: { id: c.supplierId, name: supplier?.nameEn ?? c.supplierId },
              })),
            },
          }
        : {}),
    };
  });
}

/** Whether the buyer paid, or the business was paid, by the state's moment (the payer and payee roles). */
export function paymentRoles(p: TenderProcess, s: TenderStateAt): { payer: boolean; payees: Set<string> } {
  const t = s.at.getTime();
  const payees = new Set<string>();
  for (const c of p.contracts)
    if (c.signedAt.getTime() <= t && c.payments.some((x) => x.paidAt.getTime() <= t))
      payees.add(c.supplierId);
  return { payer: payees.size > 0, payees };
}
