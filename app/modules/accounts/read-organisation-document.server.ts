import { and, eq } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable } from "#db/client.server.ts";
import { organisationDocuments, type StoredFile, storedFiles } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { can } from "./permissions.ts";

/**
 * An organisation's document may be read by the organisation's own members
 * and by the platform admin who reviews it; anyone else gets "not found", so a
 * guessed id reveals nothing.
 */
export async function readOrganisationDocument(
  actor: Actor,
  fileId: string,
  db: Queryable,
): Promise<StoredFile> {
  if (actor.type !== "user") throw new AppError("UNAUTHENTICATED");
  const [row] = await db
    .select({ file: storedFiles, organisationId: organisationDocuments.organisationId })
    .from(organisationDocuments)
    .innerJoin(storedFiles, eq(storedFiles.id, organisationDocuments.fileId))
    .where(and(eq(organisationDocuments.fileId, fileId)));
  if (!row) throw new AppError("NOT_FOUND");
  const ownMember = actor.membership?.organisationId === row.organisationId;
  if (!ownMember && !can(actor, "business:verify")) throw new AppError("NOT_FOUND");
  return row.file;
}
