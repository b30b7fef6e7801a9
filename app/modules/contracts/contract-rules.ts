import { parseAmount } from "#app/modules/ledger/money.ts";
import { AppError } from "#app/utils/errors.ts";
import { MAX_MILESTONES } from "#db/schema/contract-kinds.ts";
import type { ContractTerms } from "#db/schema/contracts.ts";

/**
 * Pure rules of contracts: what terms (period and milestones) are acceptable,
 * how an amendment compares with the terms it changes, and when a bid's
 * security may go back to its bidder. No database here; the use cases call
 * these inside their transactions.
 */

/** A milestone as typed in a form: amounts are decimals in the contract's currency. */
export interface MilestoneForm {
  /** An existing milestone's id (amendments); absent for a new one. */
  id?: string | null;
  titleAr: string;
  titleEn: string;
  dueOn: string;
  amount: string;
}

export interface TermsForm {
  startsOn: string;
  endsOn: string;
  milestones: MilestoneForm[];
}

export interface MilestoneTerms {
  id: string | null;
  position: number;
  titleAr: string;
  titleEn: string;
  dueOn: string;
  amount: bigint;
}

export interface Terms {
  value: bigint;
  currency: string;
  startsOn: string;
  endsOn: string;
  milestones: MilestoneTerms[];
}

/** A real calendar day written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

const clean = (s: string, max: number) => s.trim().replace(/\s+/g, " ").slice(0, max);

/**
 * Check a period and its milestones against the value they must add up to:
 * both dates real and in order; 1 to MAX_MILESTONES milestones, each with both
 * titles, a due date within the period and a positive amount with no more
 * decimals than the currency has; their sum exactly the value. Errors name the
 * field (`startsOn`, `endsOn`, `milestones.N.field`, or `milestones` for the sum).
 */
export function checkTerms(form: TermsForm, value: bigint, currency: string): Terms {
  const startsOn = form.startsOn.trim();
  const endsOn = form.endsOn.trim();
  if (!isCalendarDate(startsOn)) throw new AppError("CONTRACT_PERIOD_INVALID", {}, { field: "startsOn" });
  if (!isCalendarDate(endsOn) || endsOn < startsOn)
    throw new AppError("CONTRACT_PERIOD_INVALID", {}, { field: "endsOn" });
  const rows = form.milestones.filter(
    (m) => m.id || m.titleAr.trim() || m.titleEn.trim() || m.amount.trim() || m.dueOn.trim(),
  );
  if (rows.length === 0 || rows.length > MAX_MILESTONES)
    throw new AppError("MILESTONES_INVALID", { max: MAX_MILESTONES }, { field: "milestones" });
  const milestones = rows.map((m, i): MilestoneTerms => {
    const field = (name: string) => ({ field: `milestones.${i}.${name}` });
    const titleAr = clean(m.titleAr, 300);
    const titleEn = clean(m.titleEn, 300);
    if (!titleAr) throw new AppError("MILESTONE_TITLE_REQUIRED", {}, field("titleAr"));
    if (!titleEn) throw new AppError("MILESTONE_TITLE_REQUIRED", {}, field("titleEn"));
    const dueOn = m.dueOn.trim();
    if (!isCalendarDate(dueOn) || dueOn < startsOn || dueOn > endsOn)
      throw new AppError("MILESTONE_DUE_INVALID", {}, field("dueOn"));
    const amount = parseAmount(m.amount, currency);
    if (amount === null || amount <= 0n) throw new AppError("AMOUNT_INVALID", {}, field("amount"));
    return { id: m.id || null, position: i + 1, titleAr, titleEn, dueOn, amount };
  });
  const sum = milestones.reduce((total, m) => total + m.amount, 0n);
  if (sum !== value) throw new AppError("MILESTONES_SUM_MISMATCH", {}, { field: "milestones" });
  return { value, currency, startsOn, endsOn, milestones };
}

/** Terms as stored with an amendment (amounts as strings: JSON has no bigint). */
export function termsSnapshot(terms: Terms): ContractTerms {
  return {
    value: terms.value.toString(),
    currency: terms.currency,
    startsOn: terms.startsOn,
    endsOn: terms.endsOn,
    milestones: terms.milestones.map((m) => ({ ...m, amount: m.amount.toString() })),
  };
}

/** What a milestone already carries: invoices (not rejected) and whether it was delivered. */
export interface MilestoneState {
  id: string;
  invoicedAmount: bigint;
  invoiceCount: number;
  delivered: boolean;
}

export type AmendmentPlan = {
  /** Existing milestones kept (changed or not), by id. */
  keep: MilestoneTerms[];
  /** New milestones. */
  add: MilestoneTerms[];
  /** Existing milestones the amendment removes. */
  remove: string[];
  valueDelta: bigint;
};

/**
 * Compare amended terms with the current ones. A milestone named by id must be
 * one of the contract's; one left out is removed, which only a milestone never
 * invoiced nor delivered may be; a kept milestone's amount never falls below
 * what was invoiced against it. Identical terms are NOTHING_CHANGED.
 */
export function planAmendment(current: Terms, next: Terms, states: MilestoneState[]): AmendmentPlan {
  const byId = new Map(states.map((s) => [s.id, s]));
  const named = new Set<string>();
  for (const [i, m] of next.milestones.entries()) {
    if (!m.id) continue;
    const state = byId.get(m.id);
    if (!state || named.has(m.id)) throw new AppError("VALIDATION", {}, { field: `milestones.${i}.titleEn` });
    named.add(m.id);
    if (m.amount < state.invoicedAmount)
      throw new AppError(
        "MILESTONE_BELOW_INVOICED",
        { invoiced: state.invoicedAmount.toString() },
        { field: `milestones.${i}.amount` },
      );
  }
  const remove = states.filter((s) => !named.has(s.id)).map((s) => s.id);
  for (const id of remove) {
    const s = byId.get(id)!;
    if (s.invoiceCount > 0 || s.delivered)
      throw new AppError("MILESTONE_IN_USE", {}, { field: "milestones" });
  }
  const same =
    current.value === next.value &&
    current.startsOn === next.startsOn &&
    current.endsOn === next.endsOn &&
    JSON.stringify(termsSnapshot(current).milestones) === JSON.stringify(termsSnapshot(next).milestones);
  if (same) throw new AppError("NOTHING_CHANGED");
  return {
    keep: next.milestones.filter((m) => m.id),
    add: next.milestones.filter((m) => !m.id),
    remove,
    valueDelta: next.value - current.value,
  };
}

/** One award of a lot, as the security rule reads it. */
export interface AwardOutcome {
  lotId: string;
  bidId: string;
  /** Approved or contracted, with its standstill over by the database clock. */
  final: boolean;
  /** Its contract is signed. */
  signed: boolean;
}

/**
 * Whether a bid's security may go back to its bidder: for EVERY lot the bid
 * priced, the lot is cancelled, or its award is final and either went to
 * another bid (the bid lost it) or went to this bid and its contract is signed.
 * So a loser's security is released when the award becomes final (the
 * standstill over without a complaint holding it), and the winner's at the
 * signature of its contract (of every lot it won).
 */
export function securityReleasable(
  bid: { bidId: string; lotIds: string[] },
  outcomes: AwardOutcome[],
  cancelledLots: ReadonlySet<string>,
): boolean {
  if (bid.lotIds.length === 0) return false;
  return bid.lotIds.every((lotId) => {
    if (cancelledLots.has(lotId)) return true;
    return outcomes.some((o) => o.lotId === lotId && o.final && (o.bidId !== bid.bidId || o.signed));
  });
}

/** The subject a bid's security is held under (bid_security_holds.subject). */
export const bidSecuritySubject = (bidId: string) => `bid:${bidId}`;
