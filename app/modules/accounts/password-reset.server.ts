import { eq, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { isLanguage } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { consumeEmailToken, issueEmailToken } from "./email-tokens.server.ts";
import { checkPassword, passwordError } from "./password-policy.ts";
import { hashPassword } from "./passwords.server.ts";
import { invalidateUserSessions } from "./sessions.server.ts";

/**
 * Send a reset link if the address has an account. The answer to the person
 * asking is the same either way, so the form cannot be used to find accounts.
 */
export async function requestPasswordReset(
  input: { email: string; ip: string | null; baseUrl: string },
  db: Db,
): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await tx.query.users.findFirst({
      where: sql`lower(${users.email}) = lower(${input.email.trim()})`,
    });
    await recordAudit(tx, {
      actorUserId: user?.id ?? null,
      action: "account.password_reset_requested",
      ip: input.ip,
      details: { email: input.email.trim(), known: Boolean(user && !user.disabledAt) },
    });
    if (!user || user.disabledAt) return;
    const token = await issueEmailToken(tx, user.id, "reset_password");
    await queueEmail(tx, {
      to: user.email,
      language: isLanguage(user.language) ? user.language : "ar",
      template: "resetPassword",
      params: { name: user.displayName, link: `${input.baseUrl}/reset-password/${token}` },
    });
  });
}

/** Set a new password from a reset link: the link is used up and every session of the account ends. */
export async function resetPassword(
  input: { token: string; password: string; ip: string | null },
  db: Db,
): Promise<{ userId: string }> {
  return db.transaction(async (tx) => {
    const userId = await consumeEmailToken(tx, input.token, "reset_password");
    const user = (await tx.query.users.findFirst({ where: eq(users.id, userId) }))!;
    const problem = checkPassword(input.password, {
      userInputs: [user.email, user.displayName],
      hasSecondFactor: user.totpEnabledAt !== null,
    });
    if (problem) throw passwordError(problem);
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(input.password), passwordChangedAt: sql`now()` })
      .where(eq(users.id, userId));
    const ended = await invalidateUserSessions(tx, userId);
    await recordAudit(tx, {
      actorUserId: userId,
      action: "account.password_reset",
      objectType: "user",
      objectId: userId,
      ip: input.ip,
      details: { sessionsEnded: ended },
    });
    await queueEmail(tx, {
      to: user.email,
      language: isLanguage(user.language) ? user.language : "ar",
      template: "passwordChanged",
      params: { name: user.displayName },
    });
    return { userId };
  });
}
