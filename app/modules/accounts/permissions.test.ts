import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { type Actor, ANONYMOUS } from "./actor.ts";
import { assertCan, can, PERMISSIONS } from "./permissions.ts";

const member = (kind: "agency" | "business", roles: string[]): Actor => ({
  type: "user",
  userId: "u",
  displayName: "U",
  email: "u@x.test",
  membership: { organisationId: "o", kind, roles } as never,
});

describe("permissions", () => {
  test("roles grant exactly their permissions", () => {
    expect(can(member("agency", ["procurement_officer"]), "tender:publish")).toBe(true);
    expect(can(member("agency", ["evaluator"]), "tender:publish")).toBe(false);
    expect(can(member("business", ["bidder"]), "bid:submit")).toBe(true);
    expect(can(member("business", ["bidder"]), "payments:pay")).toBe(false);
  });

  test("the public is asked to sign in; a member without the role is forbidden", () => {
    expect(() => assertCan(ANONYMOUS, "bid:submit")).toThrow(
      expect.objectContaining({ code: "UNAUTHENTICATED" }),
    );
    expect(() => assertCan(member("business", ["finance"]), "bid:submit")).toThrow(
      expect.objectContaining({ code: "FORBIDDEN" }),
    );
  });

  test("docs/permissions.md lists every permission with the same roles", () => {
    const doc = fs.readFileSync("docs/permissions.md", "utf8");
    for (const [permission, roles] of Object.entries(PERMISSIONS)) {
      const cells = doc
        .split("\n")
        .map((line) => line.split("|").map((cell) => cell.trim()))
        .find((c) => c[1] === `\`${permission}\``);
      expect(cells, permission).toBeDefined();
      expect(cells![2], permission).toBe(roles.join(", "));
    }
  });
});
