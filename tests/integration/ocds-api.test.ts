import { RouterContextProvider } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { createI18n } from "#app/modules/i18n/i18n.ts";
import { loader as recordLoader } from "#app/routes/api.ocds.records.$ocid.ts";
import { loader as jsonlLoader } from "#app/routes/api.ocds.releases.jsonl.ts";
import { loader as releasesLoader } from "#app/routes/api.ocds.releases.ts";
import { type AppServices, servicesContext } from "#app/server/context.ts";
import { tenders } from "#db/schema/index.ts";
import { seedDemoData } from "#db/seed.ts";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { recordPackageProblems, releasePackageProblems } from "#tests/support/ocds-schema.ts";

/** The OCDS routes through their loaders, as the server calls them, answering JSON. */

const database = testDatabase();
const PREFIX = "ocds-shafaf";
const PUBLIC_URL = "https://shafaf.example.gov";

function contextFor(lang: "en" | "ar" = "en") {
  const context = new RouterContextProvider();
  context.set(servicesContext, {
    database,
    env: { OCDS_PREFIX: PREFIX, PUBLIC_URL },
  } as unknown as AppServices);
  context.set(i18nContext, { lang, t: createI18n(lang).t });
  return context;
}

async function get(
  url: string,
  lang: "en" | "ar" = "en",
): Promise<{ status: number; headers: Headers; text: string }> {
  const { pathname } = new URL(url, "http://localhost");
  const request = new Request(new URL(url, "http://localhost"));
  const args = (params: Record<string, string>) =>
    ({ request, params, context: contextFor(lang) }) as unknown as Parameters<typeof releasesLoader>[0];
  let response: Response;
  if (pathname === "/api/ocds/releases") response = await releasesLoader(args({}));
  else if (pathname === "/api/ocds/releases.jsonl") response = jsonlLoader(args({}) as never);
  else if (pathname.startsWith("/api/ocds/records/"))
    response = await recordLoader(
      args({ ocid: decodeURIComponent(pathname.slice("/api/ocds/records/".length)) }) as never,
    );
  else throw new Error(`no OCDS route at ${url}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

let draftId: string;
let publicIds: string[];

beforeAll(async () => {
  await seedDemoData(database.db, testSealingKeys());
  const all = await database.db.select().from(tenders);
  draftId = all.find((t) => t.status === "draft")!.id;
  publicIds = all.filter((t) => t.status !== "draft").map((t) => t.id);
}, 120_000);

describe("GET /api/ocds/releases", () => {
  test("a valid release package, newest first, open to any origin", async () => {
    const answer = await get("/api/ocds/releases");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    const pkg = JSON.parse(answer.text);
    expect(releasePackageProblems(pkg)).toEqual([]);
    expect(pkg).toMatchObject({
      version: "1.1",
      uri: `${PUBLIC_URL}/api/ocds/releases`,
      publisher: { name: "Shafaf" },
    });
    // The demo's releases (with the awards of its history) fill more than the default page of 100.
    expect(pkg.releases).toHaveLength(100);
    expect(pkg.links.next).toMatch(new RegExp(`^${PUBLIC_URL}/api/ocds/releases\\?cursor=`));
    const tags = new Set(
      JSON.parse((await get("/api/ocds/releases?limit=1000")).text).releases.map(
        (r: { tag: string[] }) => r.tag[0],
      ),
    );
    for (const tag of ["tender", "tenderCancellation", "award", "awardUpdate", "contract", "implementation"])
      expect(tags).toContain(tag);
    expect(pkg.publishedDate).toBe(pkg.releases[0].date);
    expect(answer.text).not.toContain(draftId);
  });

  test("links.next pages through the same releases", async () => {
    const whole = JSON.parse((await get("/api/ocds/releases?limit=1000")).text);
    const ids: string[] = [];
    let url: string | undefined = "/api/ocds/releases?limit=2";
    while (url) {
      const answer = await get(url);
      expect(answer.status).toBe(200);
      const page = JSON.parse(answer.text);
      expect(releasePackageProblems(page)).toEqual([]);
      expect(page.releases.length).toBeLessThanOrEqual(2);
      ids.push(...page.releases.map((r: { id: string }) => r.id));
      url = page.links?.next;
      if (url) expect(url.startsWith(`${PUBLIC_URL}/api/ocds/releases?limit=2&cursor=`)).toBe(true);
    }
    expect(ids).toEqual(whole.releases.map((r: { id: string }) => r.id));
  });

  test.each([
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=abc", "limit"],
    ["limit=-5", "limit"],
    ["limit=", "limit"],
    ["limit=10&limit=20", "limit"],
    ["cursor=garbage", "cursor"],
    ["cursor=", "cursor"],
    [`cursor=${Buffer.from('["yesterday","x"]').toString("base64url")}`, "cursor"],
  ])("?%s is a 400 problem naming %s, never a 500", async (query, parameter) => {
    const answer = await get(`/api/ocds/releases?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.text)).toEqual({
      type: "about:blank",
      title: expect.any(String),
      status: 400,
      code: "VALIDATION",
      parameter,
      detail: expect.stringContaining(parameter),
    });
  });

  test("the problem is told in the caller's language", async () => {
    const answer = JSON.parse((await get("/api/ocds/releases?limit=0", "ar")).text);
    expect(answer.detail).toMatch(/[\u0600-\u06FF]/);
  });
});

test("GET /api/ocds/releases.jsonl: every release, one per line, the same as the list", async () => {
  const answer = await get("/api/ocds/releases.jsonl");
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toMatch(/^application\/jsonl/);
  const lines = answer.text.split("\n");
  expect(lines.pop()).toBe("");
  const releases = lines.map((line) => JSON.parse(line));
  const whole = JSON.parse((await get("/api/ocds/releases?limit=1000")).text);
  expect(releases).toEqual(whole.releases);
  expect(releasePackageProblems({ ...whole, releases })).toEqual([]);
});

describe("GET /api/ocds/records/:ocid", () => {
  test("each public tender's record package is valid", async () => {
    for (const id of publicIds) {
      const answer = await get(`/api/ocds/records/${PREFIX}-${id}`);
      expect(answer.status).toBe(200);
      const pkg = JSON.parse(answer.text);
      expect(recordPackageProblems(pkg)).toEqual([]);
      expect(pkg.records[0].ocid).toBe(`${PREFIX}-${id}`);
      expect(pkg.uri).toBe(`${PUBLIC_URL}/api/ocds/records/${PREFIX}-${id}`);
    }
  });

  test("an unknown ocid, another prefix and a draft are 404 problems", async () => {
    for (const ocid of [
      `${PREFIX}-00000000-0000-4000-8000-000000000000`,
      `ocds-other-${publicIds[0]}`,
      `${PREFIX}-${draftId}`,
      "nonsense",
    ]) {
      const answer = await get(`/api/ocds/records/${encodeURIComponent(ocid)}`);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.text)).toMatchObject({ status: 404, code: "NOT_FOUND" });
      expect(answer.text).not.toMatch(/furniture/i);
    }
  });
});
