import { Readable } from "node:stream";
import { z } from "zod";
import { actorContext } from "#app/modules/accounts/context.server.ts";
import { tenderDocumentFile } from "#app/modules/tenders/tender-documents.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/tenders.$tenderId.documents.$documentId";

const Params = z.object({ tenderId: z.uuid(), documentId: z.uuid() });

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 8187). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Download one version of a tender document, streamed. Public tenders'
 * documents may be kept by shared caches (a version never changes: a new one
 * gets a new address); a draft's only by the officer's browser, never stored.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ids = Params.safeParse(params);
  if (!ids.success) throw new Response("Not found", { status: 404 });
  const { actor } = context.get(actorContext);
  const { database, files } = context.get(servicesContext);
  const file = await tenderDocumentFile({ actor, ...ids.data }, database.db).catch(throwAsResponse);
  const etag = `"${file.sha256}"`;
  const headers = {
    "Cache-Control": file.isPublic ? "public, max-age=3600" : "private, no-store",
    ETag: etag,
    "X-Content-SHA256": file.sha256,
  };
  if (file.isPublic && request.headers.get("if-none-match") === etag)
    return new Response(null, { status: 304, headers });
  const body = await files.get(file.storageKey);
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      ...headers,
      "Content-Type": file.mediaType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": attachment(file.fileName),
      Digest: `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`,
    },
  });
}
