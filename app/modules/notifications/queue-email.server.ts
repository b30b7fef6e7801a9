import { type Language, translatorFor } from "#app/modules/i18n/i18n.ts";
import type { Tx } from "#db/client.server.ts";
import { emailOutbox, type OutboxEmail } from "#db/schema/index.ts";

/** The messages we send; each has `emails.<name>.subject` and `.body` in both locale files. */
export type EmailTemplate =
  | "verifyEmail"
  | "resetPassword"
  | "passwordChanged"
  | "businessVerified"
  | "businessRejected"
  | "invitation"
  | "clarificationAnswered"
  | "tenderAmended"
  | "deadlineExtended"
  | "permitInformationRequested"
  | "permitInspectionScheduled"
  | "permitApproved"
  | "permitRejected"
  | "permitIssued"
  | "permitSuspended"
  | "permitRevoked"
  | "permitReinstated"
  | "permitExpiring"
  | "permitExpired"
  | "complaintLodged"
  | "complaintReceived"
  | "awardSuspended"
  | "complaintDecided"
  | "tenderCancelled"
  | "lotCancelled"
  | "savedSearchMatch"
  | "savedSearchDigest";

/**
 * Write an e-mail to the outbox, in the recipient's language, inside the
 * caller's transaction: the message exists if and only if the change that
 * caused it committed. Delivery (SMTP, when configured) is a job.
 */
export async function queueEmail(
  tx: Tx,
  input: { to: string; language: Language; template: EmailTemplate; params: Record<string, string> },
): Promise<OutboxEmail> {
  const t = translatorFor(input.language);
  const [row] = await tx
    .insert(emailOutbox)
    .values({
      toAddress: input.to,
      language: input.language,
      template: input.template,
      subject: t(`emails.${input.template}.subject`, input.params),
      body: t(`emails.${input.template}.body`, input.params),
    })
    .returning();
  return row!;
}
