import { generateHOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { organisations, users } from "#db/schema/index.ts";
import { actorOf } from "#tests/factories/actors.ts";
import { agencyData, createOrganisation } from "#tests/factories/organisations.ts";
import { createUser, DEMO_PASSWORD } from "#tests/factories/users.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { resolveActor } from "./resolve-actor.server.ts";
import { signIn } from "./sign-in.server.ts";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  matchTotp,
  setSecondFactorRequirement,
  verifySecondFactor,
} from "./totp.server.ts";

const { db } = testDatabase();
const sessions = { idleMinutes: 60, absoluteHours: 12 };
const policy = { sessions, throttle: { maxFailuresPerAccount: 10, maxFailuresPerIp: 50, windowMinutes: 15 } };
const stepNow = () => BigInt(Math.floor(Date.now() / 30_000));
const keyOf = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"));

async function enrolled() {
  const user = await createUser(db);
  const actor = actorOf(user);
  await beginTotpEnrolment(actor, db);
  const pending = (await db.query.users.findFirst({ where: eq(users.id, user.id) }))!.totpPendingKey!;
  // Confirm with the previous step's code, leaving the current one for sign-in.
  await confirmTotpEnrolment({ actor, code: generateHOTP(keyOf(pending), stepNow() - 1n, 6), ip: null }, db);
  return { user, actor, key: keyOf(pending) };
}

describe("TOTP", () => {
  test("codes match their time step, with one step of drift either side, never twice", () => {
    const key = new Uint8Array(20).fill(7);
    const now = Date.now();
    const step = BigInt(Math.floor(now / 30_000));
    expect(matchTotp(key, generateHOTP(key, step, 6), null, now)).toBe(step);
    expect(matchTotp(key, generateHOTP(key, step - 1n, 6), null, now)).toBe(step - 1n);
    expect(matchTotp(key, generateHOTP(key, step - 2n, 6), null, now)).toBeNull();
    expect(matchTotp(key, generateHOTP(key, step, 6), step, now)).toBeNull(); // replay
    expect(matchTotp(key, "12345", null, now)).toBeNull();
  });

  test("with TOTP on, the password alone signs nobody in; the right code does, once", async () => {
    const { user, key } = await enrolled();
    const { token, session } = await signIn(
      { email: user.email, password: DEMO_PASSWORD, ip: null, userAgent: null },
      db,
      policy,
    );
    expect(session.secondFactorPending).toBe(true);
    expect((await resolveActor(db, token, sessions)).actor.type).toBe("anonymous");

    await expect(
      verifySecondFactor({ sessionId: session.id, code: "000000", ip: null }, db),
    ).rejects.toMatchObject({
      code: "WRONG_CODE",
      status: 400,
      field: "code",
    });
    const code = generateHOTP(key, stepNow(), 6);
    await verifySecondFactor({ sessionId: session.id, code, ip: null }, db);
    expect((await resolveActor(db, token, sessions)).actor).toMatchObject({ type: "user", userId: user.id });

    // The same code cannot open a second session.
    const again = await signIn(
      { email: user.email, password: DEMO_PASSWORD, ip: null, userAgent: null },
      db,
      policy,
    );
    await expect(
      verifySecondFactor({ sessionId: again.session.id, code, ip: null }, db),
    ).rejects.toMatchObject({ code: "WRONG_CODE" });
  });

  test("a wrong code at enrolment leaves TOTP off", async () => {
    const user = await createUser(db);
    await beginTotpEnrolment(actorOf(user), db);
    await expect(
      confirmTotpEnrolment({ actor: actorOf(user), code: "123456", ip: null }, db),
    ).rejects.toMatchObject({ code: "WRONG_CODE" });
    expect((await db.query.users.findFirst({ where: eq(users.id, user.id) }))!.totpEnabledAt).toBeNull();
  });

  test("an agency can require a second factor: its staff must enrol and cannot turn it off", async () => {
    const agency = await createOrganisation(db, agencyData());
    const adminUser = await createUser(db, {
      memberships: [{ organisationId: agency.id, roles: ["agency_admin"] }],
    });
    const admin = actorOf(adminUser, { organisationId: agency.id, kind: "agency", roles: ["agency_admin"] });
    const { user: officer, actor, key } = await enrolled();
    await db
      .insert((await import("#db/schema/index.ts")).memberships)
      .values({ userId: officer.id, organisationId: agency.id, roles: ["evaluator"] });
    const staff = await createUser(db, {
      memberships: [{ organisationId: agency.id, roles: ["procurement_officer"] }],
    });

    await setSecondFactorRequirement({ actor: admin, required: true, ip: null }, db);
    expect(
      (await db.query.organisations.findFirst({ where: eq(organisations.id, agency.id) }))!
        .requireSecondFactor,
    ).toBe(true);
    const { token } = await signIn(
      { email: staff.email, password: DEMO_PASSWORD, ip: null, userAgent: null },
      db,
      policy,
    );
    expect((await resolveActor(db, token, sessions)).mustEnrolSecondFactor).toBe(true);
    await expect(
      disableTotp({ actor, code: generateHOTP(key, stepNow() + 1n, 6), ip: null }, db),
    ).rejects.toMatchObject({
      code: "SECOND_FACTOR_REQUIRED",
    });
  });
});
