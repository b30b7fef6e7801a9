import { eq, sql } from "drizzle-orm";
import type { Membership } from "#app/modules/accounts/actor.ts";
import { approveAward } from "#app/modules/awards/decide-award.server.ts";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import { confirmOpening, startOpening } from "#app/modules/bids/open-bids.server.ts";
import { type SealingKeys, submitBid } from "#app/modules/bids/submit-bid.server.ts";
import { acceptContract } from "#app/modules/contracts/accept-contract.server.ts";
import { milestonesOf } from "#app/modules/contracts/contract-access.server.ts";
import { bidSecuritySubject } from "#app/modules/contracts/contract-rules.ts";
import { createContract } from "#app/modules/contracts/create-contract.server.ts";
import { approveInvoice } from "#app/modules/contracts/decide-invoice.server.ts";
import { deliverMilestone } from "#app/modules/contracts/deliver-milestone.server.ts";
import { payInvoice } from "#app/modules/contracts/pay-invoice.server.ts";
import { signContract } from "#app/modules/contracts/sign-contract.server.ts";
import { submitInvoice } from "#app/modules/contracts/submit-invoice.server.ts";
import { closeEvaluation } from "#app/modules/evaluations/close-evaluation.server.ts";
import { holdBidSecurity } from "#app/modules/payments/payment-ledger.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  publishTender,
} from "#app/modules/tenders/author-tender.server.ts";
import { instantToZoned } from "#app/utils/time-zones.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { endStandstill } from "#tests/factories/contracts.ts";
import { clearedCommittee, qualifyAll, scoreAndSubmit } from "#tests/factories/evaluations.ts";
import type { OpenedTender, UserActor } from "#tests/factories/tenders.ts";
import type { Db } from "./client.server.ts";
import { memberships, organisations, tenders, users } from "./schema/index.ts";

/**
 * A contract in progress for the demo, made through the same use cases people
 * use: a Ministry of Public Works tender for traffic signal controllers, three
 * bids with their securities held, evaluated and awarded to Al Noor
 * Contracting; its standstill moved into the past (the clock moved by SQL, as
 * the tender seeds do); the contract made by the officer, accepted by Al Noor's
 * owner, signed by the ministry's approver; the first milestone delivered,
 * invoiced by Al Noor's finance member, approved by the second officer and paid
 * by the finance officer; the second milestone pending. Returns the number of
 * tenders it adds.
 */
export async function seedDemoContracts(db: Db, keys: SealingKeys): Promise<number> {
  const as = async (email: string): Promise<UserActor> => {
    const user = (await db.query.users.findFirst({ where: eq(users.email, email) }))!;
    const membership = (await db.query.memberships.findFirst({ where: eq(memberships.userId, user.id) }))!;
    const org = (await db.query.organisations.findFirst({
      where: eq(organisations.id, membership.organisationId),
    }))!;
    return actorOf(user, { organisationId: org.id, kind: org.kind, roles: membership.roles } as Membership);
  };
  const officer = await as("officer1@works.gov.test");
  const secondOfficer = await as("officer2@works.gov.test");
  const approver = await as("approver@works.gov.test");
  const finance = await as("finance@works.gov.test");
  const alNoor = await as("owner@alnoor.test");
  const alNoorFinance = await as("finance@alnoor.test");
  const gulf = await as("owner@gulfbuild.test");
  const sahara = await as("owner@sahara-it.test");
  const agency = (await db.query.organisations.findFirst({
    where: eq(organisations.slug, "ministry-of-public-works"),
  }))!;
  const business = async (actor: UserActor) =>
    (await db.query.organisations.findFirst({
      where: eq(organisations.id, actor.membership!.organisationId),
    }))!;

  // A tender of one lot, published, bid on and opened the way people do it; deadlines then moved into the past.
  const zone = agency.timeZone;
  const local = (hours: number) => instantToZoned(new Date(Date.now() + hours * 3600_000), zone);
  const draft = await createTenderDraft(
    {
      actor: officer,
      form: {
        titleAr: "توريد وتركيب وحدات تحكم إشارات المرور",
        titleEn: "Supply and installation of traffic signal controllers",
        descriptionAr: "توريد ستين وحدة تحكم ذكية لإشارات المرور وتركيبها وربطها بمركز التحكم المروري.",
        descriptionEn:
          "Supply of sixty smart traffic signal controllers, their installation and connection to the traffic control centre.",
        method: "open",
        category: "goods",
        cpvCodes: "34996100-6",
        estimatedValue: "200000",
        bidSecurity: "2000",
        requireVerified: "on",
        enquiryDeadline: local(1),
        submissionDeadline: local(2),
        openingAt: local(3),
      },
    },
    db,
  );
  const lot = await addLot(
    {
      actor: officer,
      tenderId: draft.id,
      titleAr: "وحدات التحكم الذكية",
      titleEn: "Smart signal controllers",
    },
    db,
  );
  await addItem(
    {
      actor: officer,
      tenderId: draft.id,
      lotId: lot.id,
      descriptionAr: "وحدة تحكم ذكية لإشارات المرور مع التركيب",
      descriptionEn: "Smart traffic signal controller, installed",
      quantity: "60",
      unit: "H87",
    },
    db,
  );
  for (const c of [
    { nameAr: "شهادة التصنيف", nameEn: "Classification certificate", kind: "pass_fail", weight: "0" },
    { nameAr: "الخبرة الفنية", nameEn: "Technical experience", kind: "technical", weight: "40" },
    { nameAr: "السعر", nameEn: "Price", kind: "financial", weight: "60" },
  ])
    await addCriterion({ actor: officer, tenderId: draft.id, ...c }, db);
  const published = await publishTender({ actor: officer, tenderId: draft.id }, { db, master: keys.master });
  // Al Noor's price is the lowest; equal technical scores make it the winner.
  const bidders: OpenedTender["bidders"] = [];
  for (const [actor, price] of [
    [alNoor, "184500000"],
    [gulf, "196250000"],
    [sahara, "201000000"],
  ] as const) {
    const placed = await submitBid(
      {
        actor,
        tenderId: published.id,
        content: {
          lots: [{ lotId: lot.id, price }],
          responses: { c1: "Grade A, certificate attached.", c2: "Forty signal projects since 2012." },
        },
      },
      { db, keys },
    );
    bidders.push({ business: await business(actor), actor, bidId: placed.bid.id });
  }
  await db.execute(sql`update tenders set enquiry_deadline = now() - interval '3 seconds',
    submission_deadline = now() - interval '2 seconds', opening_at = now() - interval '1 second'
    where id = ${published.id}`);
  await startOpening({ actor: officer, tenderId: published.id }, db);
  await confirmOpening({ actor: secondOfficer, tenderId: published.id }, { db, master: keys.master });
  const t: OpenedTender = {
    agency,
    officer,
    secondOfficer,
    evaluators: [await as("evaluator1@works.gov.test"), await as("evaluator2@works.gov.test")],
    approvers: [approver],
    tender: (await db.query.tenders.findFirst({ where: eq(tenders.id, published.id) }))!,
    lots: [lot],
    bidders,
  };
  for (const b of t.bidders)
    await holdBidSecurity(
      {
        businessId: b.business.id,
        agencyId: agency.id,
        currency: t.tender.currency,
        amount: t.tender.bidSecurity,
        subject: bidSecuritySubject(b.bidId),
        actor: { userId: null },
      },
      db,
    );
  const { chair, members } = await clearedCommittee(db, t);
  await qualifyAll(db, t, chair);
  for (const m of members) await scoreAndSubmit(db, t, m, () => "85");
  const { snapshot } = await closeEvaluation({ actor: chair, tenderId: t.tender.id }, db);
  const winner = snapshot.lots[0]!.result.recommendedWinner!;
  const recommended = await recommendAward(
    { actor: officer, tenderId: t.tender.id, lotId: t.lots[0]!.id, bidId: winner },
    db,
  );
  const award = await approveAward({ actor: approver, awardId: recommended.id }, db);
  await endStandstill(db, award.id);

  const day = (days: number) =>
    instantToZoned(new Date(Date.now() + days * 86_400_000), t.tender.timeZone).slice(0, 10);
  const contract = await createContract(
    {
      actor: officer,
      awardId: award.id,
      startsOn: day(-20),
      endsOn: day(160),
      milestones: [
        {
          titleAr: "توريد وحدات التحكم وفحصها",
          titleEn: "Delivery and testing of the controllers",
          dueOn: day(-3),
          amount: "110700",
        },
        {
          titleAr: "التركيب والربط بمركز التحكم والتدريب",
          titleEn: "Installation, connection to the control centre and training",
          dueOn: day(120),
          amount: "73800",
        },
      ],
    },
    db,
  );
  await acceptContract({ actor: alNoor, contractId: contract.id }, db);
  await signContract({ actor: approver, contractId: contract.id }, db);
  const [first] = await milestonesOf(db, contract.id);
  await deliverMilestone(
    {
      actor: officer,
      contractId: contract.id,
      milestoneId: first!.id,
      note: "استُلمت 60 وحدة تحكم واجتازت الفحص المبدئي.\nSixty controllers received; factory acceptance tests passed.",
    },
    db,
  );
  const invoice = await submitInvoice(
    {
      actor: alNoorFinance,
      contractId: contract.id,
      milestoneId: first!.id,
      number: "ANC-INV-2026-0142",
      amount: "110700",
    },
    db,
  );
  await approveInvoice({ actor: secondOfficer, invoiceId: invoice.id }, db);
  await payInvoice({ actor: finance, invoiceId: invoice.id, paymentReference: "MOF-TRF-2026-55810" }, db);
  return 1;
}
