import { Readable } from "node:stream";
import { data } from "react-router";
import { z } from "zod";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { invoiceDocument } from "#app/modules/contracts/contract-views.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/contracts.invoices.$invoiceId.document";

/** An invoice's document, for the supplier's members and the agency's contract staff; never cached by shared caches. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  const id = z.uuid().safeParse(params.invoiceId);
  if (!id.success) throw data(null, { status: 404 });
  const { database, files } = context.get(servicesContext);
  const file = await invoiceDocument(actor, id.data, database.db).catch(throwAsResponse);
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
