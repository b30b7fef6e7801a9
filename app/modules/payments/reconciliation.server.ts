import { and, eq, gte, inArray, isNull, lt, ne } from "drizzle-orm";
import type Stripe from "stripe";
import type { Actor } from "#app/modules/accounts/actor.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  type BankStatementLine,
  bankStatementLines,
  paymentReceipts,
  payments,
  refunds,
} from "#db/schema/index.ts";
import { financeAgencyOf } from "./agency-scope.server.ts";
import type { CardPayments } from "./stripe-client.server.ts";

/**
 * The reconciliation report: what the bank and Stripe say happened, against
 * what the ledger recorded, for one agency and period. Lists every difference;
 * an empty list is the statement that the two agree.
 */

export interface Period {
  /** Inclusive, YYYY-MM-DD (UTC). */
  from: string;
  /** Inclusive, YYYY-MM-DD (UTC). */
  to: string;
}

export type ProviderMismatch = {
  kind: "missing_in_ledger" | "missing_at_provider" | "amount_mismatch";
  object: "charge" | "refund";
  /** Stripe's id (pi_/re_) and ours, when known. */
  providerId: string | null;
  paymentId: string | null;
  reference: string | null;
  currency: string;
  providerAmount: bigint | null;
  ledgerAmount: bigint | null;
};

export interface Reconciliation {
  period: Period;
  bank: {
    /** Statement lines that became no receipt. */
    unmatchedLines: BankStatementLine[];
    /** Receipts typed by hand (transfer or counter) that no imported statement line confirms yet. */
    receiptsWithoutStatement: Array<{
      paymentId: string;
      reference: string;
      amount: bigint;
      currency: string;
      receivedOn: string;
      bankReference: string;
    }>;
    matchedLines: number;
  };
  stripe:
    | { status: "off" }
    | { status: "unavailable"; detail: string }
    | { status: "checked"; charges: number; refunds: number; mismatches: ProviderMismatch[] };
}

const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);
const nextDay = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

export async function reconcile(
  input: { actor: Actor; period: Period },
  deps: { db: Queryable; card: CardPayments | null },
): Promise<Reconciliation> {
  const { agency } = await financeAgencyOf(input.actor, "payments:read", deps.db);
  const { db } = deps;
  const from = dayStart(input.period.from);
  const until = nextDay(input.period.to);

  const lines = await db
    .select()
    .from(bankStatementLines)
    .where(
      and(
        eq(bankStatementLines.agencyId, agency.id),
        gte(bankStatementLines.bookedOn, input.period.from),
        lt(bankStatementLines.bookedOn, until.toISOString().slice(0, 10)),
      ),
    )
    .orderBy(bankStatementLines.bookedOn);
  const manual = await db
    .select({ receipt: paymentReceipts, reference: payments.reference, currency: payments.currency })
    .from(paymentReceipts)
    .innerJoin(payments, eq(payments.id, paymentReceipts.paymentId))
    .where(
      and(
        eq(payments.payeeId, agency.id),
        eq(paymentReceipts.source, "manual"),
        ne(paymentReceipts.status, "rejected"),
        isNull(paymentReceipts.statementLineId),
        gte(paymentReceipts.receivedOn, input.period.from),
        lt(paymentReceipts.receivedOn, until.toISOString().slice(0, 10)),
      ),
    );
  const bank = {
    unmatchedLines: lines.filter((l) => l.outcome !== "matched"),
    matchedLines: lines.filter((l) => l.outcome === "matched").length,
    receiptsWithoutStatement: manual.map((m) => ({
      paymentId: m.receipt.paymentId,
      reference: m.reference,
      amount: m.receipt.amount,
      currency: m.currency,
      receivedOn: m.receipt.receivedOn,
      bankReference: m.receipt.bankReference,
    })),
  };
  if (!deps.card) return { period: input.period, bank, stripe: { status: "off" } };
  try {
    return {
      period: input.period,
      bank,
      stripe: await reconcileStripe(agency.id, from, until, deps.card, db),
    };
  } catch (e) {
    return {
      period: input.period,
      bank,
      stripe: { status: "unavailable", detail: String((e as Error).message) },
    };
  }
}

const idOf = (x: string | { id: string } | null | undefined) => (typeof x === "string" ? x : (x?.id ?? null));

async function reconcileStripe(
  agencyId: string,
  from: Date,
  until: Date,
  card: CardPayments,
  db: Queryable,
): Promise<Extract<Reconciliation["stripe"], { status: "checked" }>> {
  // What Stripe moved: charges by PaymentIntent, refunds by id.
  const stripeCharges = new Map<string, { amount: bigint; currency: string; paymentId: string | null }>();
  const stripeRefunds = new Map<string, { amount: bigint; currency: string; intent: string | null }>();
  const range = { gte: Math.floor(from.getTime() / 1000), lt: Math.floor(until.getTime() / 1000) };
  for await (const bt of card.stripe.balanceTransactions.list({
    created: range,
    limit: 100,
    expand: ["data.source"],
  })) {
    const source = bt.source as Stripe.Charge | Stripe.Refund | string | null;
    if (!source || typeof source === "string") continue;
    if (source.object === "charge") {
      const intent = idOf(source.payment_intent);
      if (intent)
        stripeCharges.set(intent, {
          amount: BigInt(source.amount),
          currency: source.currency.toUpperCase(),
          paymentId: source.metadata?.payment_id ?? null,
        });
    } else if (source.object === "refund" && source.status !== "failed" && source.status !== "canceled") {
      stripeRefunds.set(source.id, {
        amount: BigInt(source.amount),
        currency: source.currency.toUpperCase(),
        intent: idOf(source.payment_intent),
      });
    }
  }

  // What the ledger recorded for this agency, in the period or named by Stripe's records.
  const ours = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.payeeId, agencyId),
        eq(payments.method, "stripe"),
        gte(payments.capturedAt, from),
        lt(payments.capturedAt, until),
      ),
    );
  const intents = [
    ...stripeCharges.keys(),
    ...[...stripeRefunds.values()].map((r) => r.intent).filter((i): i is string => Boolean(i)),
  ];
  const named = intents.length
    ? await db
        .select()
        .from(payments)
        .where(and(eq(payments.payeeId, agencyId), inArray(payments.providerReference, intents)))
    : [];
  const chargeIds = [...stripeCharges.values()]
    .map((c) => c.paymentId)
    .filter((id): id is string => Boolean(id && /^[0-9a-f-]{36}$/.test(id)));
  const byMetadata = chargeIds.length
    ? await db
        .select()
        .from(payments)
        .where(and(eq(payments.payeeId, agencyId), inArray(payments.id, chargeIds)))
    : [];
  const byIntent = new Map(
    [...ours, ...named].filter((p) => p.providerReference).map((p) => [p.providerReference!, p]),
  );

  const mismatches: ProviderMismatch[] = [];
  for (const [intent, charge] of stripeCharges) {
    const payment = byIntent.get(intent);
    if (payment) {
      if (payment.amount !== charge.amount || payment.currency !== charge.currency)
        mismatches.push({
          kind: "amount_mismatch",
          object: "charge",
          providerId: intent,
          paymentId: payment.id,
          reference: payment.reference,
          currency: charge.currency,
          providerAmount: charge.amount,
          ledgerAmount: payment.amount,
        });
      continue;
    }
    // Paid at Stripe but not captured here: only this agency's (by the payment the charge names).
    const named = byMetadata.find((p) => p.id === charge.paymentId);
    if (named)
      mismatches.push({
        kind: "missing_in_ledger",
        object: "charge",
        providerId: intent,
        paymentId: named.id,
        reference: named.reference,
        currency: charge.currency,
        providerAmount: charge.amount,
        ledgerAmount: null,
      });
  }
  for (const payment of ours)
    if (!payment.providerReference || !stripeCharges.has(payment.providerReference))
      mismatches.push({
        kind: "missing_at_provider",
        object: "charge",
        providerId: payment.providerReference,
        paymentId: payment.id,
        reference: payment.reference,
        currency: payment.currency,
        providerAmount: null,
        ledgerAmount: payment.amount,
      });

  const ourRefunds = await db
    .select({ refund: refunds, reference: payments.reference, currency: payments.currency })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(eq(payments.payeeId, agencyId), eq(refunds.method, "stripe")));
  const refundsById = new Map(ourRefunds.map((r) => [r.refund.providerReference, r]));
  for (const [id, refund] of stripeRefunds) {
    const ours = refundsById.get(id);
    const payment = refund.intent ? byIntent.get(refund.intent) : undefined;
    if (!ours) {
      if (payment)
        mismatches.push({
          kind: "missing_in_ledger",
          object: "refund",
          providerId: id,
          paymentId: payment.id,
          reference: payment.reference,
          currency: refund.currency,
          providerAmount: refund.amount,
          ledgerAmount: null,
        });
    } else if (ours.refund.amount !== refund.amount)
      mismatches.push({
        kind: "amount_mismatch",
        object: "refund",
        providerId: id,
        paymentId: ours.refund.paymentId,
        reference: ours.reference,
        currency: refund.currency,
        providerAmount: refund.amount,
        ledgerAmount: ours.refund.amount,
      });
  }
  for (const r of ourRefunds)
    if (
      r.refund.createdAt >= from &&
      r.refund.createdAt < until &&
      !stripeRefunds.has(r.refund.providerReference ?? "")
    )
      mismatches.push({
        kind: "missing_at_provider",
        object: "refund",
        providerId: r.refund.providerReference,
        paymentId: r.refund.paymentId,
        reference: r.reference,
        currency: r.currency,
        providerAmount: null,
        ledgerAmount: r.refund.amount,
      });

  return { status: "checked", charges: stripeCharges.size, refunds: stripeRefunds.size, mismatches };
}
