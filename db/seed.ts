import { eq, sql } from "drizzle-orm";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import type { Db } from "./client.server.ts";
import { appMeta } from "./schema/index.ts";

const SEEDED_KEY = "demo_seeded_at";

/**
 * The demo data set: two agencies in two currencies (one with three decimals,
 * KWD) and the businesses named in the identity issue. Built with the test factories. Safe to run
 * again: rows are keyed by slug and existing ones are kept.
 */
export async function seedDemoData(db: Db): Promise<{ organisations: number }> {
  return db.transaction(async (tx) => {
    const orgs = [
      { kind: "platform" as const, slug: "shafaf", nameAr: "منصة شفاف", nameEn: "Shafaf platform" },
      agencyData({
        slug: "ministry-of-public-works",
        nameAr: "وزارة الأشغال العامة",
        nameEn: "Ministry of Public Works",
        country: "KW",
        currency: "KWD",
        timeZone: "Asia/Kuwait",
      }),
      agencyData({
        slug: "capital-municipality",
        nameAr: "أمانة العاصمة",
        nameEn: "Capital Municipality",
        country: "SA",
        currency: "SAR",
        timeZone: "Asia/Riyadh",
      }),
      businessData({ slug: "al-noor-contracting", nameAr: "النور للمقاولات", nameEn: "Al Noor Contracting" }),
      businessData({ slug: "gulf-build", nameAr: "الخليج للبناء", nameEn: "Gulf Build" }),
      businessData({
        slug: "sahara-it-solutions",
        nameAr: "الصحراء لحلول تقنية المعلومات",
        nameEn: "Sahara IT Solutions",
        country: "SA",
        currency: "SAR",
        timeZone: "Asia/Riyadh",
      }),
      businessData({ slug: "newco-trading", nameAr: "نيوكو للتجارة", nameEn: "NewCo Trading" }),
    ];
    for (const org of orgs) {
      await createOrganisation(
        tx,
        { country: "KW", currency: "KWD", timeZone: "Asia/Kuwait", ...org },
        { onConflict: "keep" },
      );
    }
    await tx.insert(appMeta).values({ key: SEEDED_KEY, value: sql`to_jsonb(now())` }).onConflictDoNothing();
    return { organisations: orgs.length };
  });
}

/** Whether the demo data was ever seeded into this database (the first start seeds it once). */
export async function isSeeded(db: Db): Promise<boolean> {
  const row = await db.query.appMeta.findFirst({ where: eq(appMeta.key, SEEDED_KEY) });
  return row !== undefined;
}
