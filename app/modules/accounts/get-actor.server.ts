import { type Actor, ANONYMOUS } from "./actor.ts";

/**
 * Who sent this request. Sign-in and sessions arrive with the identity work
 * (issue 3); until a request can carry a session, every visitor is the public.
 */
export async function getActor(_request: Request): Promise<Actor> {
  return ANONYMOUS;
}
