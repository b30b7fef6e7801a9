import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { feeFor } from "#app/modules/payments/fee-schedules.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import {
  awards,
  bids,
  complaintDocuments,
  complaints,
  organisations,
  payments,
  storedFiles,
  tenderLots,
  tenders,
  users,
} from "#db/schema/index.ts";
import { agencyReaderOf, businessOf, complaintIn } from "./complaint-access.server.ts";
import { complaintSubject } from "./file-complaint.server.ts";

/**
 * Reading complaints: the complainant's own, lot by lot, with what it may
 * still do; the agency's queue and one complaint for its review officers and
 * procurement officers; a complaint's documents for those who may see them.
 * The public learns nothing of a complaint but that an award is suspended.
 */

const complainant = alias(organisations, "complainant");
const winner = alias(organisations, "winner");
const decider = alias(users, "decider");

/** The complaint fee's payment of one complaint, if one was asked. */
function feePaymentOf(db: Queryable, complaint: { id: string; businessId: string }) {
  return db.query.payments.findFirst({
    where: and(
      eq(payments.payerId, complaint.businessId),
      eq(payments.feeType, "complaint"),
      eq(payments.subject, complaintSubject(complaint.id)),
    ),
  });
}

function documentsOf(db: Queryable, complaintIds: string[]) {
  if (complaintIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      complaintId: complaintDocuments.complaintId,
      fileId: storedFiles.id,
      name: storedFiles.originalName,
      mediaType: storedFiles.mediaType,
      size: storedFiles.sizeBytes,
      sha256: storedFiles.sha256,
    })
    .from(complaintDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, complaintDocuments.fileId))
    .where(inArray(complaintDocuments.complaintId, complaintIds))
    .orderBy(asc(complaintDocuments.createdAt));
}

/**
 * A bidder's complaints page: each lot with its public award (winner, price,
 * standstill end, suspended or not), whether the business may complain about
 * it now (the database clock decides "now"), and its own complaints.
 */
export async function myComplaints(actor: Actor, tenderId: string, db: Queryable) {
  const { businessId } = businessOf(actor);
  const tender = await db.query.tenders.findFirst({ where: eq(tenders.id, tenderId) });
  const bid = tender
    ? await db.query.bids.findFirst({
        where: and(
          eq(bids.tenderId, tender.id),
          eq(bids.businessId, businessId),
          eq(bids.status, "submitted"),
        ),
      })
    : undefined;
  if (!tender || !bid) throw new AppError("NOT_FOUND");
  const lots = await db
    .select({
      lot: tenderLots,
      award: awards,
      winnerAr: winner.nameAr,
      winnerEn: winner.nameEn,
      inStandstill: sql<boolean>`coalesce(now() < ${awards.standstillEndsAt}, false)`,
    })
    .from(tenderLots)
    .leftJoin(
      awards,
      and(eq(awards.tenderLotId, tenderLots.id), inArray(awards.status, ["approved", "suspended"])),
    )
    .leftJoin(winner, eq(winner.id, awards.businessId))
    .where(eq(tenderLots.tenderId, tender.id))
    .orderBy(asc(tenderLots.number));
  const mine = await db
    .select()
    .from(complaints)
    .where(and(eq(complaints.tenderId, tender.id), eq(complaints.businessId, businessId)))
    .orderBy(desc(complaints.createdAt));
  const documents = await documentsOf(
    db,
    mine.map((c) => c.id),
  );
  const withPayments = [];
  for (const complaint of mine) {
    const payment = complaint.feeAmount !== null ? await feePaymentOf(db, complaint) : undefined;
    withPayments.push({
      complaint,
      payment: payment ?? null,
      paid: payment?.status === "captured",
      documents: documents.filter((d) => d.complaintId === complaint.id),
    });
  }
  const lotViews = [];
  for (const l of lots) {
    const open = mine.some(
      (c) => c.awardId === l.award?.id && (c.status === "awaiting_fee" || c.status === "lodged"),
    );
    const mayComplain = Boolean(
      l.award && l.inStandstill && l.award.businessId !== businessId && !open && !l.lot.cancelledAt,
    );
    // The fee the complaint would cost now, from the agency's schedule (null: none charged).
    const fee =
      mayComplain && l.award
        ? await feeFor({ agencyId: tender.agencyId, feeType: "complaint", base: l.award.price }, db)
        : null;
    lotViews.push({
      ...l,
      won: l.award?.businessId === businessId,
      mayComplain,
      fee: fee && fee.amount > 0n ? fee : null,
    });
  }
  return { tender, lots: lotViews, complaints: withPayments };
}

function agencyComplaintsQuery(db: Queryable) {
  return db
    .select({
      complaint: complaints,
      reference: tenders.reference,
      titleAr: tenders.titleAr,
      titleEn: tenders.titleEn,
      timeZone: tenders.timeZone,
      lotNumber: tenderLots.number,
      lotTitleAr: tenderLots.titleAr,
      lotTitleEn: tenderLots.titleEn,
      complainantAr: complainant.nameAr,
      complainantEn: complainant.nameEn,
      decidedByName: decider.displayName,
    })
    .from(complaints)
    .innerJoin(tenders, eq(tenders.id, complaints.tenderId))
    .innerJoin(tenderLots, eq(tenderLots.id, complaints.tenderLotId))
    .innerJoin(complainant, eq(complainant.id, complaints.businessId))
    .leftJoin(decider, eq(decider.id, complaints.decidedBy));
}

/** The agency's lodged complaints, oldest first, and its recent decisions. Written but unpaid ones are the bidder's. */
export async function complaintQueue(actor: Actor, db: Queryable) {
  const { agencyId } = agencyReaderOf(actor);
  const waiting = await agencyComplaintsQuery(db)
    .where(and(eq(tenders.agencyId, agencyId), eq(complaints.status, "lodged")))
    .orderBy(asc(complaints.lodgedAt))
    .limit(200);
  const decided = await agencyComplaintsQuery(db)
    .where(and(eq(tenders.agencyId, agencyId), sql`${complaints.decidedAt} is not null`))
    .orderBy(desc(complaints.decidedAt))
    .limit(20);
  return { waiting, decided };
}

/** One complaint of the agency, for its reviewers (who decide) and procurement officers (who follow). */
export async function complaintForAgency(actor: Actor, complaintId: string, db: Queryable) {
  const { agencyId, userId, reviewer } = agencyReaderOf(actor);
  await complaintIn(db, complaintId, { agencyId });
  const [row] = await agencyComplaintsQuery(db).where(eq(complaints.id, complaintId));
  const [award] = await db
    .select({
      award: awards,
      winnerAr: winner.nameAr,
      winnerEn: winner.nameEn,
      inStandstill: sql<boolean>`coalesce(now() < ${awards.standstillEndsAt}, false)`,
    })
    .from(awards)
    .innerJoin(winner, eq(winner.id, awards.businessId))
    .where(eq(awards.id, row!.complaint.awardId));
  const payment = row!.complaint.feeAmount !== null ? await feePaymentOf(db, row!.complaint) : undefined;
  const others = await db
    .select({ id: complaints.id, status: complaints.status })
    .from(complaints)
    .where(and(eq(complaints.awardId, row!.complaint.awardId), sql`${complaints.id} <> ${complaintId}`))
    .orderBy(asc(complaints.createdAt));
  const involved = award!.award.recommendedBy === userId || award!.award.decidedBy === userId;
  return {
    ...row!,
    award: award!,
    payment: payment ?? null,
    documents: await documentsOf(db, [complaintId]),
    others,
    involved,
    mayDecide: reviewer && !involved && row!.complaint.status === "lodged",
  };
}

/** One document of a complaint, for the complainant's members and the agency's reviewers and officers. */
export async function complaintDocument(actor: Actor, complaintId: string, fileId: string, db: Queryable) {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const scope =
    actor.membership?.kind === "business"
      ? { businessId: businessOf(actor).businessId }
      : { agencyId: agencyReaderOf(actor).agencyId };
  await complaintIn(db, complaintId, scope);
  const [file] = await db
    .select({ file: storedFiles })
    .from(complaintDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, complaintDocuments.fileId))
    .where(and(eq(complaintDocuments.complaintId, complaintId), eq(complaintDocuments.fileId, fileId)));
  if (!file) throw new AppError("NOT_FOUND");
  return file.file;
}
