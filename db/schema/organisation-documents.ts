import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { storedFiles } from "./files.ts";
import { organisations } from "./organisations.ts";

/** Documents an organisation keeps on file (commercial registration, tax certificate, ...). */
export const organisationDocuments = pgTable(
  "organisation_documents",
  {
    id: uuid().primaryKey().defaultRandom(),
    organisationId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    fileId: uuid()
      .notNull()
      .references(() => storedFiles.id),
    kind: text({ enum: ["commercial_registration", "tax_certificate", "other"] }).notNull(),
    uploadedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("organisation_documents_org_idx").on(t.organisationId)],
);
