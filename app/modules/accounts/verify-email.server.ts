import { eq, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { consumeEmailToken } from "./email-tokens.server.ts";

/** Confirm an address from the link we e-mailed (a POST from the page the link opens). */
export async function verifyEmail(token: string, ip: string | null, db: Db): Promise<{ userId: string }> {
  return db.transaction(async (tx) => {
    const userId = await consumeEmailToken(tx, token, "verify_email");
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, userId));
    await recordAudit(tx, {
      actorUserId: userId,
      action: "account.email_verified",
      objectType: "user",
      objectId: userId,
      ip,
    });
    return { userId };
  });
}
