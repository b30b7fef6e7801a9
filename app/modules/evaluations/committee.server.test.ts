import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { readBidContent } from "#app/modules/bids/open-bids.server.ts";
import { auditEvents, conflictDeclarations, evaluationMembers, tenderEvaluations } from "#db/schema/index.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { agencyWithStaff, openedTender, publishedTender } from "#tests/factories/tenders.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { committeeBids } from "./committee-views.server.ts";
import { declareConflicts } from "./declare-conflicts.server.ts";
import { assignEvaluator, nameChair, removeMember } from "./manage-committee.server.ts";
import { saveScores } from "./score-bids.server.ts";

const { db } = testDatabase();
const keys = testSealingKeys();
const deps = { db, master: keys.master };

const audited = async (action: string, objectId: string) =>
  (
    await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.objectId, objectId)))
  ).length;

describe("the evaluation committee", () => {
  test("the officer forms it after the opening, from the agency's evaluators only, and names a chair among its members", async () => {
    const staff = await agencyWithStaff(db);
    const { tender: unopened } = await publishedTender(db, keys, staff);
    await expect(
      assignEvaluator(
        { actor: staff.officer, tenderId: unopened.id, userId: staff.evaluators[0]!.userId },
        db,
      ),
    ).rejects.toMatchObject({ code: "TENDER_NOT_OPENED" });

    const t = await openedTender(db, keys, { staff });
    const [e1, e2, e3] = t.evaluators as [typeof t.officer, typeof t.officer, typeof t.officer];
    // An evaluator cannot form the committee; an approver cannot sit on it.
    await expect(
      assignEvaluator({ actor: e1, tenderId: t.tender.id, userId: e2.userId }, db),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      assignEvaluator({ actor: t.officer, tenderId: t.tender.id, userId: t.approvers[0]!.userId }, db),
    ).rejects.toMatchObject({ code: "EVALUATOR_NOT_ELIGIBLE", status: 400 });
    for (const e of [e1, e2])
      await assignEvaluator({ actor: t.officer, tenderId: t.tender.id, userId: e.userId }, db);
    // Assigning twice changes nothing.
    await assignEvaluator({ actor: t.officer, tenderId: t.tender.id, userId: e1.userId }, db);
    await expect(
      nameChair({ actor: t.officer, tenderId: t.tender.id, userId: e3.userId }, db),
    ).rejects.toMatchObject({ code: "CHAIR_NOT_MEMBER" });
    await nameChair({ actor: t.officer, tenderId: t.tender.id, userId: e1.userId }, db);
    const evaluation = await db.query.tenderEvaluations.findFirst({
      where: eq(tenderEvaluations.tenderId, t.tender.id),
    });
    expect(evaluation).toMatchObject({ status: "in_progress", chairUserId: e1.userId, standstillDays: 10 });
    expect(
      await db.select().from(evaluationMembers).where(eq(evaluationMembers.tenderId, t.tender.id)),
    ).toHaveLength(2);
    // Removing the chair leaves the committee without one.
    await removeMember({ actor: t.officer, tenderId: t.tender.id, userId: e1.userId }, db);
    expect(
      (await db.query.tenderEvaluations.findFirst({ where: eq(tenderEvaluations.tenderId, t.tender.id) }))
        ?.chairUserId,
    ).toBeNull();
    expect(await audited("evaluation.member_assigned", t.tender.id)).toBe(2);
    expect(await audited("evaluation.chair_named", t.tender.id)).toBe(1);
    expect(await audited("evaluation.member_removed", t.tender.id)).toBe(1);
  });

  test("a member sees no bid content until they declare, for every bidder, that they have no conflict", async () => {
    const t = await openedTender(db, keys);
    const [e1, e2] = t.evaluators as [typeof t.officer, typeof t.officer];
    await assignEvaluator({ actor: t.officer, tenderId: t.tender.id, userId: e1.userId }, db);
    const bidId = t.bidders[0]!.bidId;
    // Not a member: nothing. A member who has not declared: nothing, and told why.
    await expect(readBidContent({ actor: e2, bidId }, deps)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(committeeBids({ actor: e2, tenderId: t.tender.id }, deps)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(readBidContent({ actor: e1, bidId }, deps)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(committeeBids({ actor: e1, tenderId: t.tender.id }, deps)).rejects.toMatchObject({
      code: "CONFLICT_DECLARATION_REQUIRED",
      status: 403,
    });
    expect(await audited("bid.read_refused", bidId)).toBe(2);
    // Every bidder, once each: two of three is refused and nothing is stored.
    await expect(
      declareConflicts(
        {
          actor: e1,
          tenderId: t.tender.id,
          declarations: t.bidders.slice(0, 2).map((b) => ({ bidId: b.bidId, conflict: false })),
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "DECLARATION_INCOMPLETE", status: 400 });
    expect(
      await db.select().from(conflictDeclarations).where(eq(conflictDeclarations.tenderId, t.tender.id)),
    ).toHaveLength(0);
    await declareConflicts(
      {
        actor: e1,
        tenderId: t.tender.id,
        declarations: t.bidders.map((b) => ({ bidId: b.bidId, conflict: false })),
      },
      db,
    );
    await expect(readBidContent({ actor: e1, bidId }, deps)).resolves.toMatchObject({
      lots: [{ price: "1000000" }],
    });
    const seen = await committeeBids({ actor: e1, tenderId: t.tender.id }, deps);
    expect(seen.bids.map((b) => b.content.lots[0]!.price).sort()).toEqual(["1000000", "1100000", "900000"]);
    // Declarations are made once.
    await expect(
      declareConflicts(
        {
          actor: e1,
          tenderId: t.tender.id,
          declarations: t.bidders.map((b) => ({ bidId: b.bidId, conflict: false })),
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "CONFLICTS_ALREADY_DECLARED" });
    expect(await audited("evaluation.no_conflict_declared", t.tender.id)).toBe(1);
  });

  test("a declared conflict is recorded with the bidder and the note, removes the member (and chair), who can then neither see nor score the bids", async () => {
    const t = await openedTender(db, keys);
    const e1 = t.evaluators[0]!;
    await assignEvaluator({ actor: t.officer, tenderId: t.tender.id, userId: e1.userId }, db);
    await nameChair({ actor: t.officer, tenderId: t.tender.id, userId: e1.userId }, db);
    const conflicted = t.bidders[1]!;
    // A conflict needs a note.
    await expect(
      declareConflicts(
        {
          actor: e1,
          tenderId: t.tender.id,
          declarations: t.bidders.map((b) => ({ bidId: b.bidId, conflict: b === conflicted, note: "  " })),
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "REASON_REQUIRED", field: `note-${conflicted.bidId}` });
    const outcome = await declareConflicts(
      {
        actor: e1,
        tenderId: t.tender.id,
        declarations: t.bidders.map((b) => ({
          bidId: b.bidId,
          conflict: b === conflicted,
          note: b === conflicted ? "My brother is its managing director" : null,
        })),
      },
      db,
    );
    expect(outcome).toEqual({ conflicted: true });
    const [declared] = await db
      .select()
      .from(conflictDeclarations)
      .where(and(eq(conflictDeclarations.tenderId, t.tender.id), eq(conflictDeclarations.conflict, true)));
    expect(declared).toMatchObject({
      userId: e1.userId,
      bidId: conflicted.bidId,
      businessId: conflicted.business.id,
      note: "My brother is its managing director",
    });
    const member = await db.query.evaluationMembers.findFirst({
      where: and(eq(evaluationMembers.tenderId, t.tender.id), eq(evaluationMembers.userId, e1.userId)),
    });
    expect(member?.status).toBe("conflicted");
    expect(member?.removedAt).not.toBeNull();
    expect(
      (await db.query.tenderEvaluations.findFirst({ where: eq(tenderEvaluations.tenderId, t.tender.id) }))
        ?.chairUserId,
    ).toBeNull();
    // No bid at all, not even those of the other bidders; no scoring; no way back onto the committee.
    for (const b of t.bidders)
      await expect(readBidContent({ actor: e1, bidId: b.bidId }, deps)).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    await expect(committeeBids({ actor: e1, tenderId: t.tender.id }, deps)).rejects.toMatchObject({
      code: "CONFLICT_DECLARED",
    });
    await expect(
      saveScores(
        {
          actor: e1,
          tenderId: t.tender.id,
          scores: [{ bidId: t.bidders[0]!.bidId, criterionKey: "c2", points: "80" }],
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "CONFLICT_DECLARED" });
    await expect(
      assignEvaluator({ actor: t.officer, tenderId: t.tender.id, userId: e1.userId }, db),
    ).rejects.toMatchObject({ code: "CONFLICT_DECLARED" });
    expect(await audited("evaluation.conflict_declared", t.tender.id)).toBe(1);
    // The database refuses a conflict without a note, even if the code were bypassed.
    await expect(
      db.execute(sql`update conflict_declarations set note = null where id = ${declared!.id}`),
    ).rejects.toThrow();
  });
});
