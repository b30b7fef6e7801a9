import { Readable } from "node:stream";
import { data } from "react-router";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { readOrganisationDocument } from "#app/modules/accounts/read-organisation-document.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/files.$fileId";

/** Download a stored document, streamed, after checking who is asking. Never cached by shared caches. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  if (!/^[0-9a-f-]{36}$/.test(params.fileId)) throw data(null, { status: 404 });
  const { database, files } = context.get(servicesContext);
  const file = await readOrganisationDocument(actor, params.fileId, database.db).catch(throwAsResponse);
  const body = await files.get(file.storageKey);
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      "Content-Type": file.mediaType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.originalName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      Digest: `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`,
    },
  });
}
