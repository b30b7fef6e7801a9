import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { apiTokens, memberships, users } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { apiMembers, apiOrganisation } from "./api-reads.server.ts";
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "./api-tokens.server.ts";

const { db } = testDatabase();

async function ownerOfNewBusiness() {
  const org = await createOrganisation(db, businessData());
  const user = await createUser(db, { memberships: [{ organisationId: org.id, roles: ["owner"] }] });
  return { org, owner: actorOf(user, { organisationId: org.id, kind: "business", roles: ["owner"] }) };
}

describe("API tokens", () => {
  test("a token is shown once, stored only as a hash, and reads its own organisation", async () => {
    const { org, owner } = await ownerOfNewBusiness();
    const { token, id } = await createApiToken(
      { actor: owner, name: "ERP", scopes: ["organisation:read"], ip: null },
      db,
    );
    expect(token).toMatch(/^shf_[a-z2-7]{40}$/);
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    const integration = await authenticateApiToken(`Bearer ${token}`, db);
    expect(integration).toMatchObject({ organisationId: org.id, scopes: ["organisation:read"] });
    await expect(apiOrganisation(integration, db)).resolves.toMatchObject({ id: org.id });
    const [used] = await listApiTokens(owner, db);
    expect(used!.lastUsedAt).not.toBeNull();
  });

  test("a revoked, malformed or missing token is refused", async () => {
    const { owner } = await ownerOfNewBusiness();
    const { token, id } = await createApiToken(
      { actor: owner, name: "Old", scopes: ["members:read"], ip: null },
      db,
    );
    await revokeApiToken({ actor: owner, tokenId: id, ip: null }, db);
    for (const header of [`Bearer ${token}`, "Bearer shf_nope", "Basic abc", null]) {
      await expect(authenticateApiToken(header, db)).rejects.toMatchObject({
        code: "TOKEN_INVALID",
        status: 401,
      });
    }
  });

  test("a token without the scope is refused; scopes must exist", async () => {
    const { owner } = await ownerOfNewBusiness();
    const { token } = await createApiToken(
      { actor: owner, name: "Narrow", scopes: ["organisation:read"], ip: null },
      db,
    );
    const integration = await authenticateApiToken(`Bearer ${token}`, db);
    await expect(apiMembers(integration, db)).rejects.toMatchObject({ code: "SCOPE_MISSING", status: 403 });
    await expect(
      createApiToken({ actor: owner, name: "Bad", scopes: ["tenders:delete"], ip: null }, db),
    ).rejects.toMatchObject({
      code: "SCOPES_INVALID",
    });
  });

  test("a token holds only scopes for its kind of organisation", async () => {
    const { owner } = await ownerOfNewBusiness();
    await expect(
      createApiToken({ actor: owner, name: "x", scopes: ["bids:submit", "tenders:write"], ip: null }, db),
    ).rejects.toMatchObject({ code: "SCOPES_INVALID" });
    const { token } = await createApiToken(
      { actor: owner, name: "ERP", scopes: ["bids:submit", "permits:read", "payments:read"], ip: null },
      db,
    );
    await expect(authenticateApiToken(`Bearer ${token}`, db)).resolves.toMatchObject({
      organisationKind: "business",
      scopes: ["bids:submit", "permits:read", "payments:read"],
      user: { id: owner.userId, email: owner.email },
    });
  });

  test("a token stops working when its maker leaves the organisation or is disabled", async () => {
    const { org, owner } = await ownerOfNewBusiness();
    const { token } = await createApiToken(
      { actor: owner, name: "x", scopes: ["members:read"], ip: null },
      db,
    );
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, owner.userId));
    await expect(authenticateApiToken(`Bearer ${token}`, db)).rejects.toMatchObject({
      code: "TOKEN_INVALID",
    });
    await db.update(users).set({ disabledAt: null }).where(eq(users.id, owner.userId));
    await expect(authenticateApiToken(`Bearer ${token}`, db)).resolves.toMatchObject({
      organisationId: org.id,
    });
    await db.delete(memberships).where(eq(memberships.userId, owner.userId));
    await expect(authenticateApiToken(`Bearer ${token}`, db)).rejects.toMatchObject({
      code: "TOKEN_INVALID",
    });
  });

  test("one business cannot list or revoke another's tokens, and a bidder cannot make one", async () => {
    const a = await ownerOfNewBusiness();
    const b = await ownerOfNewBusiness();
    const { id } = await createApiToken(
      { actor: b.owner, name: "B's", scopes: ["members:read"], ip: null },
      db,
    );
    expect((await listApiTokens(a.owner, db)).map((k) => k.id)).not.toContain(id);
    await expect(revokeApiToken({ actor: a.owner, tokenId: id, ip: null }, db)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const bidder = actorOf(await createUser(db), {
      organisationId: a.org.id,
      kind: "business",
      roles: ["bidder"],
    });
    await expect(
      createApiToken({ actor: bidder, name: "x", scopes: ["members:read"], ip: null }, db),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
