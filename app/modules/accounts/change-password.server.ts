import { eq, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { isLanguage } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import type { Actor } from "./actor.ts";
import { checkPassword, passwordError } from "./password-policy.ts";
import { hashPassword, verifyPassword } from "./passwords.server.ts";
import { invalidateUserSessions } from "./sessions.server.ts";

/**
 * Change one's own password, proving the current one. Optionally end every
 * other session (the one in use stays signed in).
 */
export async function changePassword(
  input: {
    actor: Extract<Actor, { type: "user" }>;
    currentSessionId: string;
    currentPassword: string;
    newPassword: string;
    endOtherSessions: boolean;
    ip: string | null;
  },
  db: Db,
): Promise<{ sessionsEnded: number }> {
  const user = await db.query.users.findFirst({ where: eq(users.id, input.actor.userId) });
  if (!user) throw new AppError("UNAUTHENTICATED");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw new AppError("WRONG_PASSWORD", {}, { field: "currentPassword" });
  const problem = checkPassword(input.newPassword, {
    userInputs: [user.email, user.displayName],
    hasSecondFactor: user.totpEnabledAt !== null,
  });
  if (problem) throw passwordError(problem, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: sql`now()` }).where(eq(users.id, user.id));
    const sessionsEnded = input.endOtherSessions
      ? await invalidateUserSessions(tx, user.id, input.currentSessionId)
      : 0;
    await recordAudit(tx, {
      actorUserId: user.id,
      organisationId: input.actor.membership?.organisationId ?? null,
      action: "account.password_changed",
      objectType: "user",
      objectId: user.id,
      ip: input.ip,
      details: { sessionsEnded },
    });
    await queueEmail(tx, {
      to: user.email,
      language: isLanguage(user.language) ? user.language : "ar",
      template: "passwordChanged",
      params: { name: user.displayName },
    });
    return { sessionsEnded };
  });
}
