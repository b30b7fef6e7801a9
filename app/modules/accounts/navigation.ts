import type { Actor } from "./actor.ts";

/** One entry of the main navigation: a path and the i18n key of its label. */
export interface NavItem {
  to: string;
  label: `nav.${string}`;
}

const PUBLIC: NavItem[] = [
  { to: "/tenders", label: "nav.tenders" },
  { to: "/agencies", label: "nav.agencies" },
  { to: "/permits", label: "nav.permits" },
  { to: "/insights", label: "nav.insights" },
];

const BY_ROLE: Record<string, NavItem[]> = {
  owner: [
    { to: "/business/bids", label: "nav.myBids" },
    { to: "/business/permits", label: "nav.myPermits" },
    { to: "/business/payments", label: "nav.payments" },
    { to: "/business/profile", label: "nav.company" },
    { to: "/organisation/members", label: "nav.members" },
    { to: "/organisation/tokens", label: "nav.tokens" },
  ],
  bidder: [{ to: "/business/bids", label: "nav.myBids" }],
  finance: [{ to: "/business/payments", label: "nav.payments" }],
  procurement_officer: [
    { to: "/agency/tenders", label: "nav.draftTenders" },
    { to: "/agency/openings", label: "nav.bidOpenings" },
  ],
  evaluator: [{ to: "/agency/evaluations", label: "nav.evaluations" }],
  approver: [{ to: "/agency/approvals", label: "nav.approvals" }],
  licensing_officer: [{ to: "/agency/permits", label: "nav.permitQueue" }],
  finance_officer: [{ to: "/agency/reconciliation", label: "nav.reconciliation" }],
  agency_admin: [
    { to: "/organisation/members", label: "nav.staff" },
    { to: "/organisation/tokens", label: "nav.tokens" },
    { to: "/audit", label: "nav.audit" },
  ],
  platform_admin: [
    { to: "/admin/businesses", label: "nav.administration" },
    { to: "/admin/agencies", label: "nav.agencies" },
    { to: "/admin/outbox", label: "nav.outbox" },
    { to: "/audit", label: "nav.audit" },
  ],
};

/**
 * The main navigation for an actor: the public journeys for everyone, then the
 * work of each role the actor holds in the organisation they act for, without
 * duplicates and in a stable order.
 */
export function navigationFor(actor: Actor): NavItem[] {
  if (actor.type === "anonymous" || !actor.membership) return PUBLIC;
  const seen = new Set<string>();
  const items: NavItem[] = [];
  for (const role of actor.membership.roles) {
    for (const item of BY_ROLE[role] ?? []) {
      if (seen.has(item.to)) continue;
      seen.add(item.to);
      items.push(item);
    }
  }
  return [...items, ...PUBLIC];
}
