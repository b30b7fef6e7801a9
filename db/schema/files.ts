import { sql } from "drizzle-orm";
import { bigint, char, check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Metadata of every uploaded file. The bytes live in the file store (local disk
 * or S3-compatible storage) under `storageKey`; never under public/.
 * A file is uploaded first and attached to a domain object afterwards; files
 * never attached are pruned by a scheduled job.
 */
export const storedFiles = pgTable(
  "stored_files",
  {
    id: uuid().primaryKey().defaultRandom(),
    storageKey: text().notNull().unique(),
    originalName: text().notNull(),
    /** The type detected from the bytes, not the one the browser claimed. */
    mediaType: text().notNull(),
    sizeBytes: bigint({ mode: "bigint" }).notNull(),
    sha256: char({ length: 64 }).notNull(),
    uploadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    attachedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("stored_files_unattached_idx").on(t.uploadedAt).where(sql`${t.attachedAt} is null`),
    check("stored_files_sha256_format", sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check("stored_files_size_nonnegative", sql`${t.sizeBytes} >= 0`),
  ],
);

export type StoredFile = typeof storedFiles.$inferSelect;
