import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { canonicalJson } from "#app/modules/audit/audit-hash.ts";
import { auditEvents, tenderEvaluations } from "#db/schema/index.ts";
import { clearedCommittee, qualifyAll, scoreAndSubmit } from "#tests/factories/evaluations.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { openedTender, type UserActor } from "#tests/factories/tenders.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { recordConsensus, recordPriceJustification } from "./chair-decisions.server.ts";
import { closeEvaluation, snapshotOf } from "./close-evaluation.server.ts";
import { evaluateLot } from "./evaluate-lot.ts";
import { jsonify, lotInputOf } from "./evaluation-snapshot.ts";
import { recordQualification } from "./qualify-bid.server.ts";
import { saveScores, submitScores, visibleScores } from "./score-bids.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();

const seen = async (who: UserActor, tenderId: string) =>
  (await visibleScores(who, tenderId, db)).map((s) => s.evaluatorId);

describe("scoring by the committee", () => {
  test("scores stay hidden between members until each has submitted their own, and are locked once submitted", async () => {
    const t = await openedTender(db, keys);
    const { chair, members } = await clearedCommittee(db, t, { members: 2 });
    const [e1, e2] = members as [typeof chair, typeof chair];
    await qualifyAll(db, t, chair);
    await scoreAndSubmit(db, t, e1, () => "70", { submit: false });
    await scoreAndSubmit(db, t, e2, () => "90", { submit: false });
    // Before submitting: each sees only their own.
    expect(new Set(await seen(e1, t.tender.id))).toEqual(new Set([e1.userId]));
    expect(new Set(await seen(e2, t.tender.id))).toEqual(new Set([e2.userId]));
    // Nor does the officer see any of them.
    expect(await seen(t.officer, t.tender.id)).toEqual([]);
    await submitScores({ actor: e1, tenderId: t.tender.id }, db);
    // e1 submitted, e2 not yet: e1 still does not see e2's drafts, and e2 does not see e1's.
    expect(new Set(await seen(e1, t.tender.id))).toEqual(new Set([e1.userId]));
    expect(new Set(await seen(e2, t.tender.id))).toEqual(new Set([e2.userId]));
    await submitScores({ actor: e2, tenderId: t.tender.id }, db);
    expect(new Set(await seen(e1, t.tender.id))).toEqual(new Set([e1.userId, e2.userId]));
    expect(new Set(await seen(e2, t.tender.id))).toEqual(new Set([e1.userId, e2.userId]));
    // Locked.
    await expect(
      saveScores(
        {
          actor: e1,
          tenderId: t.tender.id,
          scores: [{ bidId: t.bidders[0]!.bidId, criterionKey: "c2", points: "1" }],
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "SCORES_SUBMITTED" });
    await expect(submitScores({ actor: e1, tenderId: t.tender.id }, db)).rejects.toMatchObject({
      code: "SCORES_SUBMITTED",
    });
  });

  test("a score is 0 to 100 with two decimals at most; Arabic digits are fine; submitting needs every score; the bids must be qualified first", async () => {
    const t = await openedTender(db, keys);
    const { chair, members } = await clearedCommittee(db, t, { members: 2 });
    const e2 = members[1]!;
    const bidId = t.bidders[0]!.bidId;
    const one = (points: string, criterionKey = "c2") =>
      saveScores({ actor: e2, tenderId: t.tender.id, scores: [{ bidId, criterionKey, points }] }, db);
    for (const bad of ["100.01", "101", "-1", "7.125", "abc"])
      await expect(one(bad)).rejects.toMatchObject({
        code: "SCORE_INVALID",
        status: 400,
        field: `score-${bidId}-c2`,
      });
    // Not a technical criterion.
    await expect(one("50", "c4")).rejects.toMatchObject({ code: "VALIDATION", status: 400 });
    await one("٨٧٫٥");
    const [mine] = await visibleScores(e2, t.tender.id, db);
    expect(mine).toMatchObject({ score: 8750, criterionKey: "c2" });
    await expect(submitScores({ actor: e2, tenderId: t.tender.id }, db)).rejects.toMatchObject({
      code: "QUALIFICATION_PENDING",
    });
    await qualifyAll(db, t, chair);
    await expect(submitScores({ actor: e2, tenderId: t.tender.id }, db)).rejects.toMatchObject({
      code: "SCORES_INCOMPLETE",
      status: 400,
      params: { count: 5 },
    });
  });

  test("closing: evaluateLot's result is stored with its SHA-256 and can be recomputed from it; an abnormally low price wins only with the chair's justification; nothing changes afterwards", async () => {
    // Median 1 000 000: 700 000 is below 80% of it.
    const t = await openedTender(db, keys, { prices: [["1000000"], ["1100000"], ["700000"]] });
    const { chair, members } = await clearedCommittee(db, t, { members: 2 });
    const e2 = members[1]!;
    await qualifyAll(db, t, chair);
    // The chair may only agree a consensus after submitting their own scores.
    await expect(
      recordConsensus(
        {
          actor: chair,
          tenderId: t.tender.id,
          bidId: t.bidders[0]!.bidId,
          criterionKey: "c2",
          points: "80",
          note: "Agreed",
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "SCORES_NOT_SUBMITTED" });
    await scoreAndSubmit(db, t, chair, (i) => ["80", "60", "90"][i]!);
    await scoreAndSubmit(db, t, e2, (i) => ["70", "65", "95"][i]!);
    await expect(closeEvaluation({ actor: e2, tenderId: t.tender.id }, db)).rejects.toMatchObject({
      code: "CHAIR_REQUIRED",
    });
    await recordConsensus(
      {
        actor: chair,
        tenderId: t.tender.id,
        bidId: t.bidders[1]!.bidId,
        criterionKey: "c3",
        points: "75.5",
        note: "Site visit settled it",
      },
      db,
    );
    await expect(
      recordConsensus(
        {
          actor: e2,
          tenderId: t.tender.id,
          bidId: t.bidders[1]!.bidId,
          criterionKey: "c3",
          points: "10",
          note: "x",
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "CHAIR_REQUIRED" });

    const first = await closeEvaluation({ actor: chair, tenderId: t.tender.id }, db);
    const lot = first.snapshot.lots[0]!;
    const low = lot.result.ranked.find((b) => b.bidId === t.bidders[2]!.bidId)!;
    expect(low).toMatchObject({ abnormallyLow: true, justified: false, eligibleToWin: false, rank: 1 });
    expect(lot.result.recommendedWinner).not.toBe(t.bidders[2]!.bidId);
    const consensus = lot.result.ranked
      .find((b) => b.bidId === t.bidders[1]!.bidId)!
      .criteria.find((c) => c.criterionKey === "c3")!;
    expect(consensus).toMatchObject({ score: 7550, source: "consensus", mean: 6250 });

    // Stored as computed, with its hash; the stored inputs give the same result again.
    const stored = await db.query.tenderEvaluations.findFirst({
      where: eq(tenderEvaluations.tenderId, t.tender.id),
    });
    expect(stored?.status).toBe("closed");
    expect(createHash("sha256").update(canonicalJson(stored!.result)).digest("hex")).toBe(first.sha256);
    expect(stored!.resultSha256).toBe(first.sha256);
    const again = evaluateLot(
      { criteria: snapshotOf(stored!)!.criteria, evaluatorIds: snapshotOf(stored!)!.evaluatorIds },
      lotInputOf(snapshotOf(stored!)!.lots[0]!),
    );
    expect(again.ok && jsonify(again.result)).toEqual(lot.result);
    const [closing] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "evaluation.closed"), eq(auditEvents.objectId, t.tender.id)));
    expect(closing?.details).toMatchObject({ sha256: first.sha256 });

    // Closed: no score, qualification, consensus or justification changes any more.
    await expect(
      recordQualification(
        { actor: chair, tenderId: t.tender.id, bidId: t.bidders[0]!.bidId, checks: { c1: false } },
        db,
      ),
    ).rejects.toMatchObject({ code: "EVALUATION_CLOSED" });
    await expect(
      recordPriceJustification(
        {
          actor: chair,
          tenderId: t.tender.id,
          bidId: t.bidders[2]!.bidId,
          lotId: t.lots[0]!.id,
          justification: "Too late",
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "EVALUATION_CLOSED" });
    await expect(closeEvaluation({ actor: chair, tenderId: t.tender.id }, db)).rejects.toMatchObject({
      code: "EVALUATION_CLOSED",
    });
    await expect(
      db.execute(sql`update tender_evaluations set result = null where tender_id = ${t.tender.id}`),
    ).rejects.toThrow();
  });

  test("with the chair's written justification the abnormally low bid may win", async () => {
    const t = await openedTender(db, keys, { prices: [["1000000"], ["1100000"], ["700000"]] });
    const { chair, members } = await clearedCommittee(db, t, { members: 2 });
    await qualifyAll(db, t, chair);
    for (const m of members) await scoreAndSubmit(db, t, m, (i) => ["80", "60", "90"][i]!);
    await expect(
      recordPriceJustification(
        {
          actor: chair,
          tenderId: t.tender.id,
          bidId: t.bidders[2]!.bidId,
          lotId: t.lots[0]!.id,
          justification: " ",
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "REASON_REQUIRED" });
    await recordPriceJustification(
      {
        actor: chair,
        tenderId: t.tender.id,
        bidId: t.bidders[2]!.bidId,
        lotId: t.lots[0]!.id,
        justification: "The bidder showed its own stock of the equipment; the price is sustainable.",
      },
      db,
    );
    const { snapshot } = await closeEvaluation({ actor: chair, tenderId: t.tender.id }, db);
    expect(snapshot.lots[0]!.result.recommendedWinner).toBe(t.bidders[2]!.bidId);
  });
});
