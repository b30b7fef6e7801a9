import { asc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { approveAward } from "#app/modules/awards/decide-award.server.ts";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import { confirmOpening, startOpening } from "#app/modules/bids/open-bids.server.ts";
import { type SealingKeys, submitBid } from "#app/modules/bids/submit-bid.server.ts";
import { cancelTender } from "#app/modules/cancellations/cancel-tender.server.ts";
import { fileComplaint, lodgeComplaint } from "#app/modules/complaints/file-complaint.server.ts";
import { closeEvaluation } from "#app/modules/evaluations/close-evaluation.server.ts";
import { declareConflicts } from "#app/modules/evaluations/declare-conflicts.server.ts";
import { assignEvaluator, nameChair } from "#app/modules/evaluations/manage-committee.server.ts";
import { recordQualification } from "#app/modules/evaluations/qualify-bid.server.ts";
import { saveScores, submitScores } from "#app/modules/evaluations/score-bids.server.ts";
import { capturePayment, holdBidSecurity } from "#app/modules/payments/payment-ledger.server.ts";
import { requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import type { Db } from "./client.server.ts";
import { bids, type Tender, tenderLots } from "./schema/index.ts";
import { demoActorByEmail, publishDemoTender } from "./seed-support.ts";

/**
 * Demo complaints and cancellations (decision 017), through the same modules
 * people use: a tender of the Ministry of Public Works evaluated and awarded,
 * in its standstill, whose award is suspended by a losing bidder's complaint
 * (fee paid) waiting for the agency's review officer; and a tender of the
 * Capital Municipality cancelled after two businesses bought its documents
 * and bid — their document fees refunded, their bid securities released.
 */
export async function seedDemoComplaints(db: Db, keys: SealingKeys): Promise<number> {
  const as = demoActorByEmail(db);
  const userId = (a: Actor) => (a.type === "user" ? a.userId : "");
  const orgOf = (a: Actor) => (a.type === "user" ? a.membership!.organisationId : "");
  const publish = (
    officer: Actor,
    zone: string,
    form: Parameters<typeof publishDemoTender>[3],
    lot: Parameters<typeof publishDemoTender>[4],
  ) => publishDemoTender({ db, keys }, officer, zone, form, lot);

  async function bid(who: Actor, t: Tender, price: bigint) {
    if (t.documentFee > 0n) {
      const payment = await requestFeePayment(
        {
          payerId: orgOf(who),
          agencyId: t.agencyId,
          feeType: "tender_document",
          subject: `tender:${t.id}`,
          price: { amount: t.documentFee, currency: t.currency },
        },
        db,
      );
      await capturePayment({ paymentId: payment.id, actor: { userId: null } }, db);
    }
    const [lot] = await db.select().from(tenderLots).where(eq(tenderLots.tenderId, t.id));
    const placed = await submitBid(
      {
        actor: who,
        tenderId: t.id,
        content: {
          lots: [{ lotId: lot!.id, price: price.toString() }],
          responses: {
            c1: "Grade A contractor, certificate attached.",
            c2: "Nine comparable projects delivered since 2016.",
          },
        },
      },
      { db, keys },
    );
    return placed.bid.id;
  }

  // 1. A tender in its standstill whose award is suspended by a complaint under review.
  const worksOfficer = await as("officer1@works.gov.test");
  const worksOfficer2 = await as("officer2@works.gov.test");
  const evaluators = [await as("evaluator1@works.gov.test"), await as("evaluator2@works.gov.test")];
  const approver = await as("approver@works.gov.test");
  const alNoor = await as("owner@alnoor.test");
  const gulf = await as("owner@gulfbuild.test");
  const seafront = await publish(
    worksOfficer,
    "Asia/Kuwait",
    {
      titleAr: "إعادة تأهيل ممشى الواجهة البحرية في السالمية",
      titleEn: "Rehabilitation of the Salmiya seafront promenade",
      descriptionAr: "إعادة رصف الممشى وتجديد الإنارة والمقاعد ومظلات الاستراحة على امتداد ثلاثة كيلومترات.",
      descriptionEn:
        "Repaving the promenade and renewing its lighting, benches and shade structures along three kilometres.",
      category: "works",
      cpvCodes: "45233161-5",
      estimatedValue: "480000",
    },
    {
      ar: "الممشى",
      en: "Promenade",
      item: ["رصف ممرات المشاة", "Paving of footpaths", "18000", "MTK"],
    },
  );
  await bid(alNoor, seafront, 452_300_000n);
  await bid(gulf, seafront, 468_750_000n);
  await db.execute(sql`update tenders set enquiry_deadline = now() - interval '2 days',
    submission_deadline = clock_timestamp() + interval '300 milliseconds',
    opening_at = clock_timestamp() + interval '400 milliseconds' where id = ${seafront.id}`);
  await new Promise((r) => setTimeout(r, 600));
  await startOpening({ actor: worksOfficer, tenderId: seafront.id }, db);
  await confirmOpening({ actor: worksOfficer2, tenderId: seafront.id }, { db, master: keys.master });
  const bidIds = (
    await db.select().from(bids).where(eq(bids.tenderId, seafront.id)).orderBy(asc(bids.createdAt))
  ).map((b) => b.id);
  for (const e of evaluators)
    await assignEvaluator({ actor: worksOfficer, tenderId: seafront.id, userId: userId(e) }, db);
  await nameChair({ actor: worksOfficer, tenderId: seafront.id, userId: userId(evaluators[0]!) }, db);
  for (const e of evaluators)
    await declareConflicts(
      {
        actor: e,
        tenderId: seafront.id,
        declarations: bidIds.map((bidId) => ({ bidId, conflict: false })),
      },
      db,
    );
  for (const bidId of bidIds)
    await recordQualification(
      { actor: evaluators[0]!, tenderId: seafront.id, bidId, checks: { c1: true } },
      db,
    );
  for (const [i, e] of evaluators.entries()) {
    await saveScores(
      {
        actor: e,
        tenderId: seafront.id,
        scores: bidIds.map((bidId, j) => ({
          bidId,
          criterionKey: "c2",
          points: String(j === 0 ? 82 - i : 74 + i),
        })),
      },
      db,
    );
    await submitScores({ actor: e, tenderId: seafront.id }, db);
  }
  const { snapshot } = await closeEvaluation({ actor: evaluators[0]!, tenderId: seafront.id }, db);
  const lot = snapshot.lots[0]!;
  const recommended = await recommendAward(
    { actor: worksOfficer, tenderId: seafront.id, lotId: lot.lotId, bidId: lot.result.recommendedWinner! },
    db,
  );
  const award = await approveAward({ actor: approver, awardId: recommended.id }, db);
  const loser = award.businessId === orgOf(alNoor) ? gulf : alNoor;
  const { complaint, payment } = await fileComplaint(
    {
      actor: loser,
      tenderId: seafront.id,
      lotId: lot.lotId,
      grounds:
        "The technical scores do not reflect our experience: we delivered three seafront promenades of the same size " +
        "(Fintas 2019, Mahboula 2021, Abu Halifa 2023), certificates attached to our bid, yet scored below the winner. " +
        "We ask the committee to review the experience scores.",
    },
    db,
  );
  if (payment) {
    await capturePayment({ paymentId: payment.id, actor: { userId: null } }, db);
    await lodgeComplaint({ actor: loser, complaintId: complaint.id }, db);
  }

  // 2. A cancelled tender: documents bought and bids in, then the budget withdrawn.
  const capitalOfficer = await as("officer1@capital.gov.test");
  const sahara = await as("owner@sahara-it.test");
  const meters = await publish(
    capitalOfficer,
    "Asia/Riyadh",
    {
      titleAr: "توريد وتركيب عدادات مواقف ذكية في حي الملز",
      titleEn: "Supply and installation of smart parking meters in Al Malaz",
      category: "goods",
      cpvCodes: "34996000-5",
      estimatedValue: "900000",
      documentFee: "500",
      bidSecurity: "10000",
    },
    { ar: "العدادات", en: "Meters", item: ["عداد مواقف ذكي", "Smart parking meter", "150", "H87"] },
  );
  for (const [who, price] of [
    [sahara, 871_000_00n],
    [alNoor, 889_500_00n],
  ] as const) {
    const bidId = await bid(who, meters, price);
    await holdBidSecurity(
      {
        businessId: orgOf(who),
        agencyId: meters.agencyId,
        currency: meters.currency,
        amount: meters.bidSecurity,
        subject: `bid:${bidId}`,
        actor: { userId: null },
      },
      db,
    );
  }
  await cancelTender(
    {
      actor: capitalOfficer,
      tenderId: meters.id,
      reason:
        "أُدرج المشروع في البرنامج الوطني للمواقف الذكية ونُقل اعتماده المالي إليه. / The project joined the national smart-parking programme, which now holds its budget.",
    },
    { db },
  );
  return 2;
}
