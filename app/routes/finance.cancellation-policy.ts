import { redirect } from "react-router";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { setCancellationRefundPolicy } from "#app/modules/cancellations/refund-policy.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/finance.cancellation-policy";

/** The form on /finance/fees that sets whether document fees are refunded when a tender is cancelled. */
export async function action({ request, context }: Route.ActionArgs) {
  const { actor } = requireUser(request, context);
  const form = await request.formData();
  await setCancellationRefundPolicy(
    { actor, refundDocumentFees: form.get("refundDocumentFees") === "on", ip: clientIp(request) },
    context.get(servicesContext).database.db,
  ).catch(throwAsResponse);
  return redirect("/finance/fees?notice=feeSaved#cancellation");
}

export function loader() {
  return redirect("/finance/fees#cancellation");
}
