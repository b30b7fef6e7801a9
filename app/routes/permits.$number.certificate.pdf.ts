import { requireUser } from "#app/modules/accounts/context.server.ts";
import { permitCertificateFor } from "#app/modules/permits/permit-certificate-data.server.ts";
import { renderPermitCertificate } from "#app/modules/permits/render-permit-certificate.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/permits.$number.certificate.pdf";

/**
 * GET /permits/:number/certificate.pdf: the bilingual certificate, for the
 * holder's members and the issuing agency's only; anyone else signed in gets
 * the same 404 as for a number that does not exist.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  const { database, env } = context.get(servicesContext);
  const certificate = await permitCertificateFor(actor, params.number, database.db, {
    baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
  }).catch(throwAsResponse);
  const pdf = await renderPermitCertificate(certificate);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.length),
      // The number is [A-Z0-9-] only (permitCertificateFor normalises and validates it).
      "Content-Disposition": `attachment; filename="permit-${certificate.number}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
