import { createContext, type MiddlewareFunction, type RouterContextProvider, redirect } from "react-router";
import { servicesContext } from "#app/server/context.ts";
import type { Env } from "#app/utils/env.server.ts";
import type { Session } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { resolveActor } from "./resolve-actor.server.ts";
import { readSessionToken } from "./session-cookie.server.ts";
import type { SessionPolicy } from "./sessions.server.ts";

export interface RequestActor {
  actor: Actor;
  session: Session | null;
  /** Staff of an agency that requires a second factor, who have not set one up yet. */
  mustEnrolSecondFactor?: boolean;
}

/** Pages a user who must set up a second factor may still reach. */
const ENROLMENT_PATHS = ["/account/two-factor", "/logout", "/language"];

export const actorContext = createContext<RequestActor>();

export function sessionPolicy(env: Env): SessionPolicy {
  return { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS };
}

/** Find out once per request who is asking, before any loader or action runs. */
export const actorMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const { database, env } = context.get(servicesContext);
  const resolved = await resolveActor(database.db, await readSessionToken(request), sessionPolicy(env));
  context.set(actorContext, resolved);
  const path = new URL(request.url).pathname;
  if (resolved.mustEnrolSecondFactor && !ENROLMENT_PATHS.includes(path))
    throw redirect("/account/two-factor");
  return next();
};

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export function requireUser(request: Request, context: Readonly<RouterContextProvider>) {
  const found = context.get(actorContext);
  if (found.actor.type !== "user" || !found.session || found.session.secondFactorPending) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return { actor: found.actor, session: found.session };
}
