import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { memberships, type Session, signInAttempts, type User, users } from "#db/schema/index.ts";
import { verifyAgainstNothing, verifyPassword } from "./passwords.server.ts";
import { createSession, type SessionPolicy } from "./sessions.server.ts";

export interface ThrottlePolicy {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowMinutes: number;
}

export interface SignIn {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

async function throttled(db: Db, input: SignIn, policy: ThrottlePolicy): Promise<boolean> {
  const since = sql`now() - make_interval(mins => ${policy.windowMinutes})`;
  const failures = (where: ReturnType<typeof and>) =>
    db
      .select({ n: count() })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.succeeded, false), gt(signInAttempts.attemptedAt, since), where))
      .then(([r]) => r?.n ?? 0);
  if (
    (await failures(and(sql`lower(${signInAttempts.email}) = lower(${input.email})`))) >=
    policy.maxFailuresPerAccount
  )
    return true;
  return (
    input.ip !== null && (await failures(and(eq(signInAttempts.ip, input.ip)))) >= policy.maxFailuresPerIp
  );
}

/**
 * Sign in with e-mail and password. A wrong password, an unknown e-mail and a
 * disabled account all give the same answer in the same time. Too many
 * failures for the account or the address within the window are refused
 * before the password is even checked. Every outcome is audited.
 */
export async function signIn(
  input: SignIn,
  db: Db,
  policy: { sessions: SessionPolicy; throttle: ThrottlePolicy },
): Promise<{ token: string; session: Session; user: User }> {
  const email = input.email.trim();
  if (await throttled(db, { ...input, email }, policy.throttle)) {
    await db.transaction((tx) =>
      recordAudit(tx, {
        actorUserId: null,
        action: "auth.sign_in_throttled",
        ip: input.ip,
        details: { email },
      }),
    );
    throw new AppError("TOO_MANY_ATTEMPTS", { minutes: policy.throttle.windowMinutes });
  }

  const user = await db.query.users.findFirst({ where: sql`lower(${users.email}) = lower(${email})` });
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstNothing(input.password);
  if (!user || !ok || user.disabledAt) {
    await db.transaction(async (tx) => {
      await tx.insert(signInAttempts).values({ email, ip: input.ip, succeeded: false });
      await recordAudit(tx, {
        actorUserId: null,
        action: "auth.sign_in_failed",
        ip: input.ip,
        details: { email },
      });
    });
    throw new AppError("INVALID_CREDENTIALS");
  }

  return db.transaction(async (tx) => {
    await tx.insert(signInAttempts).values({ email, ip: input.ip, succeeded: true });
    const [first] = await tx
      .select({ organisationId: memberships.organisationId })
      .from(memberships)
      .where(eq(memberships.userId, user.id))
      .orderBy(asc(memberships.createdAt))
      .limit(1);
    // With a second factor the password alone opens nothing: the session waits for the code.
    const secondFactorPending = user.totpEnabledAt !== null;
    const { token, session } = await createSession(
      tx,
      {
        userId: user.id,
        organisationId: first?.organisationId ?? null,
        ip: input.ip,
        userAgent: input.userAgent,
        secondFactorPending,
      },
      policy.sessions,
    );
    await recordAudit(tx, {
      actorUserId: user.id,
      organisationId: session.organisationId,
      action: secondFactorPending ? "auth.password_accepted" : "auth.signed_in",
      objectType: "user",
      objectId: user.id,
      ip: input.ip,
    });
    return { token, session, user };
  });
}
