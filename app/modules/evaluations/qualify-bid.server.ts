import { eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { validPermitOf } from "#app/modules/permits/permit-eligibility.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type BidQualification, bidQualifications, organisations } from "#db/schema/index.ts";
import { assertInProgress, auditEvaluation, chairOrOfficerContext } from "./evaluation-access.server.ts";

/**
 * The qualification of one bid, recorded by the committee's chair or the
 * procurement officer: a decision on each pass/fail criterion of the tender,
 * optionally a disqualification with its reason, and — found automatically at
 * that moment, by the database clock — whether the business is verified and,
 * when the tender requires a permit type, whether the business holds a valid
 * permit of it (permits module). A failed automatic check disqualifies the bid
 * without anyone having to type it. Qualification is settled once a committee
 * member has submitted scores (the set of bids to score must not move under them).
 */
export async function recordQualification(
  input: {
    actor: Actor;
    tenderId: string;
    bidId: string;
    /** A decision for every pass/fail criterion key: true = passed. */
    checks: Record<string, boolean>;
    disqualificationReason?: string | null;
    ip?: string | null;
  },
  db: Db,
): Promise<BidQualification> {
  const reason = input.disqualificationReason?.trim().slice(0, 2000) || null;
  return db.transaction(async (tx) => {
    const context = await chairOrOfficerContext(input.actor, input.tenderId, tx, {
      officerToo: true,
      lock: "share",
    });
    assertInProgress(context.evaluation);
    const entry = context.record.find((e) => e.bidId === input.bidId);
    if (!entry) throw new AppError("NOT_FOUND");
    const keys = context.tender.criteria.filter((c) => c.kind === "pass_fail").map((c) => c.key);
    const given = Object.keys(input.checks);
    if (given.some((k) => !keys.includes(k)))
      throw new AppError("VALIDATION", {}, { field: `check-${given.find((k) => !keys.includes(k))}` });
    const undecided = keys.find((k) => typeof input.checks[k] !== "boolean");
    if (undecided && !reason)
      throw new AppError("QUALIFICATION_INCOMPLETE", {}, { field: `check-${undecided}` });
    const [{ submitted }] = (await tx.execute(
      sql`select exists (select 1 from evaluation_members where tender_id = ${context.tender.id}
            and status = 'active' and scores_submitted_at is not null) as submitted`,
    )) as unknown as [{ submitted: boolean }];
    if (submitted) throw new AppError("QUALIFICATION_LOCKED");

    const business = await tx.query.organisations.findFirst({
      where: eq(organisations.id, entry.businessId),
    });
    const permitType = context.tender.requiredPermitType;
    const permit = permitType
      ? await validPermitOf({ holderId: entry.businessId, typeCode: permitType }, tx)
      : null;
    const values = {
      bidId: entry.bidId,
      tenderId: context.tender.id,
      checks: Object.fromEntries(keys.filter((k) => k in input.checks).map((k) => [k, input.checks[k]!])),
      businessVerified: business?.verification === "verified",
      permitType,
      permitId: permit?.id ?? null,
      permitValid: permitType ? permit !== null : null,
      disqualificationReason: reason,
      recordedBy: context.userId,
    };
    const [row] = await tx
      .insert(bidQualifications)
      .values(values)
      .onConflictDoUpdate({ target: bidQualifications.bidId, set: { ...values, recordedAt: sql`now()` } })
      .returning();
    await auditEvaluation(
      tx,
      context,
      "evaluation.bid_qualified",
      context.tender.id,
      {
        bidId: entry.bidId,
        businessId: entry.businessId,
        checks: values.checks,
        businessVerified: values.businessVerified,
        permitType,
        permitId: values.permitId,
        permitValid: values.permitValid,
        disqualificationReason: reason,
        by: context.role,
      },
      input.ip,
    );
    return row!;
  });
}
