import { requireUser } from "#app/modules/accounts/context.server.ts";
import { receiptFor } from "#app/modules/receipts/receipt-data.server.ts";
import { renderReceiptPdf } from "#app/modules/receipts/render-receipt-pdf.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/receipts.$number.pdf";

/** GET /receipts/:number/pdf: the bilingual PDF receipt, for the payer's or the payee's members only. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  const { database, env } = context.get(servicesContext);
  const receipt = await receiptFor(actor, params.number, database.db, {
    baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
  }).catch(throwAsResponse);
  const pdf = await renderReceiptPdf(receipt);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.length),
      // The number is [A-Z0-9-] only (receiptFor normalises and validates it).
      "Content-Disposition": `attachment; filename="receipt-${receipt.number}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
