import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { verifyAuditChain } from "#app/modules/audit/verify-audit-chain.server.ts";
import { auditEvents, sessions, signInAttempts, users } from "#db/schema/index.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser, DEMO_PASSWORD } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { listMySessions, revokeMySession } from "./list-my-sessions.server.ts";
import { resolveActor } from "./resolve-actor.server.ts";
import { sessionIdOf, validateSessionToken } from "./sessions.server.ts";
import { signIn } from "./sign-in.server.ts";

const { db } = testDatabase();
const policy = {
  sessions: { idleMinutes: 60, absoluteHours: 12 },
  throttle: { maxFailuresPerAccount: 3, maxFailuresPerIp: 5, windowMinutes: 15 },
};
const attempt = (email: string, password = DEMO_PASSWORD, ip = "192.0.2.10") =>
  signIn({ email, password, ip, userAgent: "vitest" }, db, policy);

beforeEach(async () => {
  await db.delete(signInAttempts);
  await db.delete(sessions);
});

describe("signing in", () => {
  test("the right password starts a session; only the token's hash is stored", async () => {
    const agency = await createOrganisation(db, agencyData());
    const user = await createUser(db, {
      memberships: [{ organisationId: agency.id, roles: ["procurement_officer"] }],
    });
    const { token, session } = await attempt(user.email.toUpperCase());
    expect(token).toMatch(/^[a-z2-7]{32}$/); // 160 bits
    expect(session.id).toBe(sessionIdOf(token));
    const [stored] = await db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(stored!.id).not.toContain(token);
    const { actor } = await resolveActor(db, token, policy.sessions);
    expect(actor).toMatchObject({
      type: "user",
      userId: user.id,
      membership: { organisationId: agency.id, kind: "agency", roles: ["procurement_officer"] },
    });
  });

  test("a wrong password and an unknown e-mail get the same answer, and both are audited", async () => {
    const user = await createUser(db);
    await expect(attempt(user.email, "not the password at all")).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
      status: 401,
    });
    await expect(attempt("nobody@nowhere.test")).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
      status: 401,
    });
    const failed = await db.select().from(auditEvents).where(eq(auditEvents.action, "auth.sign_in_failed"));
    expect(failed.map((e) => (e.details as { email: string }).email)).toEqual(
      expect.arrayContaining([user.email, "nobody@nowhere.test"]),
    );
    expect(await db.select().from(sessions)).toEqual([]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  test("after too many failures the account is throttled, even with the right password", async () => {
    const user = await createUser(db);
    for (let i = 0; i < 3; i++)
      await expect(attempt(user.email, "wrong wrong wrong")).rejects.toMatchObject({
        code: "INVALID_CREDENTIALS",
      });
    await expect(attempt(user.email)).rejects.toMatchObject({
      code: "TOO_MANY_ATTEMPTS",
      status: 429,
      params: { minutes: 15 },
    });
    // Older failures fall out of the window.
    await db.update(signInAttempts).set({ attemptedAt: sql`now() - interval '16 minutes'` });
    await expect(attempt(user.email)).resolves.toBeDefined();
  });

  test("one address trying many accounts is throttled", async () => {
    for (let i = 0; i < 5; i++)
      await expect(attempt(`guess${i}@x.test`, "p", "198.51.100.7")).rejects.toMatchObject({
        code: "INVALID_CREDENTIALS",
      });
    const user = await createUser(db);
    await expect(attempt(user.email, DEMO_PASSWORD, "198.51.100.7")).rejects.toMatchObject({
      code: "TOO_MANY_ATTEMPTS",
    });
    await expect(attempt(user.email, DEMO_PASSWORD, "198.51.100.8")).resolves.toBeDefined();
  });

  test("a disabled account cannot sign in and its sessions stop working", async () => {
    const user = await createUser(db);
    const { token } = await attempt(user.email);
    await db.update(users).set({ disabledAt: sql`now()` }).where(eq(users.id, user.id));
    expect(await validateSessionToken(db, token, policy.sessions)).toBeNull();
    await expect(attempt(user.email)).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
  });
});

describe("session lifetime", () => {
  test("a session idle past the timeout ends", async () => {
    const user = await createUser(db);
    const { token, session } = await attempt(user.email);
    await db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.id, session.id));
    expect(await validateSessionToken(db, token, policy.sessions)).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.id, session.id))).toEqual([]);
  });

  test("activity slides the expiry forward, but never past the absolute limit", async () => {
    const user = await createUser(db);
    const { token, session } = await attempt(user.email);
    await db
      .update(sessions)
      .set({
        lastSeenAt: sql`now() - interval '30 minutes'`,
        expiresAt: sql`now() + interval '30 minutes'`,
        absoluteExpiresAt: sql`now() + interval '45 minutes'`,
      })
      .where(eq(sessions.id, session.id));
    const found = await validateSessionToken(db, token, policy.sessions);
    const left = (found!.session.expiresAt.getTime() - Date.now()) / 60_000;
    expect(left).toBeGreaterThan(44);
    expect(left).toBeLessThanOrEqual(45.1);
    await db
      .update(sessions)
      .set({ absoluteExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.id, session.id));
    expect(await validateSessionToken(db, token, policy.sessions)).toBeNull();
  });

  test("tokens that are malformed or unknown sign nobody in", async () => {
    expect(await validateSessionToken(db, "not-a-token", policy.sessions)).toBeNull();
    expect(await validateSessionToken(db, "a".repeat(32), policy.sessions)).toBeNull();
  });
});

describe("my sessions", () => {
  test("a user lists and ends their own sessions, never another user's", async () => {
    const huda = await createUser(db);
    const omar = await createUser(db);
    await attempt(huda.email);
    const second = await attempt(huda.email);
    const omars = await attempt(omar.email);
    const hudaActor = (await resolveActor(db, second.token, policy.sessions)).actor;
    if (hudaActor.type !== "user") throw new Error("expected a user");
    expect(await listMySessions(hudaActor, db)).toHaveLength(2);

    await expect(revokeMySession(hudaActor, omars.session.id, null, db)).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
    expect(await validateSessionToken(db, omars.token, policy.sessions)).not.toBeNull();

    const [other] = (await listMySessions(hudaActor, db)).filter((s) => s.id !== second.session.id);
    await revokeMySession(hudaActor, other!.id, null, db);
    expect(await listMySessions(hudaActor, db)).toHaveLength(1);
  });
});
