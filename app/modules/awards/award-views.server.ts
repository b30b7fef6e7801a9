import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { snapshotOf } from "#app/modules/evaluations/close-evaluation.server.ts";
import type { EvaluationSnapshot } from "#app/modules/evaluations/evaluation-snapshot.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  awards,
  bids,
  INACTIVE_AWARD_STATUSES,
  organisations,
  tenderEvaluations,
  tenderLots,
  tenders,
  users,
} from "#db/schema/index.ts";

/**
 * Reading awards: the approvers' queue and one award for its decision, the
 * awards of a tender for its officers, the public award notices, and what a
 * bidder learns of the result — its OWN scores, and the winner's price and
 * score, never another loser's.
 */

const recommender = alias(users, "recommender");
const decider = alias(users, "decider");

/** An award is public once approved (its notice published) and while it counts as the lot's outcome. */
const isPublic = sql`${awards.noticePublishedAt} is not null and ${awards.status} not in (${sql.raw(
  INACTIVE_AWARD_STATUSES.map((s) => `'${s}'`).join(", "),
)})`;

const awardColumns = {
  award: awards,
  reference: tenders.reference,
  titleAr: tenders.titleAr,
  titleEn: tenders.titleEn,
  timeZone: tenders.timeZone,
  lotNumber: tenderLots.number,
  lotTitleAr: tenderLots.titleAr,
  lotTitleEn: tenderLots.titleEn,
  bidderAr: organisations.nameAr,
  bidderEn: organisations.nameEn,
  recommendedByName: recommender.displayName,
  decidedByName: decider.displayName,
  standstillOver: sql<boolean>`coalesce(${awards.standstillEndsAt} <= now(), false)`,
};

function awardsQuery(db: Queryable) {
  return db
    .select(awardColumns)
    .from(awards)
    .innerJoin(tenders, eq(tenders.id, awards.tenderId))
    .innerJoin(tenderLots, eq(tenderLots.id, awards.tenderLotId))
    .innerJoin(organisations, eq(organisations.id, awards.businessId))
    .innerJoin(recommender, eq(recommender.id, awards.recommendedBy))
    .leftJoin(decider, eq(decider.id, awards.decidedBy));
}

export type AwardRow = Awaited<ReturnType<typeof awardsQuery>>[number];

function approverAgency(actor: Actor): { agencyId: string; userId: string } {
  assertCan(actor, "award:approve");
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  return { agencyId: actor.membership.organisationId, userId: actor.userId };
}

/** Awards of the approver's agency waiting for a decision, oldest first. */
export async function approvalQueue(actor: Actor, db: Queryable) {
  const { agencyId, userId } = approverAgency(actor);
  const rows = await awardsQuery(db)
    .where(and(eq(tenders.agencyId, agencyId), eq(awards.status, "recommended")))
    .orderBy(asc(awards.recommendedAt))
    .limit(200);
  return rows.map((r) => ({ ...r, mine: r.award.recommendedBy === userId }));
}

/** Recent decisions of the agency's approvers, newest first. */
export async function recentDecisions(actor: Actor, db: Queryable) {
  const { agencyId } = approverAgency(actor);
  return awardsQuery(db)
    .where(and(eq(tenders.agencyId, agencyId), sql`${awards.decidedAt} is not null`))
    .orderBy(desc(awards.decidedAt))
    .limit(20);
}

/** One award of the agency for an approver, with the lot's evaluation result to decide on. */
export async function awardForApprover(actor: Actor, awardId: string, db: Queryable) {
  const { agencyId, userId } = approverAgency(actor);
  const [row] = await awardsQuery(db).where(and(eq(awards.id, awardId), eq(tenders.agencyId, agencyId)));
  if (!row) throw new AppError("NOT_FOUND");
  const evaluation = await db.query.tenderEvaluations.findFirst({
    where: eq(tenderEvaluations.tenderId, row.award.tenderId),
  });
  const snapshot = snapshotOf(evaluation ?? null);
  return {
    ...row,
    mine: row.award.recommendedBy === userId,
    snapshot,
    lot: snapshot?.lots.find((l) => l.lotId === row.award.tenderLotId) ?? null,
    standstillDays: evaluation?.standstillDays ?? null,
  };
}

/** Every award of a tender (any state), for its officers' page. */
export async function awardsOfTender(tenderId: string, db: Queryable) {
  return awardsQuery(db)
    .where(eq(awards.tenderId, tenderId))
    .orderBy(asc(tenderLots.number), asc(awards.recommendedAt));
}

/** The public award notices of a tender: winner, price, standstill. */
export async function publicAwards(tenderId: string, db: Queryable) {
  return awardsQuery(db)
    .where(and(eq(awards.tenderId, tenderId), isPublic))
    .orderBy(asc(tenderLots.number));
}

/** A scored or excluded entry of one bid in one lot of the stored result. */
function entryOf(snapshot: EvaluationSnapshot, lotId: string, bidId: string) {
  const lot = snapshot.lots.find((l) => l.lotId === lotId);
  if (!lot) return null;
  const ranked = lot.result.ranked.find((b) => b.bidId === bidId);
  if (ranked) return { kind: "ranked" as const, entry: ranked, of: lot.result.ranked.length };
  const excluded = lot.result.excluded.find((b) => b.bidId === bidId);
  return excluded ? { kind: "excluded" as const, entry: excluded } : null;
}

/**
 * The result as a bidder sees it, lot by lot, once the lot's award is approved: its own bid's
 * scores (per criterion, technical, financial, total, rank) or why it was excluded, and the
 * winner's name, price and total. Nothing about the other bids.
 */
export async function bidderResult(actor: Actor, tenderId: string, db: Queryable) {
  assertCan(actor, "bid:submit");
  if (actor.membership?.kind !== "business") throw new AppError("FORBIDDEN");
  const businessId = actor.membership.organisationId;
  const tender = await db.query.tenders.findFirst({ where: eq(tenders.id, tenderId) });
  const bid = tender
    ? await db.query.bids.findFirst({
        where: and(eq(bids.tenderId, tender.id), eq(bids.businessId, businessId)),
      })
    : undefined;
  if (!tender || !bid) throw new AppError("NOT_FOUND");
  const evaluation = await db.query.tenderEvaluations.findFirst({
    where: eq(tenderEvaluations.tenderId, tender.id),
  });
  const snapshot = snapshotOf(evaluation ?? null);
  const notices = await publicAwards(tender.id, db);
  const lots = snapshot
    ? notices.flatMap((notice) => {
        const mine = entryOf(snapshot, notice.award.tenderLotId, bid.id);
        if (!mine) return [];
        return [
          {
            lotId: notice.award.tenderLotId,
            lotNumber: notice.lotNumber,
            lotTitleAr: notice.lotTitleAr,
            lotTitleEn: notice.lotTitleEn,
            won: notice.award.bidId === bid.id,
            mine,
            winner: {
              nameAr: notice.bidderAr,
              nameEn: notice.bidderEn,
              price: notice.award.price,
              currency: notice.award.currency,
              total: notice.award.total,
            },
            standstillEndsAt: notice.award.standstillEndsAt,
            standstillOver: notice.standstillOver,
            /** A complaint lodged during the standstill suspends the award (decision 017). */
            suspended: notice.award.status === "suspended",
          },
        ];
      })
    : [];
  return { tender, bid, evaluationStatus: evaluation?.status ?? null, criteria: tender.criteria, lots };
}
