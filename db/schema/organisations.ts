import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const organisationKind = pgEnum("organisation_kind", ["business", "agency", "platform"]);
export const verificationStatus = pgEnum("verification_status", ["pending", "verified", "rejected"]);

/**
 * Every party on Shafaf: businesses that bid and apply, agencies that buy and
 * license, and the platform operator itself. Names are kept in both languages
 * because public pages show either.
 */
export const organisations = pgTable(
  "organisations",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: organisationKind().notNull(),
    /** Short, URL-safe, unique: used in public links (/agencies/:slug). */
    slug: text().notNull(),
    nameAr: text().notNull(),
    nameEn: text().notNull(),
    /** ISO 3166-1 alpha-2. */
    country: char({ length: 2 }).notNull(),
    /** ISO 3166-2 first-level subdivision (governorate, province, emirate), e.g. KW-HA; see app/modules/discovery/regions.ts. */
    region: text(),
    /** ISO 4217 currency the organisation transacts in by default. */
    currency: char({ length: 3 }).notNull(),
    /** IANA time zone: deadlines are shown in the agency's own zone, named. */
    timeZone: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),

    // Business registration (null for agencies and the platform).
    /** Commercial registration number, unique per country. */
    registrationNumber: text(),
    taxNumber: text(),
    sector: text(),
    address: text(),
    contactEmail: text(),
    contactPhone: text(),
    /** Agencies and the platform are verified by construction; businesses by a platform admin. */
    verification: verificationStatus().notNull().default("verified"),
    verificationReason: text(),
    verifiedAt: timestamp({ withTimezone: true }),
    /** Agencies can require every member to use a second factor. */
    requireSecondFactor: boolean().notNull().default(false),
  },
  (t) => [
    uniqueIndex("organisations_slug_key").on(t.slug),
    uniqueIndex("organisations_registration_key").on(t.country, t.registrationNumber),
    check("organisations_country_format", sql`${t.country} ~ '^[A-Z]{2}$'`),
    check("organisations_region_format", sql`${t.region} ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'`),
    // Agency names for search autocomplete (search_trigram_form(): migration tender_search_trigram_form).
    index("organisations_agency_name_ar_trigram_idx")
      .using("gin", sql`search_trigram_form(${t.nameAr}) gin_trgm_ops`)
      .where(sql`${t.kind} = 'agency'`),
    index("organisations_agency_name_en_trigram_idx")
      .using("gin", sql`search_trigram_form(${t.nameEn}) gin_trgm_ops`)
      .where(sql`${t.kind} = 'agency'`),
    check("organisations_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export type Organisation = typeof organisations.$inferSelect;
export type NewOrganisation = typeof organisations.$inferInsert;
