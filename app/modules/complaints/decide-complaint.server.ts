import { and, eq, ne, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { refundAutomatically } from "#app/modules/payments/automatic-refund.server.ts";
import type { CardPayments } from "#app/modules/payments/stripe-client.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type Award, awards, type Complaint, complaints, payments } from "#db/schema/index.ts";
import {
  auditAward,
  auditComplaint,
  complaintErrorOf,
  complaintIn,
  reviewerOf,
} from "./complaint-access.server.ts";
import {
  AGENCY_OFFICERS,
  BUSINESS_LISTENERS,
  COMPLAINT_REVIEWERS,
  membersOf,
  notifyAll,
} from "./complaint-notices.server.ts";
import { decisionTextOf, effectsOf, outcomeOf } from "./complaint-rules.ts";
import { complaintSubject } from "./file-complaint.server.ts";

/**
 * A review officer of the agency (complaint:review) decides a lodged
 * complaint in writing: upheld, rejected, resolved or declined (inadmissible).
 * Never someone who recommended or approved the award complained about.
 *
 * In ONE transaction, with the complaint and the award locked:
 * - upheld: the complaint fee goes back through the ledger (reason
 *   complaint_upheld, once: the refund's key is the complaint's); with
 *   `sendBack`, the award is cancelled and the lot goes back to the officer,
 *   who recommends again from the stored evaluation result;
 * - otherwise (and upheld without sending back): once no other complaint about
 *   the award is still lodged, the award resumes and its standstill end moves
 *   on by the time it was suspended (the database clock decides both).
 */
export async function decideComplaint(
  input: {
    actor: Actor;
    complaintId: string;
    outcome: string;
    decision: string;
    sendBack?: boolean;
    ip?: string | null;
    baseUrl?: string;
  },
  deps: { db: Db; card?: CardPayments | null },
): Promise<{ complaint: Complaint; award: Award }> {
  const { agencyId, userId } = reviewerOf(input.actor);
  const outcome = outcomeOf(input.outcome);
  const decision = decisionTextOf(input.decision);
  const effects = effectsOf(outcome, input.sendBack === true);
  return deps.db
    .transaction(async (tx) => {
      const { complaint, tender, lot } = await complaintIn(
        tx,
        input.complaintId,
        { agencyId },
        { lock: true },
      );
      if (complaint.status !== "lodged") throw new AppError("COMPLAINT_NOT_PENDING");
      const [award] = await tx.select().from(awards).where(eq(awards.id, complaint.awardId)).for("update");
      if (award!.recommendedBy === userId || award!.decidedBy === userId)
        throw new AppError("COMPLAINT_REVIEWER_INVOLVED");
      const [decided] = await tx
        .update(complaints)
        .set({
          status: outcome,
          decidedBy: userId,
          decidedAt: sql`now()`,
          decision,
          sentBack: effects.cancelAward,
        })
        .where(and(eq(complaints.id, complaint.id), eq(complaints.status, "lodged")))
        .returning();
      const who = { userId, agencyId };
      await auditComplaint(
        tx,
        { userId, organisationId: agencyId },
        `complaint.${outcome}`,
        decided!,
        { decision, sendBack: effects.cancelAward },
        input.ip,
      );

      let result = decided!;
      if (effects.refundFee) {
        const payment = await tx.query.payments.findFirst({
          where: and(
            eq(payments.payerId, complaint.businessId),
            eq(payments.feeType, "complaint"),
            eq(payments.subject, complaintSubject(complaint.id)),
            eq(payments.status, "captured"),
          ),
        });
        const refund = payment
          ? await refundAutomatically(
              {
                payment,
                reason: "complaint_upheld",
                key: `complaint:${complaint.id}:fee-refund`,
                actor: { userId, ip: input.ip },
              },
              { db: tx, card: deps.card ?? null },
            )
          : null;
        if (refund) {
          const [withRefund] = await tx
            .update(complaints)
            .set({ feeRefundId: refund.id })
            .where(eq(complaints.id, complaint.id))
            .returning();
          result = withRefund!;
        }
      }

      let after = award!;
      if (effects.cancelAward && (award!.status === "suspended" || award!.status === "approved")) {
        const [cancelled] = await tx
          .update(awards)
          .set({
            status: "cancelled",
            suspendedAt: null,
            cancelledAt: sql`now()`,
            cancelledBy: userId,
            cancelReason: decision,
          })
          .where(eq(awards.id, award!.id))
          .returning();
        after = cancelled!;
        await auditAward(
          tx,
          who,
          "award.cancelled",
          award!.id,
          { complaintId: complaint.id, reason: decision },
          input.ip,
        );
      } else if (award!.status === "suspended") {
        const [stillLodged] = await tx
          .select({ id: complaints.id })
          .from(complaints)
          .where(
            and(
              eq(complaints.awardId, award!.id),
              eq(complaints.status, "lodged"),
              ne(complaints.id, complaint.id),
            ),
          )
          .limit(1);
        if (!stillLodged) {
          const [resumed] = await tx
            .update(awards)
            .set({
              status: "approved",
              standstillEndsAt: sql`${awards.standstillEndsAt} + (now() - ${awards.suspendedAt})`,
              suspendedAt: null,
            })
            .where(and(eq(awards.id, award!.id), eq(awards.status, "suspended")))
            .returning();
          after = resumed!;
          await auditAward(
            tx,
            who,
            "award.resumed",
            award!.id,
            {
              complaintId: complaint.id,
              suspendedAt: award!.suspendedAt?.toISOString(),
              standstillEndsAt: after.standstillEndsAt?.toISOString(),
            },
            input.ip,
          );
        }
      }

      const params = { reference: tender.reference, lot: String(lot.number) };
      await notifyAll(tx, await membersOf(tx, complaint.businessId, BUSINESS_LISTENERS), {
        kind: "complaintDecided",
        params,
        link: `/tenders/${tender.id}/complaints`,
        baseUrl: input.baseUrl,
      });
      await notifyAll(tx, await membersOf(tx, award!.businessId, BUSINESS_LISTENERS), {
        kind: "complaintDecided",
        params,
        link: `/tenders/${tender.id}`,
        baseUrl: input.baseUrl,
      });
      await notifyAll(tx, await membersOf(tx, agencyId, [...AGENCY_OFFICERS, ...COMPLAINT_REVIEWERS]), {
        kind: "complaintDecided",
        params,
        link: `/complaints/${complaint.id}`,
        baseUrl: input.baseUrl,
      });
      return { complaint: result!, award: after };
    })
    .catch(complaintErrorOf);
}
