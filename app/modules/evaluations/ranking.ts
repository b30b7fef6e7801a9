import type { Hundredths } from "./points.ts";

/**
 * Ranking of the qualified bids of ONE lot (each lot is ranked on its own).
 *
 * Order, each rule applying only when all before it are equal:
 *   1. `total`      higher total score first;
 *   2. `price`      lower price first;
 *   3. `technical`  higher technical score first;
 *   4. `receivedAt` earlier time of receipt first (exact, to the microsecond);
 *   5. `bidId`      smaller bid id first (code-unit order). A last resort so that
 *                   ranks are always unique and never depend on input order; it
 *                   can only decide between bids received in the same microsecond.
 *
 * Ranks are 1..n with no gaps and no shared ranks. Abnormally low bids keep the
 * rank their scores earn; whether a bid may WIN is a separate question
 * (`eligibleToWin`, see evaluate-lot.ts and `recommendWinner`).
 */
export const TIE_RULES = ["total", "price", "technical", "receivedAt", "bidId"] as const;
export type TieRule = (typeof TIE_RULES)[number];

export interface Rankable {
  bidId: string;
  total: Hundredths;
  technical: Hundredths;
  /** Minor units; all bids of a lot are in the lot's currency. */
  price: bigint;
  /** Time of receipt in microseconds since the epoch (see `parseReceivedAt`). */
  receivedAtMicros: bigint;
}

const sign = (x: bigint | number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);

/** Which rule puts `a` and `b` in order, and which way: negative when `a` ranks above `b`. */
export function decidingRule(a: Rankable, b: Rankable): { rule: TieRule; order: number } | null {
  if (a.total !== b.total) return { rule: "total", order: sign(b.total - a.total) };
  if (a.price !== b.price) return { rule: "price", order: sign(a.price - b.price) };
  if (a.technical !== b.technical) return { rule: "technical", order: sign(b.technical - a.technical) };
  if (a.receivedAtMicros !== b.receivedAtMicros)
    return { rule: "receivedAt", order: sign(a.receivedAtMicros - b.receivedAtMicros) };
  if (a.bidId !== b.bidId) return { rule: "bidId", order: a.bidId < b.bidId ? -1 : 1 };
  return null;
}

/** A comparator for `sort`: negative when `a` ranks above `b`. */
export const compareForRanking = (a: Rankable, b: Rankable): number => decidingRule(a, b)?.order ?? 0;

export type Ranked<T> = T & {
  /** 1 is best; unique within the lot. */
  rank: number;
  /** The rule that put this bid below the one ranked just above it; null for rank 1. */
  decidedBy: TieRule | null;
};

/** Rank bids 1..n by the tie rules above. Bid ids must be unique. The input is not changed. */
export function rankBids<T extends Rankable>(bids: readonly T[]): Ranked<T>[] {
  const sorted = [...bids].sort(compareForRanking);
  return sorted.map((bid, i) => {
    const above = i === 0 ? null : sorted[i - 1]!;
    const decided = above ? decidingRule(above, bid) : null;
    if (above && !decided) throw new RangeError(`bid ${bid.bidId} appears twice`);
    return { ...bid, rank: i + 1, decidedBy: decided?.rule ?? null };
  });
}

/** The best-ranked bid that may win, or null when none may. `ranked` must be in rank order. */
export function recommendWinner(
  ranked: ReadonlyArray<{ bidId: string; eligibleToWin: boolean }>,
): string | null {
  return ranked.find((b) => b.eligibleToWin)?.bidId ?? null;
}

const RECEIVED_AT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/i;

/**
 * An ISO 8601 time of receipt as microseconds since the epoch, exactly (no Date rounding to
 * milliseconds). Accepts `2026-03-01T10:00:00.123456Z`, PostgreSQL's `2026-03-01 13:00:00.123456+03`
 * and offsets such as `+03:00`; up to six decimals of a second. Null when it is not such a time.
 */
export function parseReceivedAt(text: string): bigint | null {
  const m = RECEIVED_AT.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = "", zulu, offsetSign, oh = "00", om = "00"] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  const offsetSeconds = zulu ? 0 : (offsetSign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  return BigInt(ms) * 1000n + BigInt(fraction.padEnd(6, "0")) - BigInt(offsetSeconds) * 1_000_000n;
}
