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
    expect(paths(ANONYMOUS)).toEqual(["/agencies", "/transparency"]);
  });

  test("a business owner manages members and API tokens", () => {
    expect(paths(user({ organisationId: "b", kind: "business", roles: ["owner"] }))).toEqual([
      "/organisation/members",
      "/organisation/tokens",
      "/agencies",
      "/transparency",
    ]);
  });

  test("an agency admin also reads the audit trail; the staff link is labelled as staff", () => {
    const nav = navigationFor(
      user({ organisationId: "a", kind: "agency", roles: ["agency_admin", "evaluator"] }),
    );
    expect(nav.map((i) => i.to)).toEqual([
      "/organisation/members",
      "/organisation/tokens",
      "/audit",
      "/agencies",
      "/transparency",
    ]);
    expect(nav[0]!.label).toBe("nav.staff");
  });

  test("a bidder sees no administration", () => {
    expect(paths(user({ organisationId: "b", kind: "business", roles: ["bidder"] }))).toEqual([
      "/agencies",
      "/transparency",
    ]);
  });

  test("the platform admin gets the administration, once each", () => {
    expect(paths(user({ organisationId: "p", kind: "platform", roles: ["platform_admin"] }))).toEqual([
      "/admin/businesses",
      "/admin/agencies",
      "/admin/outbox",
      "/audit",
      "/agencies",
      "/transparency",
    ]);
  });

  test("a user not acting for any organisation sees the public pages", () => {
    expect(paths(user(null))).toEqual(["/agencies", "/transparency"]);
  });
});
