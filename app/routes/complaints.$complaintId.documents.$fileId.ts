import { Readable } from "node:stream";
import { data } from "react-router";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { complaintDocument } from "#app/modules/complaints/complaint-views.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/complaints.$complaintId.documents.$fileId";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A complaint's document, for the complainant's members and the agency's reviewers and officers only. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  if (!UUID.test(params.complaintId) || !UUID.test(params.fileId)) throw data(null, { status: 404 });
  const { database, files } = context.get(servicesContext);
  const file = await complaintDocument(actor, params.complaintId, params.fileId, database.db).catch(
    throwAsResponse,
  );
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
