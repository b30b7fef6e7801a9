import { and, asc, eq, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { notifyUser } from "#app/modules/notifications/notify.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { ALERT_FREQUENCIES, type SavedSearch, savedSearches, savedSearchHits } from "#db/schema/index.ts";
import { parseSearchParams, searchParamsOf } from "./search-params.ts";
import { latestTenders } from "./search-tenders.server.ts";

/**
 * Saved searches: a signed-in user keeps a search of the public tender page
 * and is told (in the app and by e-mail) about new tenders that match it, as
 * soon as they are published (the alert job runs every minute) or in one
 * daily message. Each tender is alerted once per search. The search's Atom
 * feed is the public one of its query string.
 */

export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];
export const MAX_SAVED_SEARCHES = 50;

/** The query string as the search page writes it, without the page: the same search is the same text. */
export function canonicalQuery(query: string): string {
  const { search } = parseSearchParams(new URLSearchParams(query.replace(/^\?/, "").slice(0, 4000)));
  return searchParamsOf(search, { page: 1 }).toString();
}

function userOf(actor: Actor) {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  return actor.userId;
}

function frequencyOf(value: string): AlertFrequency {
  if (!(ALERT_FREQUENCIES as readonly string[]).includes(value))
    throw new AppError("VALIDATION", {}, { field: "frequency" });
  return value as AlertFrequency;
}

export async function saveSearch(
  input: { actor: Actor; name: string; query: string; frequency: string },
  db: Db,
): Promise<SavedSearch> {
  const userId = userOf(input.actor);
  const name = input.name.trim().replace(/\s+/g, " ");
  if (name.length < 1 || name.length > 120) throw new AppError("VALIDATION", {}, { field: "name" });
  const frequency = frequencyOf(input.frequency);
  const query = canonicalQuery(input.query);
  return db.transaction(async (tx) => {
    // Serialised per user, so the limit holds when two saves race.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`saved-searches:${userId}`}))`);
    const [{ n }] = (await tx.execute(
      sql`select count(*)::int as n from saved_searches where user_id = ${userId}`,
    )) as unknown as [{ n: number }];
    if (n >= MAX_SAVED_SEARCHES) throw new AppError("SAVED_SEARCH_LIMIT", { max: MAX_SAVED_SEARCHES });
    const [row] = await tx.insert(savedSearches).values({ userId, name, query, frequency }).returning();
    return row!;
  });
}

export function mySavedSearches(actor: Actor, db: Queryable): Promise<SavedSearch[]> {
  return db
    .select()
    .from(savedSearches)
    .where(eq(savedSearches.userId, userOf(actor)))
    .orderBy(asc(savedSearches.createdAt));
}

export async function changeSavedSearch(
  input: { actor: Actor; id: string; frequency?: string; remove?: boolean },
  db: Db,
): Promise<void> {
  const userId = userOf(input.actor);
  if (!/^[0-9a-f-]{36}$/i.test(input.id)) throw new AppError("NOT_FOUND");
  const mine = and(eq(savedSearches.id, input.id), eq(savedSearches.userId, userId));
  const changed = input.remove
    ? await db.delete(savedSearches).where(mine).returning({ id: savedSearches.id })
    : await db
        .update(savedSearches)
        .set({ frequency: frequencyOf(input.frequency ?? "") })
        .where(mine)
        .returning({ id: savedSearches.id });
  if (changed.length === 0) throw new AppError("NOT_FOUND");
}

/**
 * Tell the owners of saved searches of one frequency about tenders published
 * since their last alert. "instant" names each tender; "daily" sends one
 * message per search with the count and a link to the search.
 */
export async function sendSearchAlerts(
  input: { frequency: "instant" | "daily"; baseUrl?: string },
  db: Db,
): Promise<{ searches: number; alerted: number }> {
  const [{ cutoff }] = (await db.execute(sql`select now() as cutoff`)) as unknown as [{ cutoff: string }];
  const cutoffAt = new Date(cutoff);
  const due = await db.select().from(savedSearches).where(eq(savedSearches.frequency, input.frequency));
  let alerted = 0;
  for (const saved of due) {
    const { search } = parseSearchParams(new URLSearchParams(saved.query));
    const fresh = (await latestTenders({ ...search, sort: "newest", page: 1 }, db, 100)).filter((t) => {
      const published = t.published_at ? new Date(t.published_at as string) : null;
      return published !== null && published > saved.alertedUpTo && published <= cutoffAt;
    });
    await db.transaction(async (tx) => {
      const hits = fresh.length
        ? await tx
            .insert(savedSearchHits)
            .values(fresh.map((t) => ({ savedSearchId: saved.id, tenderId: String(t.id) })))
            .onConflictDoNothing()
            .returning({ tenderId: savedSearchHits.tenderId })
        : [];
      const newOnes = fresh.filter((t) => hits.some((h) => h.tenderId === String(t.id)));
      if (input.frequency === "instant") {
        for (const t of newOnes)
          await notifyUser(tx, {
            userId: saved.userId,
            kind: "savedSearchMatch",
            params: {
              search: saved.name,
              reference: String(t.reference),
              titleAr: String(t.title_ar),
              titleEn: String(t.title_en),
            },
            link: `/tenders/${String(t.id)}`,
            baseUrl: input.baseUrl,
          });
      } else if (newOnes.length > 0) {
        await notifyUser(tx, {
          userId: saved.userId,
          kind: "savedSearchDigest",
          params: { search: saved.name, count: String(newOnes.length) },
          link: `/tenders?${saved.query}`,
          baseUrl: input.baseUrl,
        });
      }
      alerted += newOnes.length;
      await tx.update(savedSearches).set({ alertedUpTo: cutoffAt }).where(eq(savedSearches.id, saved.id));
    });
  }
  return { searches: due.length, alerted };
}
