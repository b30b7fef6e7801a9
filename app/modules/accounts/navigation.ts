import type { Actor } from "./actor.ts";

/** One entry of the main navigation: a path and the i18n key of its label. */
export interface NavItem {
  to: string;
  label: `nav.${string}`;
}

/**
 * Only pages that exist are linked: each later issue (tenders, bids,
 * evaluation, permits, payments, insights) adds its entries here.
 */
const PUBLIC: NavItem[] = [
  { to: "/tenders", label: "nav.tenders" },
  { to: "/permits", label: "nav.permits" },
  { to: "/insights", label: "nav.insights" },
  { to: "/awards", label: "nav.awards" },
  { to: "/agencies", label: "nav.agencies" },
  { to: "/transparency", label: "nav.transparency" },
];

const MEMBERS: NavItem = { to: "/organisation/members", label: "nav.members" };
const TOKENS: NavItem = { to: "/organisation/tokens", label: "nav.tokens" };
const AUDIT: NavItem = { to: "/audit", label: "nav.audit" };
const BILLING: NavItem = { to: "/billing", label: "nav.payments" };
const FINANCE: NavItem = { to: "/finance", label: "nav.finance" };
const OUR_TENDERS: NavItem = { to: "/tenders/manage", label: "nav.draftTenders" };
const MY_PERMITS: NavItem = { to: "/permits/mine", label: "nav.myPermits" };
const PERMIT_QUEUE: NavItem = { to: "/licensing", label: "nav.permitQueue" };
const PERMIT_TYPES: NavItem = { to: "/licensing/types", label: "nav.permitTypes" };
const EVALUATIONS: NavItem = { to: "/evaluations", label: "nav.evaluations" };
const APPROVALS: NavItem = { to: "/approvals", label: "nav.approvals" };
const CONTRACTS: NavItem = { to: "/contracts", label: "nav.contracts" };
const COMPLAINTS: NavItem = { to: "/complaints", label: "nav.complaints" };

const BY_ROLE: Record<string, NavItem[]> = {
  owner: [MY_PERMITS, BILLING, CONTRACTS, MEMBERS, TOKENS],
  finance: [BILLING, CONTRACTS],
  bidder: [BILLING],
  finance_officer: [FINANCE, CONTRACTS],
  licensing_officer: [PERMIT_QUEUE],
  procurement_officer: [OUR_TENDERS, CONTRACTS],
  evaluator: [EVALUATIONS],
  approver: [APPROVALS, CONTRACTS, COMPLAINTS],
  agency_admin: [FINANCE, PERMIT_TYPES, { ...MEMBERS, label: "nav.staff" }, TOKENS, AUDIT, COMPLAINTS],
  platform_admin: [
    { to: "/admin/businesses", label: "nav.administration" },
    { to: "/admin/agencies", label: "nav.manageAgencies" },
    { to: "/admin/outbox", label: "nav.outbox" },
    PERMIT_TYPES,
    AUDIT,
  ],
};

/**
 * The main navigation for an actor: the work of each role the actor holds in
 * the organisation they act for, then the public pages, without duplicates
 * and in a stable order.
 */
export function navigationFor(actor: Actor): NavItem[] {
  const items: NavItem[] = [];
  const seen = new Set<string>();
  const roles = actor.type === "user" && actor.membership ? actor.membership.roles : [];
  for (const item of [...roles.flatMap((role) => BY_ROLE[role] ?? []), ...PUBLIC]) {
    if (seen.has(item.to)) continue;
    seen.add(item.to);
    items.push(item);
  }
  return items;
}
