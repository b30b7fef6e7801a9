import { eq, sql } from "drizzle-orm";
import { createPastAward } from "#tests/factories/awards.ts";
import { businessData, createOrganisation } from "#tests/factories/organisations.ts";
import type { Db } from "./client.server.ts";
import { organisations, users } from "./schema/index.ts";

/**
 * Eighteen months of past awards for the demo, so the insights and red-flag
 * pages show what they are for: both agencies, several suppliers (a few that
 * win often, one registered days before it won), competitive and single-bid
 * tenders, prices near and far from the estimates. Deterministic: the same
 * demo every time.
 */

const WORKS_TITLES: Array<[string, string, string, "goods" | "works" | "services"]> = [
  ["صيانة طريق الدائري السادس", "Maintenance of the Sixth Ring Road", "45233141-9", "works"],
  ["إنشاء جسر مشاة في الفروانية", "Pedestrian bridge in Farwaniya", "45221111-3", "works"],
  ["إنارة شوارع منطقة الجهراء", "Street lighting in Jahra", "45316110-9", "works"],
  ["تصريف مياه الأمطار في حولي", "Storm-water drainage in Hawalli", "45232130-2", "works"],
  ["توريد إسفلت ومواد رصف", "Supply of asphalt and paving materials", "44113620-7", "goods"],
  ["أعمال الإشراف الهندسي على الطرق", "Engineering supervision of road works", "71520000-9", "services"],
  ["صيانة إشارات المرور", "Maintenance of traffic signals", "50232200-2", "services"],
  ["إعادة تأهيل مدرسة ابتدائية", "Rehabilitation of a primary school", "45214210-5", "works"],
];
const CAPITAL_TITLES: Array<[string, string, string, "goods" | "works" | "services"]> = [
  ["نظافة الحدائق العامة", "Cleaning of public parks", "90910000-9", "services"],
  ["توريد حاويات نفايات", "Supply of waste containers", "34928480-6", "goods"],
  ["تطوير بوابة الخدمات الإلكترونية", "Development of the e-services portal", "72212000-4", "services"],
  ["تشجير الطريق الدائري الثاني", "Tree planting on the Second Ring Road", "77211400-6", "services"],
  ["توريد أجهزة حاسب محمولة", "Supply of laptop computers", "30213100-6", "goods"],
  ["صيانة مباني الأمانة", "Maintenance of municipal buildings", "50700000-2", "services"],
];

/** A small deterministic generator (mulberry32), so the demo history is the same on every machine. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDemoHistory(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const org = async (slug: string) =>
      (await tx.query.organisations.findFirst({ where: eq(organisations.slug, slug) }))!;
    const user = async (email: string) =>
      (await tx.query.users.findFirst({ where: eq(users.email, email) }))!.id;
    const works = await org("ministry-of-public-works");
    const capital = await org("capital-municipality");
    const worksOfficers: [string, string] = [
      await user("officer1@works.gov.test"),
      await user("officer2@works.gov.test"),
    ];
    const capitalOfficers: [string, string] = [
      await user("officer1@capital.gov.test"),
      await user("officer2@capital.gov.test"),
    ];
    const DAY = 86_400_000;
    const now = Date.now();

    // Suppliers with a history on the platform (registered long ago), and one that is not.
    const veteran = async (slug: string, nameAr: string, nameEn: string, country: "KW" | "SA") => {
      const o = await createOrganisation(
        tx,
        businessData({
          slug,
          nameAr,
          nameEn,
          country,
          currency: country === "KW" ? "KWD" : "SAR",
          timeZone: country === "KW" ? "Asia/Kuwait" : "Asia/Riyadh",
        }),
        { onConflict: "keep" },
      );
      return o.id;
    };
    const kw = [
      (await org("al-noor-contracting")).id,
      (await org("gulf-build")).id,
      await veteran("delta-engineering", "دلتا للهندسة", "Delta Engineering", "KW"),
      await veteran("coastal-supplies", "الساحل للتوريدات", "Coastal Supplies", "KW"),
    ];
    const sa = [
      (await org("sahara-it-solutions")).id,
      await veteran("riyadh-green-services", "الرياض الخضراء للخدمات", "Riyadh Green Services", "SA"),
      await veteran("najd-trading", "نجد التجارية", "Najd Trading", "SA"),
    ];
    await tx.execute(
      sql`update organisations set created_at = now() - interval '900 days' where id in (${sql.join(
        [...kw, ...sa].map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );

    const rand = random(20261125);
    let count = 0;
    const make = async (
      i: number,
      agencyId: string,
      officers: [string, string],
      bidders: string[],
      currency: string,
      titles: typeof WORKS_TITLES,
    ) => {
      const [titleAr, titleEn, cpv, category] = titles[i % titles.length]!;
      const estimate = BigInt(Math.round((20 + rand() * 480) * 1000)) * (currency === "KWD" ? 1000n : 100n);
      const spread = 0.8 + rand() * 0.35;
      const price = (estimate * BigInt(Math.round(spread * 1000))) / 1000n;
      const winner = bidders[Math.floor(rand() * bidders.length)]!;
      const others = bidders.filter((b) => b !== winner).slice(0, Math.floor(rand() * bidders.length));
      await createPastAward(tx, {
        agencyId,
        winnerId: winner,
        otherBidderIds: others,
        officers,
        price,
        currency,
        timeZone: currency === "KWD" ? "Asia/Kuwait" : "Asia/Riyadh",
        estimate,
        category,
        cpvCodes: [cpv],
        titleAr: `${titleAr} (${i + 1})`,
        titleEn: `${titleEn} (${i + 1})`,
        publishedAt: new Date(now - (540 - i * 22) * DAY - rand() * 5 * DAY),
        periodDays: rand() < 0.12 ? 9 : 21 + Math.floor(rand() * 20),
        decisionDays: 10 + Math.floor(rand() * 30),
      });
      count++;
    };
    for (let i = 0; i < 20; i++) await make(i, works.id, worksOfficers, kw, "KWD", WORKS_TITLES);
    for (let i = 0; i < 14; i++) await make(i + 3, capital.id, capitalOfficers, sa, "SAR", CAPITAL_TITLES);

    // A supplier registered days before the tender it then won alone, well above the estimate.
    const fresh = await createOrganisation(
      tx,
      businessData({ slug: "swift-solutions", nameAr: "سويفت للحلول", nameEn: "Swift Solutions" }),
      { onConflict: "keep" },
    );
    const publishedAt = new Date(now - 70 * DAY);
    await tx
      .update(organisations)
      .set({ createdAt: new Date(publishedAt.getTime() - 8 * DAY) })
      .where(eq(organisations.id, fresh.id));
    await createPastAward(tx, {
      agencyId: works.id,
      winnerId: fresh.id,
      officers: worksOfficers,
      price: 186_000_000n,
      currency: "KWD",
      timeZone: "Asia/Kuwait",
      estimate: 120_000_000n,
      category: "services",
      cpvCodes: ["72000000-5"],
      titleAr: "نظام إدارة الأصول الإلكتروني",
      titleEn: "Electronic asset management system",
      publishedAt,
      periodDays: 8,
      decisionDays: 6,
    });
    return count + 1;
  });
}
