import { describe, expect, test } from "vitest";
import type { Integration } from "./actor.ts";
import { API_SCOPES, rolesForScopes, SCOPE_GRANTS, scopesFor } from "./api-scopes.ts";
import { actorOfIntegration } from "./integration-actor.ts";
import { can, PERMISSIONS } from "./permissions.ts";

const integration = (kind: Integration["organisationKind"], scopes: string[]): Integration => ({
  type: "integration",
  tokenId: "t",
  organisationId: "org",
  organisationKind: kind,
  organisationCurrency: "KWD",
  organisationTimeZone: "Asia/Kuwait",
  scopes,
  user: { id: "u", displayName: "Maker", email: "maker@example.test" },
});

describe("scopes by kind of organisation", () => {
  test("agencies draft tenders, businesses bid and apply; both read payments", () => {
    expect(scopesFor("agency")).toEqual([
      "organisation:read",
      "members:read",
      "tenders:read",
      "tenders:write",
      "tenders:publish",
      "payments:read",
    ]);
    expect(scopesFor("business")).toEqual([
      "organisation:read",
      "members:read",
      "bids:read",
      "bids:submit",
      "permits:read",
      "permits:write",
      "payments:read",
    ]);
    expect(scopesFor("platform")).toEqual(["organisation:read", "members:read"]);
  });

  test("every scope is for some kind of organisation, and grants only roles of that kind", () => {
    for (const scope of API_SCOPES) {
      const kinds = Object.keys(SCOPE_GRANTS[scope]);
      expect(kinds.length, scope).toBeGreaterThan(0);
    }
    expect(rolesForScopes("agency", ["bids:submit", "permits:write"])).toEqual([]);
    expect(rolesForScopes("business", ["tenders:write"])).toEqual([]);
    expect(rolesForScopes("business", ["bids:read", "payments:read", "nonsense"])).toEqual([
      "bidder",
      "finance",
    ]);
  });
});

describe("the actor an integration is", () => {
  test("acts as the token's maker, for its organisation, with only what its scopes need", () => {
    const actor = actorOfIntegration(integration("agency", ["tenders:write", "organisation:read"]));
    expect(actor).toEqual({
      type: "user",
      userId: "u",
      displayName: "Maker",
      email: "maker@example.test",
      membership: { organisationId: "org", kind: "agency", roles: ["procurement_officer"] },
    });
    expect(can(actor, "tender:draft")).toBe(true);
    expect(can(actor, "tender:publish")).toBe(true);
    expect(can(actor, "members:invite")).toBe(false);
    expect(can(actor, "payments:read")).toBe(false);
  });

  test("a token with read scopes only gets no permission to change anything beyond them", () => {
    const reader = actorOfIntegration(integration("business", ["organisation:read", "members:read"]));
    for (const permission of Object.keys(PERMISSIONS) as Array<keyof typeof PERMISSIONS>)
      expect(can(reader, permission), permission).toBe(false);
  });

  test("a platform token has no membership to act with", () => {
    expect(actorOfIntegration(integration("platform", ["organisation:read"])).membership).toBeNull();
  });
});
