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
const PUBLIC = ["/tenders", "/agencies", "/permits", "/insights"];

describe("navigation follows the signed-in role", () => {
  test("the public sees only the public journeys", () => {
    expect(paths(ANONYMOUS)).toEqual(PUBLIC);
  });

  test("a business owner sees bids, permits, payments and the company profile first", () => {
    expect(paths(user({ organisationId: "b", kind: "business", roles: ["owner"] }))).toEqual([
      "/business/bids",
      "/business/permits",
      "/business/payments",
      "/business/profile",
      "/organisation/members",
      "/organisation/tokens",
      ...PUBLIC,
    ]);
  });

  test("a procurement officer who also evaluates sees both, once each", () => {
    const nav = paths(
      user({
        organisationId: "a",
        kind: "agency",
        roles: ["procurement_officer", "evaluator", "procurement_officer"],
      }),
    );
    expect(nav).toEqual(["/agency/tenders", "/agency/openings", "/agency/evaluations", ...PUBLIC]);
  });

  test("a bidder does not see the finance pages, a finance member does", () => {
    expect(paths(user({ organisationId: "b", kind: "business", roles: ["bidder"] }))).not.toContain(
      "/business/payments",
    );
    expect(paths(user({ organisationId: "b", kind: "business", roles: ["finance"] }))).toContain(
      "/business/payments",
    );
  });

  test("the platform admin gets the administration", () => {
    expect(paths(user({ organisationId: "p", kind: "platform", roles: ["platform_admin"] }))[0]).toBe(
      "/admin/businesses",
    );
  });

  test("a user not acting for any organisation sees the public journeys", () => {
    expect(paths(user(null))).toEqual(PUBLIC);
  });
});
