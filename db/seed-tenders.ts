import { eq, sql } from "drizzle-orm";
import type { Actor, Membership } from "#app/modules/accounts/actor.ts";
import { confirmOpening, startOpening } from "#app/modules/bids/open-bids.server.ts";
import { type SealingKeys, submitBid } from "#app/modules/bids/submit-bid.server.ts";
import { capturePayment } from "#app/modules/payments/payment-ledger.server.ts";
import { requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  createTenderDraft,
  publishTender,
  type TenderBasicsForm,
} from "#app/modules/tenders/author-tender.server.ts";
import { answerQuestion, askQuestion } from "#app/modules/tenders/clarifications.server.ts";
import { instantToZoned } from "#app/utils/time-zones.ts";
import { actorOf } from "#tests/factories/actors.ts";
import type { Db } from "./client.server.ts";
import { memberships, organisations, type Tender, tenderLots, users } from "./schema/index.ts";

/**
 * Demo tenders in every state, written through the same modules people use
 * (so bids are really sealed, receipts signed, fees paid through the ledger):
 * a draft, an open tender, one closing soon, one closed awaiting its opening,
 * and one opened by two officers. Deadlines that must lie in the past are
 * moved there after the bids were received, then the seed waits that moment out.
 */
export async function seedDemoTenders(db: Db, keys: SealingKeys): Promise<number> {
  const as = async (email: string): Promise<Actor> => {
    const user = (await db.query.users.findFirst({ where: eq(users.email, email) }))!;
    const membership = (await db.query.memberships.findFirst({ where: eq(memberships.userId, user.id) }))!;
    const org = (await db.query.organisations.findFirst({
      where: eq(organisations.id, membership.organisationId),
    }))!;
    return actorOf(user, { organisationId: org.id, kind: org.kind, roles: membership.roles } as Membership);
  };
  const worksOfficer = await as("officer1@works.gov.test");
  const worksOfficer2 = await as("officer2@works.gov.test");
  const capitalOfficer = await as("officer1@capital.gov.test");
  const capitalOfficer2 = await as("officer2@capital.gov.test");
  const alNoor = await as("owner@alnoor.test");
  const gulf = await as("owner@gulfbuild.test");
  const sahara = await as("owner@sahara-it.test");

  const local = (hoursAhead: number, zone: string) =>
    instantToZoned(new Date(Date.now() + hoursAhead * 3600_000), zone);
  async function tender(
    officer: Actor,
    zone: string,
    form: Partial<TenderBasicsForm> & Pick<TenderBasicsForm, "titleAr" | "titleEn" | "category">,
    lot: { ar: string; en: string; items: Array<[string, string, string, string]> },
    closesInHours: number,
    publish = true,
  ): Promise<Tender> {
    const draft = await createTenderDraft(
      {
        actor: officer,
        form: {
          method: "open",
          requireVerified: "on",
          enquiryDeadline: local(closesInHours / 2, zone),
          submissionDeadline: local(closesInHours, zone),
          openingAt: local(closesInHours + 1, zone),
          ...form,
        },
      },
      db,
    );
    const created = await addLot(
      { actor: officer, tenderId: draft.id, titleAr: lot.ar, titleEn: lot.en },
      db,
    );
    for (const [descriptionAr, descriptionEn, quantity, unit] of lot.items)
      await addItem(
        {
          actor: officer,
          tenderId: draft.id,
          lotId: created.id,
          descriptionAr,
          descriptionEn,
          quantity,
          unit,
        },
        db,
      );
    await addCriterion(
      {
        actor: officer,
        tenderId: draft.id,
        nameAr: "شهادة التصنيف",
        nameEn: "Classification certificate",
        kind: "pass_fail",
        weight: "0",
      },
      db,
    );
    await addCriterion(
      {
        actor: officer,
        tenderId: draft.id,
        nameAr: "الخبرة الفنية",
        nameEn: "Technical experience",
        kind: "technical",
        weight: "40",
      },
      db,
    );
    await addCriterion(
      {
        actor: officer,
        tenderId: draft.id,
        nameAr: "السعر",
        nameEn: "Price",
        kind: "financial",
        weight: "60",
      },
      db,
    );
    return publish
      ? publishTender({ actor: officer, tenderId: draft.id }, { db, master: keys.master })
      : draft;
  }
  async function bid(who: Actor, t: Tender, price: bigint) {
    if (t.documentFee > 0n) {
      const payment = await requestFeePayment(
        {
          payerId: who.type === "user" ? who.membership!.organisationId : "",
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
    await submitBid(
      {
        actor: who,
        tenderId: t.id,
        content: {
          lots: [{ lotId: lot!.id, price: price.toString() }],
          responses: {
            c1: "Grade A contractor, certificate attached.",
            c2: "Twelve similar projects since 2015.",
          },
        },
      },
      { db, keys },
    );
  }
  /** Close a tender a moment from now (its bids are already in), so it reads as closed once the seed ends. */
  async function closeSoon(t: Tender) {
    await db.execute(sql`update tenders set enquiry_deadline = now() - interval '2 days',
      submission_deadline = clock_timestamp() + interval '300 milliseconds',
      opening_at = clock_timestamp() + interval '400 milliseconds' where id = ${t.id}`);
  }

  const roads = await tender(
    worksOfficer,
    "Asia/Kuwait",
    {
      titleAr: "صيانة الطرق الرئيسية في منطقة حولي",
      titleEn: "Maintenance of main roads in Hawalli",
      descriptionAr: "صيانة وإعادة سفلتة الطرق الرئيسية في منطقة حولي، مع أعمال الإشارات والعلامات الأرضية.",
      descriptionEn:
        "Maintenance and resurfacing of the main roads in Hawalli, with signs and road markings.",
      category: "works",
      cpvCodes: "45233120-6, 45233141-9",
      estimatedValue: "250000",
      documentFee: "25",
      bidSecurity: "5000",
    },
    {
      ar: "الطرق الرئيسية",
      en: "Main roads",
      items: [
        ["سفلتة الطبقة السطحية", "Surface course asphalt", "12500", "MTK"],
        ["علامات أرضية", "Road markings", "8", "KMT"],
      ],
    },
    24 * 20,
  );
  await bid(alNoor, roads, 231_450_750n);
  await bid(gulf, roads, 244_900_000n);
  const question = await askQuestion(
    {
      actor: gulf,
      tenderId: roads.id,
      question: "هل يشمل العقد صيانة الأرصفة الجانبية؟ / Does the contract include the side pavements?",
    },
    db,
  );
  await answerQuestion(
    {
      actor: worksOfficer2,
      clarificationId: question.id,
      answer: "لا، تقتصر الأعمال على الطرق. / No, the works cover the roads only.",
    },
    db,
  );

  await tender(
    worksOfficer,
    "Asia/Kuwait",
    {
      titleAr: "توريد أثاث مكتبي لمبنى الوزارة",
      titleEn: "Supply of office furniture for the ministry building",
      category: "goods",
      cpvCodes: "39130000-2",
    },
    { ar: "الأثاث", en: "Furniture", items: [["مكاتب", "Desks", "120", "H87"]] },
    24 * 30,
    false,
  );

  const cloud = await tender(
    capitalOfficer,
    "Asia/Riyadh",
    {
      titleAr: "استضافة سحابية للخدمات البلدية",
      titleEn: "Cloud hosting for municipal services",
      category: "services",
      cpvCodes: "72415000-2",
      estimatedValue: "1200000",
    },
    {
      ar: "الاستضافة",
      en: "Hosting",
      items: [["خوادم افتراضية لمدة سنة", "Virtual servers for one year", "12", "MON"]],
    },
    30,
  );
  await bid(sahara, cloud, 98_500_00n);

  const school = await tender(
    worksOfficer,
    "Asia/Kuwait",
    {
      titleAr: "إنشاء مدرسة ابتدائية في الجهراء",
      titleEn: "Construction of a primary school in Jahra",
      category: "works",
      cpvCodes: "45214210-5",
      estimatedValue: "1800000",
    },
    { ar: "المبنى", en: "Building", items: [["مبنى مدرسي", "School building", "1", "LS"]] },
    24 * 3,
  );
  await bid(alNoor, school, 1_745_000_000n);
  await bid(gulf, school, 1_690_500_000n);
  await closeSoon(school);

  const lighting = await tender(
    capitalOfficer,
    "Asia/Riyadh",
    {
      titleAr: "تحديث إنارة الشوارع في حي العليا",
      titleEn: "Street lighting upgrade in Al Olaya",
      category: "works",
      cpvCodes: "45316110-9",
      estimatedValue: "3500000",
    },
    { ar: "الإنارة", en: "Lighting", items: [["أعمدة إنارة LED", "LED lighting poles", "640", "H87"]] },
    24 * 3,
  );
  await bid(alNoor, lighting, 3_410_000_00n);
  await bid(gulf, lighting, 3_275_500_00n);
  await closeSoon(lighting);

  await new Promise((r) => setTimeout(r, 600));
  await startOpening({ actor: capitalOfficer, tenderId: lighting.id }, db);
  await confirmOpening({ actor: capitalOfficer2, tenderId: lighting.id }, { db, master: keys.master });
  return 5;
}
