import { RouterContextProvider } from "react-router";
import { describe, expect, test } from "vitest";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { loader as csvLoader } from "#app/routes/insights.data.$chart.ts";
import { loader as pageLoader } from "#app/routes/insights.tsx";
import { type AppServices, servicesContext } from "#app/server/context.ts";
import { createPastAward } from "#tests/factories/awards.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";

const database = testDatabase();

/** Call a loader as the server does: a request, its params and the request context. */
async function call(
  loader: (args: never) => unknown,
  url: string,
  params: Record<string, string>,
): Promise<Response> {
  const context = new RouterContextProvider();
  context.set(servicesContext, { database } as unknown as AppServices);
  context.set(i18nContext, { lang: "en", t: createI18n("en").t });
  try {
    const result = await loader({
      request: new Request(new URL(url, "http://localhost")),
      params,
      context,
    } as never);
    return result instanceof Response ? result : Response.json(result);
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

describe("insights pages", () => {
  test("the charts' data downloads as CSV with stable columns; bad parameters never fail", async () => {
    const { db } = database;
    const agency = await createOrganisation(db, agencyData({ nameEn: "Ports Authority" }));
    const winner = await createOrganisation(db, businessData());
    const officers: [string, string] = [(await createUser(db)).id, (await createUser(db)).id];
    await createPastAward(db, {
      agencyId: agency.id,
      winnerId: winner.id,
      officers,
      price: 1_234_567n,
      currency: "KWD",
      estimate: 1_000_000n,
      publishedAt: new Date(Date.now() - 60 * 86_400_000),
      periodDays: 10,
    });
    const csv = await call(csvLoader, "/insights/data/agency.csv?currency=KWD", {
      chart: "agency.csv",
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await csv.text();
    expect(text.split("\n")[0]).toBe("agency,amount,currency,awards");
    expect(text).toContain(",1234.567,KWD,1");
    const flags = await (
      await call(csvLoader, "/insights/data/red-flags.csv", { chart: "red-flags.csv" })
    ).text();
    expect(flags).toContain("single_bidder short_tender_period");
    for (const chart of ["nope.csv", "../etc/passwd", "%00.csv"]) {
      const res = await call(csvLoader, "/insights/data/x", { chart }).catch((e) => e);
      expect(res.status).toBe(404);
    }
    const page = await call(pageLoader, "/insights?currency=%27%3B--", {});
    expect(page.status).toBe(200);
  });
});
