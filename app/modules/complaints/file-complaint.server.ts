import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { feeFor } from "#app/modules/payments/fee-schedules.server.ts";
import { isFeePaid, requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import {
  awards,
  bids,
  type Complaint,
  complaintDocuments,
  complaints,
  MAX_COMPLAINT_DOCUMENTS,
  type Payment,
  storedFiles,
  tenderLots,
  tenders,
} from "#db/schema/index.ts";
import {
  auditAward,
  auditComplaint,
  businessOf,
  complaintErrorOf,
  complaintIn,
} from "./complaint-access.server.ts";
import {
  AGENCY_OFFICERS,
  BUSINESS_LISTENERS,
  COMPLAINT_REVIEWERS,
  membersOf,
  notifyAll,
} from "./complaint-notices.server.ts";
import { groundsOf } from "./complaint-rules.ts";

/**
 * A bidder complains about the approved award of one lot, during its
 * standstill (decision 017). The complaint is written first; it is LODGED —
 * and suspends the award — only once the agency's complaint fee is paid
 * (priced from the agency's fee schedule, a percentage of the awarded price or
 * a fixed amount), or at once when the agency charges none. Whether the
 * standstill still runs is the database clock's answer, at writing and again
 * at lodging (the trigger complaints_lodged_in_standstill).
 */

export const complaintSubject = (complaintId: string) => `complaint:${complaintId}`;

type Notify = { ip?: string | null; baseUrl?: string };

export async function fileComplaint(
  input: {
    actor: Actor;
    tenderId: string;
    lotId: string;
    grounds: string;
    /** Stored files (PDF or images) uploaded with the form, attached to the complaint. */
    fileIds?: string[];
  } & Notify,
  db: Db,
): Promise<{ complaint: Complaint; payment: Payment | null }> {
  const { businessId, userId } = businessOf(input.actor);
  const grounds = groundsOf(input.grounds);
  const fileIds = [...new Set(input.fileIds ?? [])];
  if (fileIds.length > MAX_COMPLAINT_DOCUMENTS) throw new AppError("VALIDATION", {}, { field: "documents" });
  const complaint = await db
    .transaction(async (tx) => {
      const [found] = await tx
        .select({
          tender: tenders,
          lot: tenderLots,
          award: awards,
          inStandstill: sql<boolean>`coalesce(now() < ${awards.standstillEndsAt}, false)`,
        })
        .from(tenderLots)
        .innerJoin(tenders, eq(tenders.id, tenderLots.tenderId))
        .leftJoin(
          awards,
          and(eq(awards.tenderLotId, tenderLots.id), inArray(awards.status, ["approved", "suspended"])),
        )
        .where(and(eq(tenderLots.id, input.lotId), eq(tenderLots.tenderId, input.tenderId)));
      if (!found || found.tender.status === "draft" || found.tender.status === "awaiting_approval")
        throw new AppError("NOT_FOUND");
      const bid = await tx.query.bids.findFirst({
        where: and(
          eq(bids.tenderId, found.tender.id),
          eq(bids.businessId, businessId),
          eq(bids.status, "submitted"),
        ),
      });
      if (!bid || found.award?.businessId === businessId) throw new AppError("COMPLAINT_NOT_BIDDER");
      if (!found.award || !found.inStandstill) throw new AppError("COMPLAINT_OUTSIDE_STANDSTILL");
      const award = found.award;
      const fee = await feeFor(
        { agencyId: found.tender.agencyId, feeType: "complaint", base: award.price },
        tx,
      );
      const charged = fee && fee.amount > 0n ? fee : null;
      const [written] = await tx
        .insert(complaints)
        .values({
          tenderId: found.tender.id,
          tenderLotId: found.lot.id,
          awardId: award.id,
          businessId,
          bidId: bid.id,
          writtenBy: userId,
          grounds,
          status: charged ? "awaiting_fee" : "lodged",
          lodgedAt: charged ? null : sql`now()`,
          feeAmount: charged?.amount ?? null,
          feeCurrency: charged?.currency ?? null,
        })
        .returning();
      if (fileIds.length > 0) {
        const attached = await tx
          .update(storedFiles)
          .set({ attachedAt: sql`now()` })
          .where(and(inArray(storedFiles.id, fileIds), isNull(storedFiles.attachedAt)))
          .returning({ id: storedFiles.id });
        if (attached.length !== fileIds.length) throw new AppError("VALIDATION", {}, { field: "documents" });
        await tx
          .insert(complaintDocuments)
          .values(fileIds.map((fileId) => ({ complaintId: written!.id, fileId })));
      }
      await auditComplaint(
        tx,
        { userId, organisationId: businessId },
        "complaint.written",
        written!,
        {
          businessId,
          documents: fileIds.length,
          fee: charged ? { amount: charged.amount.toString(), currency: charged.currency } : null,
        },
        input.ip,
      );
      if (!charged) await afterLodging(tx, written!, found.tender, found.lot.number, userId, input);
      return written!;
    })
    .catch(complaintErrorOf);
  if (complaint.status !== "awaiting_fee") return { complaint, payment: null };
  const payment = await complaintFeePayment(complaint, db);
  return { complaint, payment };
}

/** The payment request for a complaint's fee (the same one when asked again). */
async function complaintFeePayment(complaint: Complaint, db: Db): Promise<Payment> {
  const tender = (await db.query.tenders.findFirst({ where: eq(tenders.id, complaint.tenderId) }))!;
  return requestFeePayment(
    {
      payerId: complaint.businessId,
      agencyId: tender.agencyId,
      feeType: "complaint",
      subject: complaintSubject(complaint.id),
      price: { amount: complaint.feeAmount!, currency: complaint.feeCurrency! },
    },
    db,
  );
}

/** The complainant asks for the fee's payment again (e.g. after a failed card payment). */
export async function requestComplaintFee(input: { actor: Actor; complaintId: string }, db: Db) {
  const { businessId } = businessOf(input.actor);
  const { complaint } = await complaintIn(db, input.complaintId, { businessId });
  if (complaint.status !== "awaiting_fee") throw new AppError("COMPLAINT_NOT_PENDING");
  return complaintFeePayment(complaint, db);
}

/**
 * The complainant lodges a written complaint whose fee is paid: it counts from
 * now (the database clock, which must still be inside the standstill) and the
 * award is suspended.
 */
export async function lodgeComplaint(input: { actor: Actor; complaintId: string } & Notify, db: Db) {
  const { businessId, userId } = businessOf(input.actor);
  return db
    .transaction(async (tx) => {
      const { complaint, tender, lot } = await complaintIn(
        tx,
        input.complaintId,
        { businessId },
        { lock: true },
      );
      if (complaint.status !== "awaiting_fee") throw new AppError("COMPLAINT_NOT_PENDING");
      const paid = await isFeePaid(
        { payerId: businessId, feeType: "complaint", subject: complaintSubject(complaint.id) },
        tx,
      );
      if (!paid) throw new AppError("COMPLAINT_FEE_UNPAID");
      const [lodged] = await tx
        .update(complaints)
        .set({ status: "lodged", lodgedAt: sql`now()` })
        .where(and(eq(complaints.id, complaint.id), eq(complaints.status, "awaiting_fee")))
        .returning();
      await auditComplaint(tx, { userId, organisationId: businessId }, "complaint.fee_confirmed", lodged!, {
        businessId,
      });
      await afterLodging(tx, lodged!, tender, lot.number, userId, input);
      return lodged!;
    })
    .catch(complaintErrorOf);
}

/**
 * A complaint just lodged: the award is suspended (if it was not already, by
 * another bidder's complaint), and the complainant, the agency's officers and
 * reviewers, and the winner are told.
 */
async function afterLodging(
  tx: Tx,
  complaint: Complaint,
  tender: { id: string; agencyId: string; reference: string },
  lotNumber: number,
  userId: string,
  notice: Notify,
) {
  const [suspended] = await tx
    .update(awards)
    .set({ status: "suspended", suspendedAt: sql`now()` })
    .where(and(eq(awards.id, complaint.awardId), eq(awards.status, "approved")))
    .returning();
  await auditComplaint(
    tx,
    { userId, organisationId: complaint.businessId },
    "complaint.lodged",
    complaint,
    { businessId: complaint.businessId, lodgedAt: complaint.lodgedAt?.toISOString() },
    notice.ip,
  );
  const params = { reference: tender.reference, lot: String(lotNumber) };
  if (suspended) {
    await auditAward(
      tx,
      { userId, agencyId: tender.agencyId },
      "award.suspended",
      suspended.id,
      {
        complaintId: complaint.id,
        suspendedAt: suspended.suspendedAt?.toISOString(),
        standstillEndsAt: suspended.standstillEndsAt?.toISOString(),
      },
      notice.ip,
    );
    await notifyAll(tx, await membersOf(tx, suspended.businessId, BUSINESS_LISTENERS), {
      kind: "awardSuspended",
      params,
      link: `/tenders/${tender.id}`,
      baseUrl: notice.baseUrl,
    });
  }
  await notifyAll(tx, await membersOf(tx, complaint.businessId, BUSINESS_LISTENERS), {
    kind: "complaintLodged",
    params,
    link: `/tenders/${tender.id}/complaints`,
    baseUrl: notice.baseUrl,
  });
  await notifyAll(tx, await membersOf(tx, tender.agencyId, [...AGENCY_OFFICERS, ...COMPLAINT_REVIEWERS]), {
    kind: "complaintReceived",
    params,
    link: `/complaints/${complaint.id}`,
    baseUrl: notice.baseUrl,
  });
}
