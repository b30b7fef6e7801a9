import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { tenders } from "#db/schema/index.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { suggestionCache, suggestTenders } from "./suggest-tenders.server.ts";

const { db } = testDatabase();
const DAY = 86_400_000;

beforeAll(async () => {
  const author = (await createUser(db)).id;
  const agency = await createOrganisation(
    db,
    agencyData({
      slug: "kw-electricity",
      nameAr: "وزارة الكهرباء والماء",
      nameEn: "Ministry of Electricity and Water",
    }),
  );
  const tender = (
    reference: string,
    titleAr: string,
    titleEn: string,
    status: "published" | "draft" = "published",
  ) => ({
    agencyId: agency.id,
    reference,
    titleAr,
    titleEn,
    category: "works" as const,
    currency: "KWD",
    timeZone: "Asia/Kuwait",
    enquiryDeadline: new Date(Date.now() + 5 * DAY),
    submissionDeadline: new Date(Date.now() + 10 * DAY),
    openingAt: new Date(Date.now() + 11 * DAY),
    status,
    publishedAt: new Date(),
    createdBy: author,
  });
  await db
    .insert(tenders)
    .values([
      tender("E-1", "إنارة الطرق الرئيسية", "Street lighting of main roads"),
      tender("E-2", "انارة الحدائق العامة", "Lighting of public parks"),
      tender("E-3", "صيانة محطات الإنارة", "Maintenance of lighting stations"),
      tender("E-4", "إنارة سرية", "Secret lighting draft", "draft"),
    ]);
});

describe("suggestTenders", () => {
  test("titles in the script typed, whatever the hamza or ة, titles starting with it first", async () => {
    const values = (await suggestTenders("انارة", db)).filter((s) => s.kind === "tender").map((s) => s.value);
    expect(values.slice(0, 2).sort()).toEqual(["انارة الحدائق العامة", "إنارة الطرق الرئيسية"].sort());
    expect(values[2]).toBe("صيانة محطات الإنارة");
    const english = (await suggestTenders("LIGHT", db))
      .filter((s) => s.kind === "tender")
      .map((s) => s.value);
    expect(english).toEqual([
      "Lighting of public parks",
      "Street lighting of main roads",
      "Maintenance of lighting stations",
    ]);
  });

  test("agencies by either name, with their slug; drafts never", async () => {
    expect(await suggestTenders("الكهربا", db)).toContainEqual({
      kind: "agency",
      value: "وزارة الكهرباء والماء",
      lang: "ar",
      agency: "kw-electricity",
    });
    expect((await suggestTenders("electricity", db))[0]).toMatchObject({ kind: "agency", lang: "en" });
    expect((await suggestTenders("secret", db)).map((s) => s.value)).toEqual([]);
  });

  test("too short, or anything at all: an answer, never an error", async () => {
    expect(await suggestTenders("ا", db)).toEqual([]);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 80 }), async (q) => {
        expect(Array.isArray(await suggestTenders(q, db))).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(Array.isArray(await suggestTenders("%_\\'\"".repeat(500), db))).toBe(true);
  });

  test("the page's cache answers the same text (however spelt) from memory until it expires", async () => {
    const cache = suggestionCache(17)!;
    const titles = async (q: string, withCache = true) =>
      (await suggestTenders(q, db, withCache ? cache : null))
        .filter((s) => s.kind === "tender")
        .map((s) => s.value);
    expect(await titles("حدائق")).toEqual(["انارة الحدائق العامة"]);
    await db.update(tenders).set({ titleAr: "انارة الحدائق والممرات" }).where(eq(tenders.reference, "E-2"));
    try {
      // Kept: the same text, however spaced (one normalised key).
      expect(await titles("حدائق")).toEqual(["انارة الحدائق العامة"]);
      expect(await titles("  حدائق ")).toEqual(["انارة الحدائق العامة"]);
      expect(await titles("حدائق", false)).toEqual(["انارة الحدائق والممرات"]);
      // Requests at the same moment share one lookup, and once it expires the answer is fresh.
      cache.clear();
      const [a, b] = await Promise.all([titles("حدائق"), titles("حدائق")]);
      expect(a).toEqual(["انارة الحدائق والممرات"]);
      expect(b).toEqual(a);
      expect(suggestionCache(0)).toBeNull();
    } finally {
      await db.update(tenders).set({ titleAr: "انارة الحدائق العامة" }).where(eq(tenders.reference, "E-2"));
    }
  });
});
