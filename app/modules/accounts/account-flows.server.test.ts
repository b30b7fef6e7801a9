import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { emailOutbox, emailTokens, users } from "#db/schema/index.ts";
import { createUser, DEMO_PASSWORD } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { changePassword } from "./change-password.server.ts";
import { requestPasswordReset, resetPassword } from "./password-reset.server.ts";
import { resolveActor } from "./resolve-actor.server.ts";
import { validateSessionToken } from "./sessions.server.ts";
import { signIn } from "./sign-in.server.ts";
import { signUp } from "./sign-up.server.ts";
import { verifyEmail } from "./verify-email.server.ts";

const { db } = testDatabase();
const baseUrl = "https://shafaf.example.gov";
const sessionPolicy = { idleMinutes: 60, absoluteHours: 12 };
const policy = {
  sessions: sessionPolicy,
  throttle: { maxFailuresPerAccount: 10, maxFailuresPerIp: 50, windowMinutes: 15 },
};
const GOOD = "amber lantern over quiet dunes";

/** The token in the last link e-mailed to `to`. */
async function lastLink(to: string): Promise<string> {
  const [mail] = await db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.toAddress, to))
    .orderBy(sql`created_at desc`)
    .limit(1);
  const match = mail?.body.match(/https:\/\/shafaf\.example\.gov\/[a-z-]+\/([a-z2-7]{32})/);
  if (!match) throw new Error(`no link e-mailed to ${to}`);
  return match[1]!;
}

beforeEach(async () => {
  await db.delete(emailOutbox);
});

describe("signing up and verifying the e-mail address", () => {
  test("an account is created unverified and a verification e-mail goes out in the chosen language", async () => {
    const user = await signUp(
      { email: "huda@investor.test", displayName: "هدى", password: GOOD, language: "ar", ip: null, baseUrl },
      db,
    );
    expect(user.emailVerifiedAt).toBeNull();
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "huda@investor.test"));
    expect(mail).toMatchObject({
      language: "ar",
      template: "verifyEmail",
      subject: "أكّد بريدك الإلكتروني في شفاف",
    });
    expect(mail!.body).toContain("مرحبًا هدى");

    await verifyEmail(await lastLink("huda@investor.test"), null, db);
    const [after] = await db.select().from(users).where(eq(users.id, user.id));
    expect(after!.emailVerifiedAt).not.toBeNull();
  });

  test("a verification link works once", async () => {
    await signUp(
      { email: "once@investor.test", displayName: "Once", password: GOOD, language: "en", ip: null, baseUrl },
      db,
    );
    const token = await lastLink("once@investor.test");
    await verifyEmail(token, null, db);
    await expect(verifyEmail(token, null, db)).rejects.toMatchObject({ code: "LINK_USED", status: 410 });
    await expect(verifyEmail("a".repeat(32), null, db)).rejects.toMatchObject({
      code: "LINK_INVALID",
      status: 404,
    });
  });

  test("an expired verification link is refused", async () => {
    await signUp(
      { email: "late@investor.test", displayName: "Late", password: GOOD, language: "en", ip: null, baseUrl },
      db,
    );
    const token = await lastLink("late@investor.test");
    await db.update(emailTokens).set({ expiresAt: sql`now() - interval '1 minute'` });
    await expect(verifyEmail(token, null, db)).rejects.toMatchObject({ code: "LINK_EXPIRED", status: 410 });
  });

  test("a weak or blocklisted password stores nothing", async () => {
    for (const password of ["short", "password123456789"]) {
      await expect(
        signUp(
          { email: "weak@investor.test", displayName: "Weak", password, language: "en", ip: null, baseUrl },
          db,
        ),
      ).rejects.toMatchObject({ status: 400, field: "password" });
    }
    expect(await db.select().from(users).where(eq(users.email, "weak@investor.test"))).toEqual([]);
    expect(await db.select().from(emailOutbox)).toEqual([]);
  });

  test("an address already registered (in any letter case) is refused", async () => {
    await createUser(db, { email: "taken@investor.test" });
    await expect(
      signUp(
        {
          email: "TAKEN@investor.test",
          displayName: "Again",
          password: GOOD,
          language: "en",
          ip: null,
          baseUrl,
        },
        db,
      ),
    ).rejects.toMatchObject({ code: "EMAIL_TAKEN", status: 409, field: "email" });
    expect(await db.select().from(emailOutbox)).toEqual([]);
  });
});

describe("resetting a forgotten password", () => {
  test("the link sets a new password once and ends every session", async () => {
    const user = await createUser(db, { email: "forgetful@alnoor.test", language: "en" });
    const { token: session } = await signIn(
      { email: user.email, password: DEMO_PASSWORD, ip: null, userAgent: null },
      db,
      policy,
    );
    await requestPasswordReset({ email: "Forgetful@alnoor.test", ip: null, baseUrl }, db);
    const link = await lastLink(user.email);

    await resetPassword({ token: link, password: GOOD, ip: null }, db);
    expect(await validateSessionToken(db, session, sessionPolicy)).toBeNull();
    await expect(
      signIn({ email: user.email, password: GOOD, ip: null, userAgent: null }, db, policy),
    ).resolves.toBeDefined();
    await expect(
      resetPassword({ token: link, password: `${GOOD} again`, ip: null }, db),
    ).rejects.toMatchObject({ code: "LINK_USED" });
  });

  test("a weak new password leaves the link usable and the old password in place", async () => {
    const user = await createUser(db, { email: "careful@alnoor.test" });
    await requestPasswordReset({ email: user.email, ip: null, baseUrl }, db);
    const link = await lastLink(user.email);
    await expect(
      resetPassword({ token: link, password: "qwertyuiopasdfgh", ip: null }, db),
    ).rejects.toMatchObject({
      code: "PASSWORD_TOO_COMMON",
    });
    await expect(
      signIn({ email: user.email, password: DEMO_PASSWORD, ip: null, userAgent: null }, db, policy),
    ).resolves.toBeDefined();
    await expect(resetPassword({ token: link, password: GOOD, ip: null }, db)).resolves.toBeDefined();
  });

  test("an unknown address gets no e-mail, and the asker cannot tell", async () => {
    await expect(
      requestPasswordReset({ email: "ghost@nowhere.test", ip: null, baseUrl }, db),
    ).resolves.toBeUndefined();
    expect(await db.select().from(emailOutbox)).toEqual([]);
  });

  test("an expired reset link is refused", async () => {
    const user = await createUser(db, { email: "slow@alnoor.test" });
    await requestPasswordReset({ email: user.email, ip: null, baseUrl }, db);
    const link = await lastLink(user.email);
    await db
      .update(emailTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(emailTokens.userId, user.id));
    await expect(resetPassword({ token: link, password: GOOD, ip: null }, db)).rejects.toMatchObject({
      code: "LINK_EXPIRED",
    });
  });
});

describe("changing a password", () => {
  test("needs the current password, and can end the other sessions", async () => {
    const user = await createUser(db, { email: "mover@alnoor.test" });
    const here = await signIn(
      { email: user.email, password: DEMO_PASSWORD, ip: null, userAgent: null },
      db,
      policy,
    );
    const elsewhere = await signIn(
      { email: user.email, password: DEMO_PASSWORD, ip: null, userAgent: null },
      db,
      policy,
    );
    const { actor } = await resolveActor(db, here.token, sessionPolicy);
    if (actor.type !== "user") throw new Error("expected a user");

    const base = {
      actor,
      currentSessionId: here.session.id,
      newPassword: GOOD,
      endOtherSessions: true,
      ip: null,
    };
    await expect(changePassword({ ...base, currentPassword: "not it at all" }, db)).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
      field: "currentPassword",
    });
    await expect(changePassword({ ...base, currentPassword: DEMO_PASSWORD }, db)).resolves.toEqual({
      sessionsEnded: 1,
    });
    expect(await validateSessionToken(db, here.token, sessionPolicy)).not.toBeNull();
    expect(await validateSessionToken(db, elsewhere.token, sessionPolicy)).toBeNull();
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email));
    expect(mail?.template).toBe("passwordChanged");
  });
});
