import { and, eq, isNull, sql } from "drizzle-orm";
import type { Actor } from "#app/modules/accounts/actor.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import {
  type PermitApplication,
  permitApplicationDocuments,
  type StoredFile,
  storedFiles,
} from "#db/schema/index.ts";
import {
  applicationOfApplicant,
  assertStatus,
  setApplication,
  userIdOf,
} from "./application-access.server.ts";
import { cleanFields, EDITABLE_STATUSES, fieldsSchema } from "./permit-rules.ts";

/** A field that failed its type's rule: the field's key and the i18n message (key|params). */
export class FieldErrors extends AppError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super("VALIDATION");
  }
}

/** Validate answers against the type's field list; errors keyed by field. */
export function checkFields(
  specs: Parameters<typeof fieldsSchema>[0],
  values: Record<string, string | undefined>,
  complete: boolean,
): Record<string, string> {
  const result = fieldsSchema(specs, { complete }).safeParse(values);
  if (result.success) return cleanFields(specs, result.data as Record<string, string | undefined>);
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "form");
    errors[key] ??= issue.message;
  }
  throw new FieldErrors(errors);
}

/**
 * Save the form's answers as a draft (or while answering an information
 * request): what is filled must be valid, required fields may wait until
 * submission. Files already uploaded are attached to their requirement,
 * replacing an earlier one; a file of a type the requirement does not accept
 * is refused and nothing of the save is kept.
 */
export async function saveApplication(
  input: {
    actor: Actor;
    applicationId: string;
    fields: Record<string, string | undefined>;
    /** Requirement key → the uploaded file (from readMultipartForm). */
    documents?: Record<string, StoredFile>;
  },
  db: Db,
): Promise<PermitApplication> {
  return db.transaction(async (tx) => {
    const { application, type } = await applicationOfApplicant(tx, input.actor, input.applicationId);
    assertStatus(application, EDITABLE_STATUSES);
    const fields = checkFields(type.fields, { ...application.fields, ...input.fields }, false);
    for (const [key, file] of Object.entries(input.documents ?? {})) {
      const spec = type.documents.find((d) => d.key === key);
      if (!spec) throw new AppError("VALIDATION", {}, { field: key });
      const accepted = spec.mediaTypes.length > 0 ? spec.mediaTypes : [...DOCUMENT_TYPES];
      if (!accepted.includes(file.mediaType)) throw new AppError("FILE_TYPE_NOT_ALLOWED", {}, { field: key });
      const [attached] = await tx
        .update(storedFiles)
        .set({ attachedAt: sql`now()` })
        .where(and(eq(storedFiles.id, file.id), isNull(storedFiles.attachedAt)))
        .returning({ id: storedFiles.id });
      if (!attached) throw new AppError("VALIDATION", {}, { field: key });
      await tx
        .insert(permitApplicationDocuments)
        .values({
          applicationId: application.id,
          requirementKey: key,
          fileId: file.id,
          uploadedBy: userIdOf(input.actor),
        })
        .onConflictDoUpdate({
          target: [permitApplicationDocuments.applicationId, permitApplicationDocuments.requirementKey],
          set: { fileId: file.id, uploadedBy: userIdOf(input.actor), uploadedAt: sql`now()` },
        });
    }
    return setApplication(tx, application.id, { fields });
  });
}
