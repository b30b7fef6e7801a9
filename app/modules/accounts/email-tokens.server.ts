import { and, eq, isNull, sql } from "drizzle-orm";
import { AppError } from "#app/utils/errors.ts";
import type { Queryable, Tx } from "#db/client.server.ts";
import { emailTokens } from "#db/schema/index.ts";
import { generateSessionToken, sessionIdOf } from "./sessions.server.ts";

export type TokenPurpose = "verify_email" | "reset_password";

/** Hours a link stays valid. A reset link is short-lived; a verification link less so. */
const LIFETIME_HOURS: Record<TokenPurpose, number> = { verify_email: 72, reset_password: 1 };

/** Issue a single-use link token; earlier unused tokens of the same purpose stop working. */
export async function issueEmailToken(tx: Tx, userId: string, purpose: TokenPurpose): Promise<string> {
  await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  const token = generateSessionToken();
  await tx.insert(emailTokens).values({
    id: sessionIdOf(token),
    userId,
    purpose,
    expiresAt: sql`now() + make_interval(hours => ${LIFETIME_HOURS[purpose]})`,
  });
  return token;
}

async function findLiveToken(
  q: Queryable,
  token: string,
  purpose: TokenPurpose,
  lock: boolean,
): Promise<string> {
  if (!/^[a-z2-7]{32}$/.test(token)) throw new AppError("LINK_INVALID");
  const query = q
    .select({
      userId: emailTokens.userId,
      usedAt: emailTokens.usedAt,
      live: sql<boolean>`${emailTokens.expiresAt} > now()`,
    })
    .from(emailTokens)
    .where(and(eq(emailTokens.id, sessionIdOf(token)), eq(emailTokens.purpose, purpose)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new AppError("LINK_INVALID");
  if (row.usedAt) throw new AppError("LINK_USED");
  if (!row.live) throw new AppError("LINK_EXPIRED");
  return row.userId;
}

/**
 * Use a token once and return its user. Unknown, used and expired links are
 * told apart for the person holding the link (`LINK_INVALID`, `LINK_USED`,
 * `LINK_EXPIRED`), which reveals nothing they did not already have.
 */
export async function consumeEmailToken(tx: Tx, token: string, purpose: TokenPurpose): Promise<string> {
  const userId = await findLiveToken(tx, token, purpose, true);
  await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(eq(emailTokens.id, sessionIdOf(token)));
  return userId;
}

/** Check a link without using it up (to show the form behind it). */
export function checkEmailToken(db: Queryable, token: string, purpose: TokenPurpose): Promise<string> {
  return findLiveToken(db, token, purpose, false);
}
