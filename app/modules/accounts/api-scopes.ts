import type { AgencyRole, BusinessRole } from "./actor.ts";

/**
 * What an API token may be allowed to do. A scope is for the kinds of
 * organisation it names; an integration holding it acts with the roles beside
 * it (the permission the module functions check), never more.
 */
export const API_SCOPES = [
  "organisation:read",
  "members:read",
  "tenders:read",
  "tenders:write",
  "tenders:publish",
  "bids:read",
  "bids:submit",
  "permits:read",
  "permits:write",
  "payments:read",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export type OrganisationKind = "agency" | "business" | "platform";

interface ScopeGrant {
  agency?: readonly AgencyRole[];
  business?: readonly BusinessRole[];
  platform?: readonly [];
}

export const SCOPE_GRANTS: Record<ApiScope, ScopeGrant> = {
  "organisation:read": { agency: [], business: [], platform: [] },
  "members:read": { agency: [], business: [], platform: [] },
  // Drafting, reading and publishing the agency's tenders are the procurement officer's.
  "tenders:read": { agency: ["procurement_officer"] },
  "tenders:write": { agency: ["procurement_officer"] },
  "tenders:publish": { agency: ["procurement_officer"] },
  "bids:read": { business: ["bidder"] },
  "bids:submit": { business: ["bidder"] },
  // Applying for permits is the business owner's alone (permission permit:apply).
  "permits:read": { business: ["owner"] },
  "permits:write": { business: ["owner"] },
  "payments:read": { business: ["finance"], agency: ["finance_officer"] },
};

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

/** The scopes a token of this kind of organisation may hold. */
export function scopesFor(kind: OrganisationKind): ApiScope[] {
  return API_SCOPES.filter((scope) => SCOPE_GRANTS[scope][kind] !== undefined);
}

/** The roles an integration with these scopes acts with in its organisation. */
export function rolesForScopes(kind: OrganisationKind, scopes: readonly string[]): string[] {
  const roles = new Set<string>();
  for (const scope of scopes)
    if (isApiScope(scope)) for (const r of SCOPE_GRANTS[scope][kind] ?? []) roles.add(r);
  return [...roles].sort();
}
