import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { memberships, organisations, sessions, signInAttempts, users } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { assertCan } from "./permissions.ts";

/** RFC 6238 defaults every authenticator app understands. */
const PERIOD = 30;
const DIGITS = 6;

type UserActor = Extract<Actor, { type: "user" }>;

const decodeKey = (stored: string) => new Uint8Array(Buffer.from(stored, "base64"));

/**
 * Check a code against the key for the current time step and the one either
 * side (clock drift), refusing any step at or before the last one accepted, so
 * an observed code cannot be replayed. Returns the step that matched.
 */
export function matchTotp(
  key: Uint8Array,
  code: string,
  lastStep: bigint | null,
  nowMs = Date.now(),
): bigint | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = BigInt(Math.floor(nowMs / 1000 / PERIOD));
  for (const step of [current - 1n, current, current + 1n]) {
    if (lastStep !== null && step <= lastStep) continue;
    // A TOTP code is the HOTP code of its time step (RFC 6238 §4).
    if (verifyHOTP(key, step, DIGITS, code)) return step;
  }
  return null;
}

/** Start setting up an authenticator: a fresh key, kept pending until a code confirms it. */
export async function beginTotpEnrolment(actor: UserActor, db: Db): Promise<{ uri: string; secret: string }> {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  await db
    .update(users)
    .set({ totpPendingKey: Buffer.from(key).toString("base64") })
    .where(eq(users.id, actor.userId));
  return {
    uri: createTOTPKeyURI("Shafaf", actor.email, key, PERIOD, DIGITS),
    secret: encodeBase32UpperCaseNoPadding(key),
  };
}

/** The pending key's setup details again (the page shows them until confirmed). */
export async function pendingTotpEnrolment(
  actor: UserActor,
  db: Db,
): Promise<{ uri: string; secret: string } | null> {
  const user = await db.query.users.findFirst({ where: eq(users.id, actor.userId) });
  if (!user?.totpPendingKey) return null;
  const key = decodeKey(user.totpPendingKey);
  return {
    uri: createTOTPKeyURI("Shafaf", actor.email, key, PERIOD, DIGITS),
    secret: encodeBase32UpperCaseNoPadding(key),
  };
}

export async function confirmTotpEnrolment(
  input: { actor: UserActor; code: string; ip: string | null },
  db: Db,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, input.actor.userId)).for("update");
    if (!user?.totpPendingKey) throw new AppError("VALIDATION");
    const step = matchTotp(decodeKey(user.totpPendingKey), input.code.trim(), null);
    if (step === null) throw new AppError("WRONG_CODE", {}, { field: "code" });
    await tx
      .update(users)
      .set({
        totpKey: user.totpPendingKey,
        totpPendingKey: null,
        totpEnabledAt: sql`now()`,
        totpLastStep: step,
      })
      .where(eq(users.id, user.id));
    await recordAudit(tx, {
      actorUserId: user.id,
      organisationId: input.actor.membership?.organisationId ?? null,
      action: "auth.second_factor_enabled",
      objectType: "user",
      objectId: user.id,
      ip: input.ip,
    });
  });
}

/** Whether any organisation the user belongs to requires a second factor. */
export async function secondFactorRequired(tx: Tx | Db, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: organisations.id })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, userId), eq(organisations.requireSecondFactor, true)))
    .limit(1);
  return row !== undefined;
}

export async function disableTotp(
  input: { actor: UserActor; code: string; ip: string | null },
  db: Db,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, input.actor.userId)).for("update");
    if (!user?.totpKey) throw new AppError("VALIDATION");
    if (await secondFactorRequired(tx, user.id)) throw new AppError("SECOND_FACTOR_REQUIRED");
    if (matchTotp(decodeKey(user.totpKey), input.code.trim(), user.totpLastStep) === null)
      throw new AppError("WRONG_CODE", {}, { field: "code" });
    await tx
      .update(users)
      .set({ totpKey: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(users.id, user.id));
    await recordAudit(tx, {
      actorUserId: user.id,
      action: "auth.second_factor_disabled",
      objectType: "user",
      objectId: user.id,
      ip: input.ip,
    });
  });
}

/**
 * Complete a sign-in that is waiting for its code. A wrong code counts as a
 * failed sign-in (and so towards throttling) and is audited.
 */
export async function verifySecondFactor(
  input: { sessionId: string; code: string; ip: string | null },
  db: Db,
): Promise<void> {
  const ok = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ user: users, organisationId: sessions.organisationId })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, input.sessionId), eq(sessions.secondFactorPending, true)))
      .for("update");
    if (!row?.user.totpKey) throw new AppError("UNAUTHENTICATED");
    const step = matchTotp(decodeKey(row.user.totpKey), input.code.trim(), row.user.totpLastStep);
    if (step === null) return { ok: false as const, user: row.user };
    await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, row.user.id));
    await tx.update(sessions).set({ secondFactorPending: false }).where(eq(sessions.id, input.sessionId));
    await recordAudit(tx, {
      actorUserId: row.user.id,
      organisationId: row.organisationId,
      action: "auth.signed_in",
      objectType: "user",
      objectId: row.user.id,
      ip: input.ip,
      details: { secondFactor: "totp" },
    });
    return { ok: true as const, user: row.user };
  });
  if (!ok.ok) {
    await db.transaction(async (tx) => {
      await tx.insert(signInAttempts).values({ email: ok.user.email, ip: input.ip, succeeded: false });
      await recordAudit(tx, {
        actorUserId: ok.user.id,
        action: "auth.second_factor_failed",
        objectType: "user",
        objectId: ok.user.id,
        ip: input.ip,
      });
    });
    throw new AppError("WRONG_CODE", {}, { field: "code" });
  }
}

/** An agency admin requires (or stops requiring) a second factor from every member of the agency. */
export async function setSecondFactorRequirement(
  input: { actor: Actor; required: boolean; ip: string | null },
  db: Db,
): Promise<void> {
  assertCan(input.actor, "members:manage");
  const actor = input.actor;
  if (actor.membership?.kind !== "agency") throw new AppError("FORBIDDEN");
  await db.transaction(async (tx) => {
    await tx
      .update(organisations)
      .set({ requireSecondFactor: input.required })
      .where(eq(organisations.id, actor.membership!.organisationId));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: actor.membership!.organisationId,
      action: input.required ? "agency.second_factor_required" : "agency.second_factor_optional",
      objectType: "organisation",
      objectId: actor.membership!.organisationId,
      ip: input.ip,
    });
  });
}
