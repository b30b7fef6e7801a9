import type { Queryable } from "#db/client.server.ts";
import { allReleases } from "./list-releases.server.ts";
import type { OcdsContext } from "./tender-releases.ts";

/**
 * GET /api/ocds/releases.jsonl: every release, newest first, one JSON object
 * per line (JSON Lines), streamed a page at a time as the client reads.
 */
export function releaseLines(ctx: OcdsContext, db: Queryable): ReadableStream<Uint8Array> {
  const releases = allReleases(ctx, db);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await releases.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await releases.return(undefined);
    },
  });
}
