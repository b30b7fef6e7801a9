import { toDecimalString } from "#app/modules/ledger/money.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import { MAX_MILESTONES } from "#db/schema/contract-kinds.ts";
import type { ContractTerms } from "#db/schema/contracts.ts";
import type { MilestoneForm } from "./contract-rules.ts";
import type { ContractFull } from "./contract-views.server.ts";

/**
 * What contract pages show, as plain strings: amounts formatted for the
 * reader's language (and as exact decimals where a form is filled with them),
 * times in the tender's time zone, calendar dates as they are. Pure, so the
 * officer's, the supplier's and the public pages share it.
 */

/** Left-to-right isolate, so dates, numbers and references keep their order in Arabic text. */
const ltr = (text: string): string => (text ? `\u2066${text}\u2069` : text);

/** Milestone rows of a form: `milestones.N.titleAr`, `…titleEn`, `…dueOn`, `…amount`, `…id`. */
export function milestonesFromForm(form: FormData): MilestoneForm[] {
  const rows: MilestoneForm[] = [];
  for (let i = 0; i < MAX_MILESTONES + 10; i++) {
    const field = (name: string) => {
      const v = form.get(`milestones.${i}.${name}`);
      return typeof v === "string" ? v.slice(0, 300) : null;
    };
    const titleAr = field("titleAr");
    if (titleAr === null && field("titleEn") === null && field("amount") === null) continue;
    rows.push({
      id: field("id") || null,
      titleAr: titleAr ?? "",
      titleEn: field("titleEn") ?? "",
      dueOn: field("dueOn") ?? "",
      amount: field("amount") ?? "",
    });
  }
  return rows;
}

export function contractView(full: ContractFull, lang: string) {
  const { contract: c, tender } = full;
  const zone = tender.timeZone;
  const money = (amount: bigint) => ltr(moneyText(amount, c.currency, lang));
  const at = (d: Date | null) => (d ? ltr(formatInZone(d, zone)) : "");
  // First-strong isolates: a name in either script keeps its place in a sentence of the other.
  const name = (id: string | null) => (id && full.names.get(id) ? `\u2068${full.names.get(id)}\u2069` : "");
  const milestoneTitle = (m: { titleAr: string; titleEn: string }) => (lang === "ar" ? m.titleAr : m.titleEn);
  const paidOf = (milestoneId: string) =>
    full.invoices
      .filter((i) => i.milestoneId === milestoneId && i.status === "paid")
      .reduce((s, i) => s + i.amount, 0n);
  return {
    id: c.id,
    reference: c.reference,
    status: c.status,
    tenderId: tender.id,
    tender: `${tender.reference} – ${lang === "ar" ? tender.titleAr : tender.titleEn}`,
    lotNumber: full.lot.number,
    lot: lang === "ar" ? full.lot.titleAr : full.lot.titleEn,
    agency: lang === "ar" ? full.agency.nameAr : full.agency.nameEn,
    supplier: lang === "ar" ? full.supplier.nameAr : full.supplier.nameEn,
    value: money(c.value),
    valueDecimal: toDecimalString({ amount: c.value, currency: c.currency }),
    currency: c.currency,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    version: c.version,
    createdBy: name(c.createdBy),
    createdById: c.createdBy,
    createdAt: at(c.createdAt),
    acceptedBy: name(c.acceptedBy),
    acceptedAt: at(c.acceptedAt),
    signedBy: name(c.signedBy),
    signedAt: at(c.signedAt),
    books: {
      contracted: money(full.books.contracted),
      invoiced: money(full.books.invoiced),
      paid: money(full.books.paid),
      committed: money(full.books.committed),
      payable: money(full.books.payable),
    },
    milestones: full.milestones.map((m) => ({
      id: m.id,
      position: m.position,
      title: milestoneTitle(m),
      titleAr: m.titleAr,
      titleEn: m.titleEn,
      dueOn: m.dueOn,
      amount: money(m.amount),
      amountDecimal: toDecimalString({ amount: m.amount, currency: c.currency }),
      invoiced: money(m.invoicedAmount),
      left: money(m.amount - m.invoicedAmount),
      hasLeft: m.amount > m.invoicedAmount,
      paid: money(paidOf(m.id)),
      delivered: m.deliveredAt !== null,
      deliveredAt: at(m.deliveredAt),
      deliveredBy: name(m.deliveredBy),
      deliveryNote: m.deliveryNote ?? "",
    })),
    invoices: full.invoices.map((i) => {
      const m = full.milestones.find((x) => x.id === i.milestoneId);
      return {
        id: i.id,
        number: i.number,
        milestone: m ? `${m.position}. ${milestoneTitle(m)}` : "",
        amount: money(i.amount),
        status: i.status,
        submittedAt: at(i.submittedAt),
        submittedBy: name(i.submittedBy),
        decidedBy: name(i.decidedBy),
        decidedById: i.decidedBy ?? "",
        decidedAt: at(i.decidedAt),
        rejectReason: i.rejectReason ?? "",
        paidBy: name(i.paidBy),
        paidAt: at(i.paidAt),
        paymentReference: i.paymentReference ?? "",
        document: i.document ? { name: i.document.originalName } : null,
      };
    }),
    amendments: full.amendments.map((a) => ({
      id: a.id,
      version: a.version,
      reason: a.reason,
      by: name(a.createdBy),
      at: at(a.createdAt),
      ...termsChanges(a.before, a.after, lang),
    })),
  };
}

export type ContractView = ReturnType<typeof contractView>;

/** What an amendment changed, in words for its list: value, period, milestones (each side summarised). */
function termsChanges(before: ContractTerms, after: ContractTerms, lang: string) {
  const money = (v: string) => ltr(moneyText(BigInt(v), after.currency, lang));
  const period = (t: ContractTerms) => ltr(`${t.startsOn} – ${t.endsOn}`);
  type M = ContractTerms["milestones"][number];
  const text = (m: M) =>
    `${m.position}. ${lang === "ar" ? m.titleAr : m.titleEn} (${ltr(m.dueOn)}${lang === "ar" ? "،" : ","} ${money(m.amount)})`;
  const same = (a: M, b: M) =>
    a.position === b.position &&
    a.titleAr === b.titleAr &&
    a.titleEn === b.titleEn &&
    a.dueOn === b.dueOn &&
    a.amount === b.amount;
  const was = new Map(before.milestones.map((m) => [m.id, m]));
  const kept = new Set(after.milestones.map((m) => m.id));
  type Change = { kind: "added" | "changed" | "removed"; text: string };
  const milestones: Change[] = [
    ...after.milestones.flatMap((m): Change[] => {
      const old = m.id ? was.get(m.id) : undefined;
      if (!old) return [{ kind: "added", text: text(m) }];
      return same(old, m)
        ? []
        : [{ kind: "changed", text: `${text(old)} ${lang === "ar" ? "←" : "→"} ${text(m)}` }];
    }),
    ...before.milestones
      .filter((m) => !kept.has(m.id))
      .map((m): Change => ({ kind: "removed", text: text(m) })),
  ];
  return {
    value: before.value !== after.value ? { before: money(before.value), after: money(after.value) } : null,
    period:
      before.startsOn !== after.startsOn || before.endsOn !== after.endsOn
        ? { before: period(before), after: period(after) }
        : null,
    milestones,
  };
}

type PublicRow = Awaited<ReturnType<typeof import("./contract-views.server.ts").publicContracts>>[number];

/** A signed contract as the public tender page shows it: supplier, value, period, signature, progress, paid to date. */
export function publicContractView(row: PublicRow, lang: string) {
  const c = row.contract;
  const money = (amount: bigint) => ltr(moneyText(amount, c.currency, lang));
  const paidPercent = c.value > 0n ? Number((row.books.paid * 1000n) / c.value) / 10 : 0;
  return {
    id: c.id,
    reference: c.reference,
    lotNumber: row.lot.number,
    lot: lang === "ar" ? row.lot.titleAr : row.lot.titleEn,
    supplier: lang === "ar" ? row.supplier.nameAr : row.supplier.nameEn,
    value: money(c.value),
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    signedAt: c.signedAt ? ltr(formatInZone(c.signedAt, row.tender.timeZone)) : "",
    signedBy: row.signedByName ? `\u2068${row.signedByName}\u2069` : "",
    delivered: row.milestones.delivered,
    total: row.milestones.total,
    paid: money(row.books.paid),
    paidPercent,
  };
}
