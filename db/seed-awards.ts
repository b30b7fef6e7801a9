import { asc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { approveAward } from "#app/modules/awards/decide-award.server.ts";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import { confirmOpening, startOpening } from "#app/modules/bids/open-bids.server.ts";
import { type SealingKeys, submitBid } from "#app/modules/bids/submit-bid.server.ts";
import { closeEvaluation } from "#app/modules/evaluations/close-evaluation.server.ts";
import { declareConflicts } from "#app/modules/evaluations/declare-conflicts.server.ts";
import { assignEvaluator, nameChair } from "#app/modules/evaluations/manage-committee.server.ts";
import { recordQualification } from "#app/modules/evaluations/qualify-bid.server.ts";
import { saveScores, submitScores } from "#app/modules/evaluations/score-bids.server.ts";
import type { Db } from "./client.server.ts";
import { bids, type Tender, tenderLots } from "./schema/index.ts";
import { demoActorByEmail, publishDemoTender } from "./seed-support.ts";

/**
 * Demo evaluations and awards (decision 016), through the same use cases people
 * use, for the steps the other demo seeds leave out:
 *
 * - a Ministry of Public Works tender UNDER EVALUATION: its committee named and
 *   cleared of conflicts, both bids qualified, the chair's scores submitted and
 *   the second member's still a draft — evaluator3 chairs, evaluator2 scores;
 * - a Capital Municipality tender IN ITS STANDSTILL: evaluated, its award
 *   recommended by the officer and approved by the approver, the notice public,
 *   ten days for a losing bidder to complain (none has).
 *
 * (A complaint, a contract in progress and a cancellation are in
 * seed-complaints.ts and seed-contracts.ts.) Returns the number of tenders added.
 */
export async function seedDemoAwards(db: Db, keys: SealingKeys): Promise<number> {
  const as = demoActorByEmail(db);
  const userId = (a: Actor) => (a.type === "user" ? a.userId : "");
  const publish = (
    officer: Actor,
    zone: string,
    form: Parameters<typeof publishDemoTender>[3],
    lot: Parameters<typeof publishDemoTender>[4],
  ) => publishDemoTender({ db, keys }, officer, zone, form, lot);

  async function bid(who: Actor, t: Tender, price: bigint, experience: string) {
    const [lot] = await db.select().from(tenderLots).where(eq(tenderLots.tenderId, t.id));
    await submitBid(
      {
        actor: who,
        tenderId: t.id,
        content: {
          lots: [{ lotId: lot!.id, price: price.toString() }],
          responses: { c1: "Grade A contractor, certificate attached.", c2: experience },
        },
      },
      { db, keys },
    );
  }

  /** The bids of `t` in the order they came, once the two officers have opened them. */
  const bidsOf = async (t: Tender) =>
    (await db.select().from(bids).where(eq(bids.tenderId, t.id)).orderBy(asc(bids.createdAt))).map(
      (b) => b.id,
    );

  /** Committee named, chair first; each member declares no conflict; the chair qualifies every bid. */
  async function committee(officer: Actor, t: Tender, members: Actor[]) {
    const bidIds = await bidsOf(t);
    for (const m of members) await assignEvaluator({ actor: officer, tenderId: t.id, userId: userId(m) }, db);
    await nameChair({ actor: officer, tenderId: t.id, userId: userId(members[0]!) }, db);
    for (const m of members)
      await declareConflicts(
        { actor: m, tenderId: t.id, declarations: bidIds.map((bidId) => ({ bidId, conflict: false })) },
        db,
      );
    for (const bidId of bidIds)
      await recordQualification({ actor: members[0]!, tenderId: t.id, bidId, checks: { c1: true } }, db);
    return bidIds;
  }

  async function score(member: Actor, t: Tender, points: Array<[string, number]>, submit: boolean) {
    await saveScores(
      {
        actor: member,
        tenderId: t.id,
        scores: points.map(([bidId, p]) => ({ bidId, criterionKey: "c2", points: String(p) })),
      },
      db,
    );
    if (submit) await submitScores({ actor: member, tenderId: t.id }, db);
  }

  const worksOfficer = await as("officer1@works.gov.test");
  const worksOfficer2 = await as("officer2@works.gov.test");
  const capitalOfficer = await as("officer1@capital.gov.test");
  const capitalOfficer2 = await as("officer2@capital.gov.test");
  const alNoor = await as("owner@alnoor.test");
  const gulf = await as("owner@gulfbuild.test");

  const clinics = await publish(
    worksOfficer,
    "Asia/Kuwait",
    {
      titleAr: "ترميم مراكز الرعاية الصحية الأولية في الفروانية",
      titleEn: "Renovation of primary health care centres in Farwaniya",
      descriptionAr:
        "ترميم أربعة مراكز للرعاية الصحية الأولية: الأسقف والعزل، وأنظمة التكييف، وتهيئة المداخل لذوي الإعاقة.",
      descriptionEn:
        "Renovation of four primary health care centres: roofs and insulation, air conditioning, and accessible entrances.",
      category: "works",
      cpvCodes: "45454100-5",
      estimatedValue: "620000",
    },
    {
      ar: "المراكز الصحية",
      en: "Health centres",
      item: ["ترميم مركز صحي", "Health centre renovation", "4", "LS"],
    },
  );
  await bid(alNoor, clinics, 598_400_000n, "Six clinics and two hospital wings renovated since 2017.");
  await bid(gulf, clinics, 611_250_000n, "Eleven public buildings renovated while in use since 2014.");

  const park = await publish(
    capitalOfficer,
    "Asia/Riyadh",
    {
      titleAr: "تنسيق وري حديقة الملز العامة",
      titleEn: "Landscaping and irrigation of Al Malaz public park",
      descriptionAr: "زراعة وتنسيق اثني عشر هكتارًا، وشبكة ري بالتنقيط تعمل بالمياه المعالجة، وممرات للمشاة.",
      descriptionEn:
        "Planting and landscaping of twelve hectares, a drip irrigation network on treated water, and footpaths.",
      category: "works",
      cpvCodes: "45112710-5",
      estimatedValue: "2300000",
    },
    { ar: "الحديقة", en: "The park", item: ["أعمال تنسيق الحدائق", "Landscaping works", "12", "HAR"] },
  );
  await bid(alNoor, park, 2_184_000_00n, "Four municipal parks landscaped in Kuwait and Riyadh since 2018.");
  await bid(gulf, park, 2_259_750_00n, "Irrigation networks for nine public gardens since 2013.");

  // Both close a moment from now (their bids are in) and are opened by two officers each.
  for (const t of [clinics, park])
    await db.execute(sql`update tenders set enquiry_deadline = now() - interval '2 days',
      submission_deadline = clock_timestamp() + interval '300 milliseconds',
      opening_at = clock_timestamp() + interval '400 milliseconds' where id = ${t.id}`);
  await new Promise((r) => setTimeout(r, 600));
  for (const [t, first, second] of [
    [clinics, worksOfficer, worksOfficer2],
    [park, capitalOfficer, capitalOfficer2],
  ] as const) {
    await startOpening({ actor: first, tenderId: t.id }, db);
    await confirmOpening({ actor: second, tenderId: t.id }, { db, master: keys.master });
  }

  // 1. Under evaluation: the chair has submitted; the second member's scores are a draft.
  const worksChair = await as("evaluator3@works.gov.test");
  const worksMember = await as("evaluator2@works.gov.test");
  const [clinicA, clinicB] = await committee(worksOfficer, clinics, [worksChair, worksMember]);
  await score(
    worksChair,
    clinics,
    [
      [clinicA!, 78],
      [clinicB!, 84],
    ],
    true,
  );
  await score(worksMember, clinics, [[clinicA!, 80]], false);

  // 2. In its standstill: evaluated, recommended, approved; the notice is public.
  const capitalChair = await as("evaluator1@capital.gov.test");
  const capitalMember = await as("evaluator2@capital.gov.test");
  const [parkA, parkB] = await committee(capitalOfficer, park, [capitalChair, capitalMember]);
  for (const [member, a, b] of [
    [capitalChair, 86, 81],
    [capitalMember, 84, 83],
  ] as const)
    await score(
      member,
      park,
      [
        [parkA!, a],
        [parkB!, b],
      ],
      true,
    );
  const { snapshot } = await closeEvaluation({ actor: capitalChair, tenderId: park.id }, db);
  const lot = snapshot.lots[0]!;
  const recommended = await recommendAward(
    { actor: capitalOfficer, tenderId: park.id, lotId: lot.lotId, bidId: lot.result.recommendedWinner! },
    db,
  );
  await approveAward({ actor: await as("approver@capital.gov.test"), awardId: recommended.id }, db);
  return 2;
}
