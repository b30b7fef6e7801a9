import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { hashPassword } from "#app/modules/accounts/passwords.server.ts";
import type { Queryable } from "#db/client.server.ts";
import { memberships, type User, users } from "#db/schema/index.ts";

/** The password of every demo account (and the default in tests). */
export const DEMO_PASSWORD = "shafaf-demo-2026";

// Hashing is deliberately slow; tests reuse one hash per password.
const hashes = new Map<string, Promise<string>>();
const hashOf = (password: string) => {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
};

export interface UserSpec {
  email?: string;
  displayName?: string;
  password?: string;
  language?: "ar" | "en";
  verified?: boolean;
  memberships?: Array<{ organisationId: string; roles: string[] }>;
}

/** Create a user (and memberships); an existing e-mail is kept as it is and returned. */
export async function createUser(db: Queryable, spec: UserSpec = {}): Promise<User> {
  const email = spec.email ?? `user-${randomBytes(4).toString("hex")}@example.test`;
  let user = await db.query.users.findFirst({ where: sql`lower(${users.email}) = lower(${email})` });
  if (!user) {
    [user] = await db
      .insert(users)
      .values({
        email,
        displayName: spec.displayName ?? email.split("@")[0]!,
        passwordHash: await hashOf(spec.password ?? DEMO_PASSWORD),
        language: spec.language ?? "ar",
        emailVerifiedAt: spec.verified === false ? null : sql`now()`,
      })
      .returning();
  }
  for (const m of spec.memberships ?? []) {
    await db
      .insert(memberships)
      .values({ userId: user!.id, organisationId: m.organisationId, roles: m.roles })
      .onConflictDoNothing();
  }
  return user!;
}
