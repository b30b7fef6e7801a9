import { z } from "zod";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { readCorrectionDocument } from "#app/modules/evaluations/document-corrections.server.ts";
import { downloadFileName } from "#app/modules/tenders/tender-documents.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/evaluations.$tenderId.corrections.$correctionId";

/** GET: a corrected document, for the agency's officers and cleared committee members (the module decides). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  const correctionId = z.uuid().safeParse(params.correctionId);
  if (!correctionId.success) throw new Response("Not found", { status: 404 });
  const { database, env, files } = context.get(servicesContext);
  const doc = await readCorrectionDocument(
    { actor, correctionId: correctionId.data, ip: clientIp(request) },
    { db: database.db, master: (await sealingKeys(env)).master, files },
  ).catch(throwAsResponse);
  const name = downloadFileName(doc.name, doc.mediaType);
  return new Response(new Uint8Array(doc.bytes), {
    headers: {
      "Content-Type": doc.mediaType,
      "Content-Disposition": `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "X-Content-SHA256": doc.sha256,
      "Cache-Control": "private, no-store",
    },
  });
}
