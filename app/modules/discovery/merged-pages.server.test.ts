import { beforeAll, describe, expect, test } from "vitest";
import { postgresErrorOf } from "#db/postgres-error.ts";
import { tenders } from "#db/schema/index.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { parseSearchParams } from "./search-params.ts";
import { drizzleRunner, orderedPageStatement, searchConditions, tsqueryOf } from "./search-tenders.server.ts";

/**
 * Pages walked one index per phase and merged (mergedPage) against the same
 * pages collected and sorted in one statement, past the first page: 25
 * tenders in each phase, deadlines and publication times that tie, cancelled
 * tenders without a deadline.
 */

const { db } = testDatabase();
const DAY = 86_400_000;
const runner = drizzleRunner(db);

beforeAll(async () => {
  const author = (await createUser(db)).id;
  const agency = await createOrganisation(db, agencyData({ slug: "kw-bridges", region: "KW-HA" }));
  const now = Date.now();
  const phases = [
    { status: "published", deadline: (i: number) => now + (1 + (i % 9)) * DAY },
    { status: "published", deadline: (i: number) => now - (1 + (i % 9)) * DAY },
    { status: "opened", deadline: (i: number) => now - (20 + (i % 7)) * DAY },
    { status: "cancelled", deadline: (i: number) => (i % 5 === 0 ? null : now - (i % 11) * DAY) },
  ] as const;
  await db.insert(tenders).values(
    phases.flatMap((phase, p) =>
      Array.from({ length: 25 }, (_, i) => {
        const deadline = phase.deadline(i);
        return {
          agencyId: agency.id,
          reference: `B-${p}-${i}`,
          // Every other tender says "bridge": a search with words and one without.
          titleAr: i % 2 ? "صيانة جسر" : "صيانة طريق",
          titleEn: i % 2 ? "Bridge maintenance" : "Road maintenance",
          descriptionAr: "",
          descriptionEn: "",
          method: "open" as const,
          category: "works" as const,
          cpvCodes: ["45221111-3"],
          currency: agency.currency,
          estimatedValue: 1_000_000n,
          timeZone: agency.timeZone,
          enquiryDeadline: deadline === null ? null : new Date(deadline - 5 * DAY),
          submissionDeadline: deadline === null ? null : new Date(deadline),
          openingAt: deadline === null ? null : new Date(deadline + 3600_000),
          status: phase.status,
          // Publication times tie in threes: the order falls back on the id.
          publishedAt: new Date(now - (60 + Math.floor((p * 25 + i) / 3)) * DAY),
          createdBy: author,
        };
      }),
    ),
  );
});

describe("merged pages", () => {
  test("rely on every published or opened tender having a deadline", async () => {
    const [one] = await db.select().from(tenders).limit(1);
    const { id: _id, cpvPrefixes: _generated, searchDocument: _kept, ...copy } = one!;
    for (const status of ["published", "opened"] as const) {
      const error = await db
        .insert(tenders)
        .values({ ...copy, reference: `NO-DEADLINE-${status}`, status, submissionDeadline: null })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(postgresErrorOf(error)?.constraint, status).toBe("tenders_public_deadline");
    }
  });

  test("give the rows of the collected pages, in their order, on every page", async () => {
    for (const q of ["", "bridge"])
      for (const status of ["", "closed", "cancelled"])
        for (const sort of ["newest", "closing"] as const) {
          const { search } = parseSearchParams(new URLSearchParams({ q, status, sort }));
          const c = searchConditions(search, await tsqueryOf(search.q, runner));
          for (let page = 1; page <= 5; page++) {
            const ids = async (collect: boolean) =>
              (
                await runner.run<{ id: string }>(
                  orderedPageStatement(c, sort, page, { status: search.status, collect }),
                )
              ).map((r) => r.id);
            const label = `q=${q} status=${status} sort=${sort} page=${page}`;
            const collected = await ids(true);
            expect(await ids(false), label).toEqual(collected);
            if (page === 1) expect(collected.length, label).toBeGreaterThan(5);
          }
        }
  });
});
