import type { Actor, Membership } from "#app/modules/accounts/actor.ts";
import type { User } from "#db/schema/index.ts";

/** The actor a signed-in user is, acting for one organisation with the given roles. */
export function actorOf(user: User, membership: Membership | null = null): Extract<Actor, { type: "user" }> {
  return { type: "user", userId: user.id, displayName: user.displayName, email: user.email, membership };
}
