import { data, redirect } from "react-router";
import { z } from "zod";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { switchOrganisation } from "#app/modules/accounts/members.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { clientIp, safeRedirectPath } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/account.organisation";

const Switch = z.object({ organisationId: z.uuid(), redirectTo: z.string().optional() });

/** POST: act for another of one's organisations. */
export async function action({ request, context }: Route.ActionArgs) {
  const { actor, session } = requireUser(request, context);
  const form = Switch.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) throw data(null, { status: 400 });
  await switchOrganisation(
    { actor, sessionId: session.id, organisationId: form.data.organisationId, ip: clientIp(request) },
    context.get(servicesContext).database.db,
  ).catch(throwAsResponse);
  return redirect(safeRedirectPath(form.data.redirectTo), 303);
}

export function loader() {
  return redirect("/");
}
