import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { closeEvaluation } from "#app/modules/evaluations/close-evaluation.server.ts";
import { setStandstillDays } from "#app/modules/evaluations/manage-committee.server.ts";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { auditEvents, awards } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { clearedCommittee, qualifyAll, scoreAndSubmit } from "#tests/factories/evaluations.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { type OpenedTender, openedTender } from "#tests/factories/tenders.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { awardForApprover, bidderResult, publicAwards } from "./award-views.server.ts";
import { approveAward, sendBackAward } from "./decide-award.server.ts";
import { recommendAward } from "./recommend-award.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

/** An opened tender whose evaluation is closed: two members, every bid qualified and scored. */
async function closed(
  t: OpenedTender,
  points: (bidIndex: number) => string = (i) => ["80", "70", "60"][i] ?? "50",
) {
  const { chair, members } = await clearedCommittee(db, t);
  await qualifyAll(db, t, chair);
  for (const m of members) await scoreAndSubmit(db, t, m, (i) => points(i));
  const { snapshot } = await closeEvaluation({ actor: chair, tenderId: t.tender.id }, db);
  return { chair, snapshot };
}

const count = async (action: string) =>
  (await db.select().from(auditEvents).where(eq(auditEvents.action, action))).length;

describe("award of a lot", () => {
  test("the officer recommends the best-ranked bid (another only with a justification, an ineligible one never); the recommender can never approve it", async () => {
    const t = await openedTender(db, keys, { prices: [["1000000"], ["1100000"], ["700000"]] });
    // Before the evaluation is closed, there is nothing to recommend from.
    await expect(
      recommendAward(
        { actor: t.officer, tenderId: t.tender.id, lotId: t.lots[0]!.id, bidId: t.bidders[0]!.bidId },
        db,
      ),
    ).rejects.toMatchObject({ code: "EVALUATION_NOT_CLOSED" });
    const { snapshot } = await closed(t, (i) => ["80", "70", "90"][i]!);
    const result = snapshot.lots[0]!.result;
    const winner = result.recommendedWinner!;
    const runnerUp = result.ranked.find((b) => b.eligibleToWin && b.bidId !== winner)!;
    const low = result.ranked.find((b) => b.abnormallyLow)!;
    expect(low.eligibleToWin).toBe(false);
    const lotId = t.lots[0]!.id;
    await expect(
      recommendAward(
        { actor: t.officer, tenderId: t.tender.id, lotId, bidId: low.bidId, justification: "Cheapest" },
        db,
      ),
    ).rejects.toMatchObject({ code: "AWARD_NOT_ELIGIBLE" });
    await expect(
      recommendAward({ actor: t.officer, tenderId: t.tender.id, lotId, bidId: runnerUp.bidId }, db),
    ).rejects.toMatchObject({ code: "AWARD_JUSTIFICATION_REQUIRED", status: 400 });
    await expect(
      recommendAward({ actor: t.approvers[0]!, tenderId: t.tender.id, lotId, bidId: winner }, db),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    // An officer who is also an approver recommends: they cannot approve their own recommendation.
    const both = actorOf(
      await createUser(db, {
        memberships: [{ organisationId: t.agency.id, roles: ["procurement_officer", "approver"] }],
      }),
      { organisationId: t.agency.id, kind: "agency", roles: ["procurement_officer", "approver"] },
    );
    const award = await recommendAward({ actor: both, tenderId: t.tender.id, lotId, bidId: winner }, db);
    // Rank 2: the abnormally low bid ranks first but may not win without a justification.
    expect(award).toMatchObject({ status: "recommended", bidId: winner, rank: 2 });
    await expect(approveAward({ actor: both, awardId: award.id }, db)).rejects.toMatchObject({
      code: "AWARD_SELF_APPROVAL",
      status: 403,
    });
    await expect(
      sendBackAward({ actor: both, awardId: award.id, reason: "Changed my mind" }, db),
    ).rejects.toMatchObject({
      code: "AWARD_SELF_APPROVAL",
    });
    // Nor can the database be made to record it.
    const bypass = await db
      .execute(sql`update awards set status = 'approved', decided_by = recommended_by, decided_at = now(),
        notice_published_at = now(), standstill_ends_at = now() where id = ${award.id}`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(bypass)).toMatchObject({ code: "23514", constraint: "awards_four_eyes" });
    // One outcome per lot: no second recommendation while this one stands.
    await expect(
      recommendAward(
        {
          actor: t.officer,
          tenderId: t.tender.id,
          lotId,
          bidId: runnerUp.bidId,
          justification: "Better service",
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "AWARD_ALREADY_ACTIVE", status: 409 });

    const approved = await approveAward({ actor: t.approvers[0]!, awardId: award.id }, db);
    expect(approved).toMatchObject({ status: "approved", decidedBy: t.approvers[0]!.userId });
    const [{ standstill }] = (await db.execute(
      sql`select (standstill_ends_at - decided_at) = interval '10 days' as standstill from awards where id = ${award.id}`,
    )) as unknown as [{ standstill: boolean }];
    expect(standstill).toBe(true);
    await expect(approveAward({ actor: t.approvers[1]!, awardId: award.id }, db)).rejects.toMatchObject({
      code: "AWARD_NOT_PENDING",
    });
    const view = await awardForApprover(t.approvers[1]!, award.id, db);
    expect(view.lot?.result.recommendedWinner).toBe(winner);
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, award.id), eq(auditEvents.action, "award.approved")));
    expect(events).toHaveLength(1);
  });

  test("an approver sends a recommendation back with a reason; the officer may then recommend again, with a justification for another bid", async () => {
    const t = await openedTender(db, keys);
    const { snapshot } = await closed(t);
    const result = snapshot.lots[0]!.result;
    const lotId = t.lots[0]!.id;
    const first = await recommendAward(
      { actor: t.officer, tenderId: t.tender.id, lotId, bidId: result.recommendedWinner! },
      db,
    );
    await expect(
      sendBackAward({ actor: t.approvers[0]!, awardId: first.id, reason: " " }, db),
    ).rejects.toMatchObject({ code: "REASON_REQUIRED", status: 400 });
    const sent = await sendBackAward(
      { actor: t.approvers[0]!, awardId: first.id, reason: "The bidder's bank guarantee expired yesterday." },
      db,
    );
    expect(sent).toMatchObject({ status: "sent_back", decidedBy: t.approvers[0]!.userId });
    const second = await recommendAward(
      {
        actor: t.secondOfficer,
        tenderId: t.tender.id,
        lotId,
        bidId: result.ranked[1]!.bidId,
        justification: "The best-ranked bidder can no longer give a valid bank guarantee.",
      },
      db,
    );
    expect(second.status).toBe("recommended");
    expect(await db.select().from(awards).where(eq(awards.tenderLotId, lotId))).toHaveLength(2);
  });

  test("the standstill period is set per tender (default 10 days), by the database clock, and settled once an award exists", async () => {
    const t = await openedTender(db, keys);
    const { snapshot } = await closed(t);
    await expect(
      setStandstillDays({ actor: t.officer, tenderId: t.tender.id, days: "61" }, db),
    ).rejects.toMatchObject({ code: "STANDSTILL_INVALID", status: 400 });
    await setStandstillDays({ actor: t.officer, tenderId: t.tender.id, days: "14" }, db);
    const award = await recommendAward(
      {
        actor: t.officer,
        tenderId: t.tender.id,
        lotId: t.lots[0]!.id,
        bidId: snapshot.lots[0]!.result.recommendedWinner!,
      },
      db,
    );
    await expect(
      setStandstillDays({ actor: t.officer, tenderId: t.tender.id, days: "3" }, db),
    ).rejects.toMatchObject({ code: "AWARD_ALREADY_ACTIVE" });
    await approveAward({ actor: t.approvers[0]!, awardId: award.id }, db);
    const [{ days }] = (await db.execute(
      sql`select extract(day from standstill_ends_at - decided_at)::int as days from awards where id = ${award.id}`,
    )) as unknown as [{ days: number }];
    expect(days).toBe(14);
  });
});

describe("races", () => {
  test("two approvers approving the same award at once: exactly one approval is recorded", async () => {
    const t = await openedTender(db, keys, {
      prices: [
        ["1000000", "2000000"],
        ["1100000", "2100000"],
        ["900000", "1900000"],
      ],
    });
    const { snapshot } = await closed(t);
    const before = await count("award.approved");
    for (const lot of snapshot.lots) {
      const award = await recommendAward(
        { actor: t.officer, tenderId: t.tender.id, lotId: lot.lotId, bidId: lot.result.recommendedWinner! },
        db,
      );
      const outcomes = await Promise.allSettled([
        approveAward({ actor: t.approvers[0]!, awardId: award.id }, db),
        approveAward({ actor: t.approvers[1]!, awardId: award.id }, db),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: "AWARD_NOT_PENDING" });
      const row = await db.query.awards.findFirst({ where: eq(awards.id, award.id) });
      const winner = outcomes.find((o) => o.status === "fulfilled") as PromiseFulfilledResult<{
        decidedBy: string;
      }>;
      expect(row?.decidedBy).toBe(winner.value.decidedBy);
    }
    expect((await count("award.approved")) - before).toBe(2);
  });

  test("an approval and a send-back at once: exactly one decision", async () => {
    const t = await openedTender(db, keys);
    const { snapshot } = await closed(t);
    const award = await recommendAward(
      {
        actor: t.officer,
        tenderId: t.tender.id,
        lotId: t.lots[0]!.id,
        bidId: snapshot.lots[0]!.result.recommendedWinner!,
      },
      db,
    );
    const outcomes = await Promise.allSettled([
      approveAward({ actor: t.approvers[0]!, awardId: award.id }, db),
      sendBackAward(
        { actor: t.approvers[1]!, awardId: award.id, reason: "Missing signature on the report" },
        db,
      ),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({
      code: "AWARD_NOT_PENDING",
    });
  });

  test("two officers recommending the same lot at once: exactly one award", async () => {
    const t = await openedTender(db, keys, {
      prices: [
        ["1000000", "2000000", "3000000"],
        ["1100000", "2100000", "3100000"],
        ["900000", "1900000", "2900000"],
      ],
    });
    const { snapshot } = await closed(t);
    for (const lot of snapshot.lots) {
      const [a, b] = [lot.result.ranked[0]!, lot.result.ranked[1]!];
      const outcomes = await Promise.allSettled([
        recommendAward({ actor: t.officer, tenderId: t.tender.id, lotId: lot.lotId, bidId: a.bidId }, db),
        recommendAward(
          {
            actor: t.secondOfficer,
            tenderId: t.tender.id,
            lotId: lot.lotId,
            bidId: b.bidId,
            justification: "Local supplier",
          },
          db,
        ),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({
        code: "AWARD_ALREADY_ACTIVE",
      });
      expect(await db.select().from(awards).where(eq(awards.tenderLotId, lot.lotId))).toHaveLength(1);
    }
  });
});

describe("what bidders and the public see", () => {
  test("after approval a losing bidder sees its own scores and the winner's price and score, nothing of the other bids; the public sees the award", async () => {
    const t = await openedTender(db, keys);
    const { snapshot } = await closed(t);
    const lot = snapshot.lots[0]!;
    const winnerId = lot.result.recommendedWinner!;
    const loser = t.bidders.find((b) => b.bidId !== winnerId)!;
    const other = t.bidders.find((b) => b.bidId !== winnerId && b !== loser)!;
    const award = await recommendAward(
      { actor: t.officer, tenderId: t.tender.id, lotId: lot.lotId, bidId: winnerId },
      db,
    );
    // Recommended is not public yet.
    expect((await bidderResult(loser.actor, t.tender.id, db)).lots).toEqual([]);
    expect(await publicAwards(t.tender.id, db)).toEqual([]);
    await approveAward({ actor: t.approvers[0]!, awardId: award.id }, db);

    const seen = await bidderResult(loser.actor, t.tender.id, db);
    expect(seen.lots).toHaveLength(1);
    const [mine] = seen.lots;
    const expected = lot.result.ranked.find((b) => b.bidId === loser.bidId)!;
    expect(mine).toMatchObject({
      won: false,
      mine: { kind: "ranked", entry: { bidId: loser.bidId, total: expected.total } },
    });
    const winner = lot.result.ranked.find((b) => b.bidId === winnerId)!;
    expect(mine!.winner).toMatchObject({ price: BigInt(winner.price.amount), total: winner.total });
    const text = JSON.stringify(seen, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    expect(text).not.toContain(other.bidId);
    expect(text).not.toContain(lot.result.ranked.find((b) => b.bidId === other.bidId)!.price.amount);
    // The winner learns it won; another business that did not bid learns nothing.
    expect(
      (await bidderResult(t.bidders.find((b) => b.bidId === winnerId)!.actor, t.tender.id, db)).lots[0],
    ).toMatchObject({
      won: true,
    });
    const outsider = (await openedTender(db, keys, { prices: [["5000"]] })).bidders[0]!.actor;
    await expect(bidderResult(outsider, t.tender.id, db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const notices = await publicAwards(t.tender.id, db);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      award: { bidId: winnerId, status: "approved" },
      standstillOver: false,
    });
  });
});
