import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import type { Actor } from "#app/modules/accounts/actor.ts";
import type { Db } from "#db/client.server.ts";
import { emailOutbox, notifications, savedSearches, tenders } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import {
  canonicalQuery,
  changeSavedSearch,
  MAX_SAVED_SEARCHES,
  mySavedSearches,
  saveSearch,
  sendSearchAlerts,
} from "./saved-searches.server.ts";

let db: Db;
let agencyId: string;
let officerId: string;
let seq = 0;

beforeAll(async () => {
  db = testDatabase().db;
  agencyId = (await createOrganisation(db, agencyData())).id;
  officerId = (await createUser(db)).id;
});

async function publish(titleAr: string, titleEn: string, category: "works" | "goods" = "works") {
  const [t] = await db
    .insert(tenders)
    .values({
      agencyId,
      reference: `SS-${++seq}-${Date.now()}`,
      titleAr,
      titleEn,
      category,
      currency: "KWD",
      timeZone: "Asia/Kuwait",
      status: "published",
      enquiryDeadline: sql`now() + interval '5 days'`,
      submissionDeadline: sql`now() + interval '20 days'`,
      openingAt: sql`now() + interval '20 days'`,
      publishedAt: sql`now()`,
      createdBy: officerId,
    })
    .returning();
  return t!;
}

async function someone(): Promise<Actor> {
  return actorOf(await createUser(db), null);
}

test("a saved search alerts its owner once about each new matching tender, Arabic spelling variants included", async () => {
  const owner = await someone();
  const saved = await saveSearch(
    { actor: owner, name: "  مدارس   مفتوحة ", query: "?q=مدرسه&status=open&page=3", frequency: "instant" },
    db,
  );
  expect(saved.name).toBe("مدارس مفتوحة");
  expect(saved.query).toBe(canonicalQuery("q=مدرسه&status=open"));
  expect(saved.query).not.toContain("page");
  await new Promise((r) => setTimeout(r, 20));
  const school = await publish("بناء مدرسة ابتدائية في الجهراء", "Building a primary school in Jahra");
  await publish("صيانة طريق", "Road maintenance");

  const first = await sendSearchAlerts({ frequency: "instant", baseUrl: "https://shafaf.example" }, db);
  expect(first.alerted).toBeGreaterThanOrEqual(1);
  const mine = (userId: string) => db.select().from(notifications).where(eq(notifications.userId, userId));
  const userId = (owner as { userId: string }).userId;
  expect((await mine(userId)).map((n) => [n.kind, n.link])).toEqual([
    ["savedSearchMatch", `/tenders/${school.id}`],
  ]);
  const mail = (await db.select().from(emailOutbox).where(eq(emailOutbox.template, "savedSearchMatch"))).find(
    (m) => m.body.includes(school.reference),
  );
  expect(mail?.body).toContain(`https://shafaf.example/tenders/${school.id}`);
  // Running again (every minute) tells nothing new.
  await sendSearchAlerts({ frequency: "instant" }, db);
  expect(await mine(userId)).toHaveLength(1);
});

test("a daily search sends one digest with the count; 'never' sends nothing; owners change only their own", async () => {
  const owner = await someone();
  const quiet = await someone();
  await saveSearch({ actor: owner, name: "Supplies", query: "category=goods", frequency: "daily" }, db);
  const silent = await saveSearch(
    { actor: quiet, name: "All goods", query: "category=goods", frequency: "never" },
    db,
  );
  await new Promise((r) => setTimeout(r, 20));
  await publish("توريد حاسبات", "Supply of computers", "goods");
  await publish("توريد أثاث", "Supply of furniture", "goods");
  await sendSearchAlerts({ frequency: "daily" }, db);
  const digests = await db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, (owner as { userId: string }).userId));
  expect(digests).toMatchObject([
    {
      kind: "savedSearchDigest",
      params: { search: "Supplies", count: "2" },
      link: "/tenders?category=goods",
    },
  ]);
  expect(
    await db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, (quiet as { userId: string }).userId)),
  ).toEqual([]);

  await expect(changeSavedSearch({ actor: owner, id: silent.id, remove: true }, db)).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
  await expect(
    changeSavedSearch({ actor: quiet, id: silent.id, frequency: "hourly" }, db),
  ).rejects.toMatchObject({ code: "VALIDATION" });
  await changeSavedSearch({ actor: quiet, id: silent.id, frequency: "instant" }, db);
  expect((await mySavedSearches(quiet, db)).map((s) => s.frequency)).toEqual(["instant"]);
  await changeSavedSearch({ actor: quiet, id: silent.id, remove: true }, db);
  expect(await db.select().from(savedSearches).where(eq(savedSearches.id, silent.id))).toEqual([]);
});

test("bad input: no name, an unknown frequency, a malformed query (kept as the search page reads it), too many searches", async () => {
  const owner = await someone();
  await expect(
    saveSearch({ actor: owner, name: " ", query: "", frequency: "daily" }, db),
  ).rejects.toMatchObject({ code: "VALIDATION", status: 400 });
  await expect(
    saveSearch({ actor: owner, name: "x", query: "", frequency: "weekly" }, db),
  ).rejects.toMatchObject({ code: "VALIDATION" });
  const odd = await saveSearch(
    {
      actor: owner,
      name: "odd",
      query: "q=%E0%A4%A&status=nope&cpv=zz&min=-1&currency=KWDX",
      frequency: "never",
    },
    db,
  );
  expect(odd.query).toBe(canonicalQuery("q=%E0%A4%A&status=nope&cpv=zz&min=-1&currency=KWDX"));
  for (let i = 1; i < MAX_SAVED_SEARCHES; i++)
    await saveSearch({ actor: owner, name: `s${i}`, query: `q=${i}`, frequency: "never" }, db);
  await expect(
    saveSearch({ actor: owner, name: "one more", query: "", frequency: "never" }, db),
  ).rejects.toMatchObject({
    code: "SAVED_SEARCH_LIMIT",
    status: 409,
  });
  await expect(
    saveSearch({ actor: { type: "anonymous" }, name: "x", query: "", frequency: "never" }, db),
  ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
});
