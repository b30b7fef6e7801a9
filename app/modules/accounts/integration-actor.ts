import type { Actor, Integration, Membership } from "./actor.ts";
import { rolesForScopes } from "./api-scopes.ts";

/**
 * The actor an integration is when it calls a module function: the member
 * who created its token (so the audit trail and "created by" name a person),
 * acting for the token's organisation with only the roles its scopes need
 * (api-scopes.ts). The module functions then check their own permissions as
 * they do for people (DESIGN.md convention 6).
 */
export function actorOfIntegration(integration: Integration): Extract<Actor, { type: "user" }> {
  // No scope grants a platform role: a platform token reads its own organisation and members only.
  const membership =
    integration.organisationKind === "platform"
      ? null
      : ({
          organisationId: integration.organisationId,
          kind: integration.organisationKind,
          roles: rolesForScopes(integration.organisationKind, integration.scopes),
        } as Membership);
  return {
    type: "user",
    userId: integration.user.id,
    displayName: integration.user.displayName,
    email: integration.user.email,
    membership,
  };
}
