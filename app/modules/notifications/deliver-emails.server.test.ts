import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import { expect, test } from "vitest";
import { emailOutbox } from "#db/schema/index.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { deliverPendingEmails } from "./deliver-emails.server.ts";
import { queueEmail } from "./queue-email.server.ts";

test("queued messages are sent once, with a failure kept on the row for the next run", async () => {
  const { db } = testDatabase();
  await db.transaction(async (tx) => {
    await queueEmail(tx, {
      to: "a@example.test",
      language: "en",
      template: "passwordChanged",
      params: { name: "A" },
    });
    await queueEmail(tx, {
      to: "b@example.test",
      language: "ar",
      template: "passwordChanged",
      params: { name: "ب" },
    });
  });
  // nodemailer's own JSON transport: the real message pipeline, with no network.
  const sent: string[] = [];
  let bounced = false;
  const json = nodemailer.createTransport({ jsonTransport: true });
  const transport = {
    sendMail: async (message: SendMailOptions) => {
      if (message.to === "b@example.test" && !bounced) {
        bounced = true;
        throw new Error("mailbox unavailable");
      }
      const info = await json.sendMail(message);
      sent.push(JSON.parse(String(info.message)).to[0].address);
      return info;
    },
  } as unknown as Transporter;

  expect(await deliverPendingEmails({ db, transport, from: "Shafaf <no-reply@shafaf.test>" })).toEqual({
    sent: 1,
    failed: 1,
  });
  const rows = await db.select().from(emailOutbox).orderBy(emailOutbox.toAddress);
  expect(rows.map((r) => [r.toAddress, r.sentAt !== null, r.lastError])).toEqual([
    ["a@example.test", true, null],
    ["b@example.test", false, "mailbox unavailable"],
  ]);
  expect(await deliverPendingEmails({ db, transport, from: "Shafaf <no-reply@shafaf.test>" })).toEqual({
    sent: 1,
    failed: 0,
  });
  expect(sent).toEqual(["a@example.test", "b@example.test"]);
  expect(await deliverPendingEmails({ db, transport, from: "x@y.test" })).toEqual({ sent: 0, failed: 0 });
});
