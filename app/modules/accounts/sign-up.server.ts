import { sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { Language } from "#app/modules/i18n/i18n.ts";
import { queueEmail } from "#app/modules/notifications/queue-email.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db } from "#db/client.server.ts";
import { type User, users } from "#db/schema/index.ts";
import { issueEmailToken } from "./email-tokens.server.ts";
import { checkPassword, passwordError } from "./password-policy.ts";
import { hashPassword } from "./passwords.server.ts";

export interface SignUp {
  email: string;
  displayName: string;
  password: string;
  language: Language;
  ip: string | null;
  /** Where links in e-mails point, e.g. https://shafaf.example.gov */
  baseUrl: string;
}

/**
 * Create a personal account (an investor, a citizen, or the future owner of a
 * business being registered) and e-mail a verification link. The account, its
 * audit event and the e-mail commit together.
 */
export async function signUp(input: SignUp, db: Db): Promise<User> {
  const email = input.email.trim();
  const problem = checkPassword(input.password, { userInputs: [email, input.displayName] });
  if (problem) throw passwordError(problem);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const existing = await tx.query.users.findFirst({ where: sql`lower(${users.email}) = lower(${email})` });
    if (existing) throw new AppError("EMAIL_TAKEN", {}, { field: "email" });
    const [user] = await tx
      .insert(users)
      .values({ email, displayName: input.displayName.trim(), passwordHash, language: input.language })
      .returning();
    const token = await issueEmailToken(tx, user!.id, "verify_email");
    await queueEmail(tx, {
      to: email,
      language: input.language,
      template: "verifyEmail",
      params: { name: user!.displayName, link: `${input.baseUrl}/verify-email/${token}` },
    });
    await recordAudit(tx, {
      actorUserId: user!.id,
      action: "account.signed_up",
      objectType: "user",
      objectId: user!.id,
      ip: input.ip,
    });
    return user!;
  });
}
