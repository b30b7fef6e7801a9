import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { emailOutbox, invitations, memberships } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, businessData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { acceptInvitation, inviteMember } from "./invitations.server.ts";
import { listMembers, setMemberRoles, switchOrganisation } from "./members.server.ts";

const { db } = testDatabase();
const baseUrl = "https://shafaf.example.gov";

async function business() {
  const org = await createOrganisation(db, businessData());
  const ownerUser = await createUser(db, { memberships: [{ organisationId: org.id, roles: ["owner"] }] });
  return { org, owner: actorOf(ownerUser, { organisationId: org.id, kind: "business", roles: ["owner"] }) };
}

async function tokenSentTo(email: string) {
  const [mail] = await db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.toAddress, email))
    .orderBy(sql`created_at desc`)
    .limit(1);
  return mail!.body.match(/\/invitations\/([a-z2-7]{32})/)![1]!;
}

describe("invitations", () => {
  test("an owner invites a bidder, who accepts with the invited address and gets the role", async () => {
    const { org, owner } = await business();
    await inviteMember(
      {
        actor: owner,
        email: "new.bidder@example.test",
        roles: ["bidder"],
        language: "en",
        baseUrl,
        ip: null,
      },
      db,
    );
    const invitee = await createUser(db, { email: "New.Bidder@example.test" });
    const { organisationId } = await acceptInvitation(
      { actor: actorOf(invitee), token: await tokenSentTo("new.bidder@example.test"), ip: null },
      db,
    );
    expect(organisationId).toBe(org.id);
    const [membership] = await db.select().from(memberships).where(eq(memberships.userId, invitee.id));
    expect(membership).toMatchObject({ organisationId: org.id, roles: ["bidder"] });
  });

  test("roles must be ones the organisation can give", async () => {
    const { owner } = await business();
    await expect(
      inviteMember(
        {
          actor: owner,
          email: "x@example.test",
          roles: ["procurement_officer"],
          language: "en",
          baseUrl,
          ip: null,
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "ROLES_INVALID", status: 400 });
    await expect(
      inviteMember(
        { actor: owner, email: "x@example.test", roles: [], language: "en", baseUrl, ip: null },
        db,
      ),
    ).rejects.toMatchObject({
      code: "ROLES_INVALID",
    });
    expect(await db.select().from(invitations).where(eq(invitations.email, "x@example.test"))).toEqual([]);
  });

  test("an expired invitation cannot be accepted", async () => {
    const { owner } = await business();
    await inviteMember(
      { actor: owner, email: "late@example.test", roles: ["finance"], language: "ar", baseUrl, ip: null },
      db,
    );
    const token = await tokenSentTo("late@example.test");
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.email, "late@example.test"));
    const late = await createUser(db, { email: "late@example.test" });
    await expect(acceptInvitation({ actor: actorOf(late), token, ip: null }, db)).rejects.toMatchObject({
      code: "LINK_EXPIRED",
      status: 410,
    });
    expect(await db.select().from(memberships).where(eq(memberships.userId, late.id))).toEqual([]);
  });

  test("an invitation works once, and only for the address it was sent to", async () => {
    const { owner } = await business();
    await inviteMember(
      { actor: owner, email: "right@example.test", roles: ["bidder"], language: "en", baseUrl, ip: null },
      db,
    );
    const token = await tokenSentTo("right@example.test");
    const wrong = await createUser(db, { email: "wrong@example.test" });
    await expect(acceptInvitation({ actor: actorOf(wrong), token, ip: null }, db)).rejects.toMatchObject({
      code: "INVITATION_EMAIL_MISMATCH",
      status: 403,
    });
    const right = await createUser(db, { email: "right@example.test" });
    await acceptInvitation({ actor: actorOf(right), token, ip: null }, db);
    await expect(acceptInvitation({ actor: actorOf(right), token, ip: null }, db)).rejects.toMatchObject({
      code: "LINK_USED",
    });
  });

  test("a bidder cannot invite; an agency admin can invite agency roles only", async () => {
    const { org } = await business();
    const bidder = actorOf(await createUser(db), {
      organisationId: org.id,
      kind: "business",
      roles: ["bidder"],
    });
    await expect(
      inviteMember(
        { actor: bidder, email: "y@example.test", roles: ["bidder"], language: "en", baseUrl, ip: null },
        db,
      ),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const agency = await createOrganisation(db, agencyData());
    const admin = actorOf(
      await createUser(db, { memberships: [{ organisationId: agency.id, roles: ["agency_admin"] }] }),
      {
        organisationId: agency.id,
        kind: "agency",
        roles: ["agency_admin"],
      },
    );
    await expect(
      inviteMember(
        {
          actor: admin,
          email: "eval@works.test",
          roles: ["evaluator", "approver"],
          language: "ar",
          baseUrl,
          ip: null,
        },
        db,
      ),
    ).resolves.toBeDefined();
    await expect(
      inviteMember(
        { actor: admin, email: "o@works.test", roles: ["owner"], language: "ar", baseUrl, ip: null },
        db,
      ),
    ).rejects.toMatchObject({
      code: "ROLES_INVALID",
    });
  });
});

describe("members", () => {
  test("roles change and members are removed, but the last owner stays", async () => {
    const { org, owner } = await business();
    const [ownerMembership] = await db
      .select()
      .from(memberships)
      .where(eq(memberships.organisationId, org.id));
    await expect(
      setMemberRoles({ actor: owner, membershipId: ownerMembership!.id, roles: ["bidder"], ip: null }, db),
    ).rejects.toMatchObject({
      code: "LAST_ADMIN",
      status: 409,
    });
    const helper = await createUser(db, { memberships: [{ organisationId: org.id, roles: ["bidder"] }] });
    const [helperMembership] = await db.select().from(memberships).where(eq(memberships.userId, helper.id));
    await setMemberRoles(
      { actor: owner, membershipId: helperMembership!.id, roles: ["bidder", "finance"], ip: null },
      db,
    );
    expect((await listMembers(owner, db)).members.find((m) => m.userId === helper.id)?.roles).toEqual([
      "bidder",
      "finance",
    ]);
    await setMemberRoles({ actor: owner, membershipId: helperMembership!.id, roles: [], ip: null }, db);
    expect((await listMembers(owner, db)).members.map((m) => m.userId)).not.toContain(helper.id);
  });

  test("one business cannot see or change another's members, even with a guessed id", async () => {
    const a = await business();
    const b = await business();
    const [bMembership] = await db.select().from(memberships).where(eq(memberships.organisationId, b.org.id));
    expect((await listMembers(a.owner, db)).members.map((m) => m.id)).not.toContain(bMembership!.id);
    await expect(
      setMemberRoles({ actor: a.owner, membershipId: bMembership!.id, roles: [], ip: null }, db),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const [still] = await db.select().from(memberships).where(eq(memberships.id, bMembership!.id));
    expect(still).toBeDefined();
  });

  test("a user may switch only to organisations they belong to", async () => {
    const a = await business();
    const b = await business();
    await expect(
      switchOrganisation(
        { actor: a.owner, sessionId: "0".repeat(64), organisationId: b.org.id, ip: null },
        db,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
