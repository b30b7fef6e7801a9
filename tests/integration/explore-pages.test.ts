import { RouterContextProvider } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { createI18n, type Language } from "#app/modules/i18n/i18n.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { loader as agencyLoader } from "#app/routes/agencies.$slug.tsx";
import { loader as awardsLoader } from "#app/routes/awards.tsx";
import { loader as supplierLoader } from "#app/routes/suppliers.$slug.tsx";
import { type AppServices, servicesContext } from "#app/server/context.ts";
import { createPastAward } from "#tests/factories/awards.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";

const database = testDatabase();

/** Call a loader as the server does: a request, its params and the request context; errors a server would answer 500. */
async function call(
  loader: (args: never) => unknown,
  url: string,
  params: Record<string, string> = {},
  lang: Language = "en",
): Promise<Response> {
  const context = new RouterContextProvider();
  context.set(servicesContext, { database } as unknown as AppServices);
  context.set(i18nContext, { lang, t: createI18n(lang).t });
  try {
    const result = await loader({
      request: new Request(new URL(url, "http://localhost")),
      params,
      context,
    } as never);
    return result instanceof Response ? result : Response.json(result);
  } catch (e) {
    if (e instanceof Response) return e;
    return new Response(String(e), { status: 500 });
  }
}

beforeAll(async () => {
  const { db } = database;
  const agency = await createOrganisation(db, agencyData({ slug: "harbour-board", nameEn: "Harbour Board" }));
  const winner = await createOrganisation(
    db,
    businessData({ slug: "dhow-builders", nameEn: "Dhow Builders" }),
  );
  const officers: [string, string] = [(await createUser(db)).id, (await createUser(db)).id];
  await createPastAward(db, {
    agencyId: agency.id,
    winnerId: winner.id,
    officers,
    price: 1_234_567n,
    currency: "KWD",
    publishedAt: new Date(Date.now() - 90 * 86_400_000),
    periodDays: 30,
    reference: "HB-2026-001",
  });
});

describe("award explorer and profiles over HTTP", () => {
  test("the explorer answers with formatted amounts and links, in either language", async () => {
    const en = await call(awardsLoader, "/awards?agency=harbour-board&currency=KWD");
    expect(en.status).toBe(200);
    const body = await en.json();
    expect(body.total).toBe(1);
    expect(body.rows[0]).toMatchObject({
      reference: "HB-2026-001",
      amount: moneyText(1_234_567n, "KWD", "en"),
      agency: { slug: "harbour-board", name: "Harbour Board" },
      supplier: { slug: "dhow-builders", name: "Dhow Builders" },
    });
    const ar = await (await call(awardsLoader, "/awards", {}, "ar")).json();
    expect(ar.rows[0].amount).toContain("1,234.567");
    expect(ar.problems).toEqual([]);
  });

  test("malformed query strings give 200 with the bad values named, never 500", async () => {
    for (const qs of [
      "year=abcd",
      "year=-1",
      "year=999999999999999999999",
      "currency=ZZZ",
      "currency=%27%3B%20drop%20table%20awards%3B--",
      "currency=K%00D",
      "page=99999999999999999999",
      "page=999999",
      "page=-3",
      "page=1e9",
      "agency=%E2%80%AE%00",
      `supplier=${"x".repeat(5000)}`,
      "category[]=works&category=works",
      "agency=harbour-board&agency=other",
      "%ZZ=%ZZ&&&==",
      "year=2026&currency=KWD&category=goods&page=2",
    ]) {
      const res = await call(awardsLoader, `/awards?${qs}`);
      expect(res.status, qs).toBe(200);
    }
    const body = await (await call(awardsLoader, "/awards?year=abcd&currency=ZZZ&page=zz")).json();
    expect(body.problems).toHaveLength(3);
    const deep = await (await call(awardsLoader, "/awards?page=999999")).json();
    expect([deep.page, deep.rows.length]).toEqual([1, 1]);
  });

  test("profiles answer 200 for a known slug and 404 for anything else, never 500", async () => {
    expect((await call(agencyLoader, "/agencies/harbour-board", { slug: "harbour-board" })).status).toBe(200);
    expect((await call(supplierLoader, "/suppliers/dhow-builders", { slug: "dhow-builders" })).status).toBe(
      200,
    );
    const agencyBody = await (
      await call(agencyLoader, "/agencies/harbour-board", { slug: "harbour-board" })
    ).json();
    expect(agencyBody.spending.byCurrency[0].amount).toBe(moneyText(1_234_567n, "KWD", "en"));
    for (const slug of [
      "nobody",
      "dhow-builders",
      "../etc/passwd",
      "%00",
      "A".repeat(500),
      "'; --",
      "Harbour Board",
    ])
      expect((await call(agencyLoader, "/agencies/x", { slug })).status, slug).toBe(404);
    for (const slug of ["nobody", "harbour-board", "..", "\u202e", "x".repeat(200)])
      expect((await call(supplierLoader, "/suppliers/x", { slug })).status, slug).toBe(404);
    // The slug as typed in capitals still finds the page.
    expect((await call(agencyLoader, "/agencies/HARBOUR-BOARD", { slug: "HARBOUR-BOARD" })).status).toBe(200);
  });
});
