import { redirect } from "react-router";
import { actorContext } from "#app/modules/accounts/context.server.ts";
import { clearSessionCookieHeader } from "#app/modules/accounts/session-cookie.server.ts";
import { signOut } from "#app/modules/accounts/sign-out.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { clientIp } from "#app/utils/http.server.ts";
import type { Route } from "./+types/logout";

/** POST /logout: end this session. (A GET never signs anyone out.) */
export async function action({ request, context }: Route.ActionArgs) {
  const { session } = context.get(actorContext);
  if (session) await signOut(session, clientIp(request), context.get(servicesContext).database.db);
  return redirect("/", { status: 303, headers: { "Set-Cookie": await clearSessionCookieHeader(request) } });
}

export function loader() {
  return redirect("/");
}
