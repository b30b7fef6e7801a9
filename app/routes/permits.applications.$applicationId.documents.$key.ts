import { Readable } from "node:stream";
import { data } from "react-router";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { applicationDocument } from "#app/modules/permits/application-view.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/permits.applications.$applicationId.documents.$key";

/** An application's document, for the applicant's members and the agency's licensing officers only. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  if (!/^[a-z0-9_-]{1,64}$/i.test(params.key)) throw data(null, { status: 404 });
  const { database, files } = context.get(servicesContext);
  const file = await applicationDocument(actor, params.applicationId, params.key, database.db).catch(
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
    },
  });
}
