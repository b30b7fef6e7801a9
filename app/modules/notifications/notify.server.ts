import { eq } from "drizzle-orm";
import type { Language } from "#app/modules/i18n/i18n.ts";
import type { Tx } from "#db/client.server.ts";
import { notifications, users } from "#db/schema/index.ts";
import { type EmailTemplate, queueEmail } from "./queue-email.server.ts";

export type NotificationKind = EmailTemplate;

/**
 * Tell a user something inside the app and by e-mail, in the same transaction
 * as the change that caused it. The in-app text is rendered from
 * `notifications.<kind>` when read; the e-mail from `emails.<kind>` now, in the
 * user's language. `link` is a path; the e-mail gets it absolute when the
 * caller knows the public address.
 */
export async function notifyUser(
  tx: Tx,
  input: {
    userId: string;
    kind: NotificationKind;
    params: Record<string, string>;
    link: string;
    baseUrl?: string;
  },
): Promise<void> {
  const [user] = await tx
    .select({ email: users.email, language: users.language, name: users.displayName })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user) return;
  await tx
    .insert(notifications)
    .values({ userId: input.userId, kind: input.kind, params: input.params, link: input.link });
  await queueEmail(tx, {
    to: user.email,
    language: (user.language === "en" ? "en" : "ar") as Language,
    template: input.kind,
    params: { ...input.params, name: user.name, link: `${input.baseUrl ?? ""}${input.link}` },
  });
}
