import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { organisations } from "./organisations.ts";
import { tenders } from "./tenders.ts";

/**
 * Clarifications on a tender: a business asks before the enquiry deadline, a
 * procurement officer of the agency answers once, and the answered pair is
 * public. Who asked (user and organisation) is kept for the record and for the
 * officers, never shown to the public or to other bidders.
 */
export const clarifications = pgTable(
  "clarifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    tenderId: uuid()
      .notNull()
      .references(() => tenders.id),
    askedBy: uuid()
      .notNull()
      .references(() => users.id),
    askingOrganisationId: uuid()
      .notNull()
      .references(() => organisations.id),
    question: text().notNull(),
    /** The language the question was written in ("ar" or "en"), for direction and display. */
    questionLang: text({ enum: ["ar", "en"] }).notNull(),
    askedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answer: text(),
    answeredBy: uuid().references(() => users.id),
    answeredAt: timestamp({ withTimezone: true }),
    /** Public once answered. */
    published: boolean().notNull().default(false),
  },
  (t) => [
    index("clarifications_tender_idx").on(t.tenderId, t.askedAt),
    index("clarifications_asker_idx").on(t.askingOrganisationId, t.tenderId),
    check(
      "clarifications_answer_complete",
      sql`(${t.answer} is null and ${t.answeredBy} is null and ${t.answeredAt} is null and not ${t.published})
        or (${t.answer} is not null and ${t.answeredBy} is not null and ${t.answeredAt} is not null)`,
    ),
  ],
);

export type Clarification = typeof clarifications.$inferSelect;
