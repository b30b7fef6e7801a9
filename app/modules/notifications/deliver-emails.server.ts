import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import type { Db } from "#db/client.server.ts";
import { emailOutbox } from "#db/schema/index.ts";

/**
 * Send what is waiting in the outbox. Rows are claimed with SKIP LOCKED, so
 * several workers never send the same message; a failure is recorded on the
 * row and retried on the next run.
 */
export async function deliverPendingEmails(
  deps: { db: Db; transport: Transporter; from: string },
  { batchSize = 50 }: { batchSize?: number } = {},
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  await deps.db.transaction(async (tx) => {
    const batch = await tx
      .select()
      .from(emailOutbox)
      .where(isNull(emailOutbox.sentAt))
      .orderBy(asc(emailOutbox.createdAt))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    for (const message of batch) {
      try {
        await deps.transport.sendMail({
          from: deps.from,
          to: message.toAddress,
          subject: message.subject,
          text: message.body,
          headers: { "Content-Language": message.language },
        });
        await tx
          .update(emailOutbox)
          .set({ sentAt: sql`now()`, lastError: null })
          .where(eq(emailOutbox.id, message.id));
        sent++;
      } catch (e) {
        await tx
          .update(emailOutbox)
          .set({ lastError: String((e as Error).message).slice(0, 500) })
          .where(and(eq(emailOutbox.id, message.id), isNull(emailOutbox.sentAt)));
        failed++;
      }
    }
  });
  return { sent, failed };
}
