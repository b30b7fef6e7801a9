import { and, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server.ts";
import { storedFiles } from "#db/schema/index.ts";
import type { FileStore } from "./file-store.server.ts";

/**
 * Uploads are stored first and attached to a bid, tender or application
 * afterwards. Those never attached (an abandoned form) are removed once they
 * are older than `olderThanHours`: first the bytes, then the row, so a failure
 * midway leaves a row that the next run retries rather than orphaned bytes.
 */
export async function pruneUnattachedFiles(
  { olderThanHours = 24, batchSize = 200 }: { olderThanHours?: number; batchSize?: number },
  deps: { db: Queryable; files: FileStore },
): Promise<{ removed: number }> {
  let removed = 0;
  while (true) {
    const batch = await deps.db
      .select({ id: storedFiles.id, storageKey: storedFiles.storageKey })
      .from(storedFiles)
      .where(
        and(
          isNull(storedFiles.attachedAt),
          lt(storedFiles.uploadedAt, sql`now() - make_interval(hours => ${olderThanHours})`),
        ),
      )
      .limit(batchSize);
    if (batch.length === 0) return { removed };
    for (const file of batch) await deps.files.delete(file.storageKey);
    await deps.db.delete(storedFiles).where(
      and(
        inArray(
          storedFiles.id,
          batch.map((f) => f.id),
        ),
        isNull(storedFiles.attachedAt),
      ),
    );
    removed += batch.length;
    if (batch.length < batchSize) return { removed };
  }
}
