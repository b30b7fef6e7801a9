import { describe, expect, test } from "vitest";
import { type Actor, ANONYMOUS, type Membership } from "./actor.ts";
import { navigationFor } from "./navigation.ts";

const user = (membership: Membership | null): Actor => ({
  type: "user",
  userId: "u1",
  displayName: "Huda",
  email: "huda@example.test",
  membership,
});
const paths = (actor: Actor) => navigationFor(actor).map((i) => i.to);

describe("navigation follows the signed-in role", () => {
  test("the public sees only the public pages", () => {
    expect(paths(ANONYMOUS)).toEqual([
      "/tenders",
      "/permits",
      "/insights",
      "/awards",
      "/agencies",
      "/transparency",
    ]);
  });

  test("a business owner sees its permits and billing and manages members and API tokens", () => {
    expect(paths(user({ organisationId: "b", kind: "business", roles: ["owner"] }))).toEqual([
      "/permits/mine",
      "/billing",
      "/contracts",
      "/organisation/members",
      "/organisation/tokens",
      "/tenders",
      "/permits",
      "/insights",
      "/awards",
      "/agencies",
      "/transparency",
    ]);
  });

  test("an agency admin also reads the finances, keeps the permit types and reads the audit trail; the staff link is labelled as staff", () => {
    const nav = navigationFor(
      user({ organisationId: "a", kind: "agency", roles: ["agency_admin", "evaluator"] }),
    );
    expect(nav.map((i) => i.to)).toEqual([
      "/finance",
      "/licensing/types",
      "/organisation/members",
      "/organisation/tokens",
      "/audit",
      "/complaints",
      "/evaluations",
      "/tenders",
      "/permits",
      "/insights",
      "/awards",
      "/agencies",
      "/transparency",
    ]);
    expect(nav[2]!.label).toBe("nav.staff");
  });

  test("an evaluator finds the tenders they evaluate; an approver the awards to decide", () => {
    expect(paths(user({ organisationId: "a", kind: "agency", roles: ["evaluator"] }))[0]).toBe(
      "/evaluations",
    );
    expect(paths(user({ organisationId: "a", kind: "agency", roles: ["approver"] }))[0]).toBe("/approvals");
    expect(
      navigationFor(
        user({ organisationId: "a", kind: "agency", roles: ["procurement_officer", "approver"] }),
      ).map((i) => i.label),
    ).toEqual([
      "nav.draftTenders",
      "nav.contracts",
      "nav.approvals",
      "nav.complaints",
      "nav.tenders",
      "nav.permits",
      "nav.insights",
      "nav.awards",
      "nav.agencies",
      "nav.transparency",
    ]);
  });

  test("a bidder sees the business's billing and no administration", () => {
    expect(paths(user({ organisationId: "b", kind: "business", roles: ["bidder"] }))).toEqual([
      "/billing",
      "/tenders",
      "/permits",
      "/insights",
      "/awards",
      "/agencies",
      "/transparency",
    ]);
  });

  test("the platform admin gets the administration, once each", () => {
    expect(paths(user({ organisationId: "p", kind: "platform", roles: ["platform_admin"] }))).toEqual([
      "/admin/businesses",
      "/admin/agencies",
      "/admin/outbox",
      "/licensing/types",
      "/audit",
      "/tenders",
      "/permits",
      "/insights",
      "/awards",
      "/agencies",
      "/transparency",
    ]);
  });

  test("a finance officer works in finance", () => {
    expect(paths(user({ organisationId: "a", kind: "agency", roles: ["finance_officer"] }))).toEqual([
      "/finance",
      "/contracts",
      "/tenders",
      "/permits",
      "/insights",
      "/awards",
      "/agencies",
      "/transparency",
    ]);
  });

  test("a user not acting for any organisation sees the public pages", () => {
    expect(paths(user(null))).toEqual([
      "/tenders",
      "/permits",
      "/insights",
      "/awards",
      "/agencies",
      "/transparency",
    ]);
  });
});

test("a licensing officer works from the permit queue", () => {
  expect(paths(user({ organisationId: "a", kind: "agency", roles: ["licensing_officer"] }))).toEqual([
    "/licensing",
    "/tenders",
    "/permits",
    "/insights",
    "/awards",
    "/agencies",
    "/transparency",
  ]);
});

test("everyone a contract involves finds the contracts: the supplier's owner and finance, the agency's officers, signatories and finance", () => {
  const first = (kind: "agency" | "business", role: string) =>
    paths(user({ organisationId: "o", kind, roles: [role] } as Membership)).indexOf("/contracts");
  expect(first("business", "owner")).toBeGreaterThan(-1);
  expect(first("business", "finance")).toBe(1);
  expect(first("business", "bidder")).toBe(-1);
  expect(first("agency", "procurement_officer")).toBe(1);
  expect(first("agency", "approver")).toBe(1);
  expect(first("agency", "finance_officer")).toBe(1);
  expect(first("agency", "evaluator")).toBe(-1);
});
