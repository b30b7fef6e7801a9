/**
 * Who is asking. Every module function takes the actor and checks its own
 * permissions (DESIGN.md convention 6). Until a user signs in, the actor is
 * anonymous: the public can read what is public and nothing else.
 */

export const AGENCY_ROLES = [
  "procurement_officer",
  "evaluator",
  "approver",
  "licensing_officer",
  "finance_officer",
  "agency_admin",
] as const;
export const BUSINESS_ROLES = ["owner", "bidder", "finance"] as const;

export type AgencyRole = (typeof AGENCY_ROLES)[number];
export type BusinessRole = (typeof BUSINESS_ROLES)[number];

export type Membership =
  | { organisationId: string; kind: "agency"; roles: AgencyRole[] }
  | { organisationId: string; kind: "business"; roles: BusinessRole[] }
  | { organisationId: string; kind: "platform"; roles: ["platform_admin"] };

export type Actor =
  | { type: "anonymous" }
  | {
      type: "user";
      userId: string;
      displayName: string;
      email: string;
      /** The organisation the user is acting for now (they may belong to several). */
      membership: Membership | null;
    };

export const ANONYMOUS: Actor = { type: "anonymous" };

/** Another system calling the HTTP API with an organisation's token. */
export interface Integration {
  type: "integration";
  tokenId: string;
  organisationId: string;
  organisationKind: "agency" | "business" | "platform";
  /** The organisation's currency (ISO 4217) and time zone, in which its amounts and times are given. */
  organisationCurrency: string;
  organisationTimeZone: string;
  scopes: string[];
  /** The member who created the token: what the integration does is recorded as theirs. */
  user: { id: string; displayName: string; email: string };
}
