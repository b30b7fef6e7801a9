import { canonicalJson } from "#app/modules/audit/audit-hash.ts";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import type { EvaluationSetup, LotInput, LotResult } from "./evaluate-lot.ts";

/**
 * The result of a closed evaluation as stored (tender_evaluations.result):
 * the setup, every lot's inputs (checks, scores of each evaluator, consensus,
 * justifications) and the result evaluateLot computed from them, with bigints
 * as decimal strings. Anyone holding it can run evaluateLot again and get the
 * same numbers; its SHA-256 (of the canonical JSON) is kept beside it and in
 * the audit event of the closing.
 *
 * Exclusion reasons written by the system rather than a person start with
 * "auto:" (see AUTO_REASONS); pages translate them.
 */

/** T with every bigint as its decimal string: what JSON can hold. */
export type Jsonified<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

export interface SnapshotBidder {
  bidId: string;
  businessId: string;
  nameAr: string;
  nameEn: string;
}

export interface SnapshotLot {
  lotId: string;
  number: number;
  input: Jsonified<LotInput>;
  result: Jsonified<LotResult>;
}

export interface EvaluationSnapshot {
  version: 1;
  tenderId: string;
  criteria: TenderCriterion[];
  evaluatorIds: string[];
  financialFormula: string;
  abnormallyLowPercent: number;
  bidders: SnapshotBidder[];
  lots: SnapshotLot[];
}

export const AUTO_REASONS = ["auto:business_not_verified", "auto:permit_not_valid"] as const;
export type AutoReason = (typeof AUTO_REASONS)[number];

export function jsonify<T>(value: T): Jsonified<T> {
  return JSON.parse(
    JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)),
  ) as Jsonified<T>;
}

export function buildSnapshot(input: {
  tenderId: string;
  setup: EvaluationSetup;
  bidders: SnapshotBidder[];
  lots: Array<{ lotId: string; number: number; input: LotInput; result: LotResult }>;
}): EvaluationSnapshot {
  return {
    version: 1,
    tenderId: input.tenderId,
    criteria: [...input.setup.criteria],
    evaluatorIds: [...input.setup.evaluatorIds],
    financialFormula: input.setup.financialFormula ?? "lowest_over_price",
    abnormallyLowPercent: input.setup.abnormallyLowPercent ?? 80,
    bidders: input.bidders,
    lots: input.lots.map((l) => ({
      lotId: l.lotId,
      number: l.number,
      input: jsonify(l.input),
      result: jsonify(l.result),
    })),
  };
}

/** The canonical text of a snapshot, whose SHA-256 is stored with it. */
export const snapshotText = (snapshot: EvaluationSnapshot): string => canonicalJson(snapshot);

/** A lot's stored inputs back as evaluateLot takes them (prices as bigints again). */
export function lotInputOf(lot: SnapshotLot): LotInput {
  return {
    ...lot.input,
    bids: lot.input.bids.map((b) => ({ ...b, price: { ...b.price, amount: BigInt(b.price.amount) } })),
  };
}
