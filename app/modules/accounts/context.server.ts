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
}

export const actorContext = createContext<RequestActor>();

export function sessionPolicy(env: Env): SessionPolicy {
  return { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS };
}

/** Find out once per request who is asking, before any loader or action runs. */
export const actorMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const { database, env } = context.get(servicesContext);
  context.set(
    actorContext,
    await resolveActor(database.db, await readSessionToken(request), sessionPolicy(env)),
  );
  return next();
};

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export function requireUser(request: Request, context: Readonly<RouterContextProvider>) {
  const found = context.get(actorContext);
  if (found.actor.type !== "user" || !found.session) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return { actor: found.actor, session: found.session };
}
