import { sql } from "drizzle-orm";
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { tenders } from "./tenders.ts";

export const ALERT_FREQUENCIES = ["instant", "daily", "never"] as const;

/**
 * A search a signed-in user keeps: the query string of the public search page
 * (so it opens as a shareable URL and has that URL's Atom feed), with e-mail
 * and in-app alerts for new matching tenders, at once or once a day.
 */
export const savedSearches = pgTable(
  "saved_searches",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** The canonical query string of /tenders (no page, no sort), e.g. "q=مدرسة&status=open&cpv=45". */
    query: text().notNull(),
    frequency: text({ enum: ALERT_FREQUENCIES }).notNull().default("daily"),
    /** Tenders published after this have not been alerted yet. */
    alertedUpTo: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("saved_searches_user_idx").on(t.userId),
    index("saved_searches_frequency_idx").on(t.frequency, t.alertedUpTo),
    check("saved_searches_name_length", sql`char_length(${t.name}) between 1 and 120`),
    check("saved_searches_query_length", sql`char_length(${t.query}) <= 2000`),
  ],
);

/** Tenders a saved search has alerted about: each once, however often the job runs. */
export const savedSearchHits = pgTable(
  "saved_search_hits",
  {
    savedSearchId: uuid()
      .notNull()
      .references(() => savedSearches.id, { onDelete: "cascade" }),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id),
    alertedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.savedSearchId, t.tenderId] })],
);

export type SavedSearch = typeof savedSearches.$inferSelect;
