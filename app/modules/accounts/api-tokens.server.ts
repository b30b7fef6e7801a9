import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import { apiTokens, memberships, organisations, users } from "#db/schema/index.ts";
import type { Actor, Integration } from "./actor.ts";
import { type ApiScope, scopesFor } from "./api-scopes.ts";
import { assertCan } from "./permissions.ts";

const TOKEN_PATTERN = /^shf_[a-z2-7]{40}$/;
const hashOf = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** Create a token for the actor's organisation. The plain token is returned once and never stored. */
export async function createApiToken(
  input: { actor: Actor; name: string; scopes: string[]; ip: string | null },
  db: Db,
): Promise<{ token: string; id: string }> {
  assertCan(input.actor, "tokens:manage");
  const actor = input.actor;
  // Only the scopes for this kind of organisation: an agency's token never bids, a business's never drafts.
  const allowed: readonly string[] = scopesFor(actor.membership!.kind);
  if (input.scopes.length === 0 || input.scopes.some((s) => !allowed.includes(s)))
    throw new AppError("SCOPES_INVALID", {}, { field: "scopes" });
  const bytes = new Uint8Array(25);
  crypto.getRandomValues(bytes);
  const token = `shf_${encodeBase32LowerCaseNoPadding(bytes)}`; // 200 bits
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        organisationId: actor.membership!.organisationId,
        name: input.name.trim(),
        scopes: [...new Set(input.scopes)],
        tokenHash: hashOf(token),
        prefix: token.slice(0, 10),
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: row!.organisationId,
      action: "api_token.created",
      objectType: "api_token",
      objectId: row!.id,
      ip: input.ip,
      details: { name: row!.name, scopes: row!.scopes, prefix: row!.prefix },
    });
    return { token, id: row!.id };
  });
}

export async function listApiTokens(actor: Actor, db: Queryable) {
  assertCan(actor, "tokens:manage");
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.organisationId, actor.membership!.organisationId))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(
  input: { actor: Actor; tokenId: string; ip: string | null },
  db: Db,
): Promise<void> {
  assertCan(input.actor, "tokens:manage");
  const actor = input.actor;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(apiTokens.id, input.tokenId),
          eq(apiTokens.organisationId, actor.membership!.organisationId),
          isNull(apiTokens.revokedAt),
        ),
      )
      .returning();
    if (!row) throw new AppError("NOT_FOUND");
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organisationId: row.organisationId,
      action: "api_token.revoked",
      objectType: "api_token",
      objectId: row.id,
      ip: input.ip,
      details: { name: row.name, prefix: row.prefix },
    });
  });
}

/**
 * The integration behind `Authorization: Bearer <token>`. Unknown, malformed
 * and revoked tokens are all TOKEN_INVALID, and so is the token of a member
 * who has since left the organisation or been disabled (what a token does is
 * recorded as its creator's). Last use is recorded (at most once a minute).
 */
export async function authenticateApiToken(
  authorization: string | null,
  db: Queryable,
): Promise<Integration> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) throw new AppError("TOKEN_INVALID");
  const [row] = await db
    .select({
      token: apiTokens,
      kind: organisations.kind,
      currency: organisations.currency,
      timeZone: organisations.timeZone,
      user: {
        id: users.id,
        displayName: users.displayName,
        email: users.email,
        disabledAt: users.disabledAt,
      },
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .innerJoin(
      memberships,
      and(
        eq(memberships.userId, apiTokens.createdBy),
        eq(memberships.organisationId, apiTokens.organisationId),
      ),
    )
    .where(eq(apiTokens.tokenHash, hashOf(token)));
  if (!row || row.token.revokedAt || row.user.disabledAt) throw new AppError("TOKEN_INVALID");
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, row.token.id),
        sql`coalesce(${apiTokens.lastUsedAt}, 'epoch') < now() - interval '1 minute'`,
      ),
    );
  return {
    type: "integration",
    tokenId: row.token.id,
    organisationId: row.token.organisationId,
    organisationKind: row.kind,
    organisationCurrency: row.currency,
    organisationTimeZone: row.timeZone,
    scopes: row.token.scopes,
    user: { id: row.user.id, displayName: row.user.displayName, email: row.user.email },
  };
}

export function assertScope(integration: Integration, scope: ApiScope): void {
  if (!integration.scopes.includes(scope)) throw new AppError("SCOPE_MISSING", { scope });
}
