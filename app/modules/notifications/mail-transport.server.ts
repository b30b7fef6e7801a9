import nodemailer, { type Transporter } from "nodemailer";
import type { Env } from "#app/utils/env.server.ts";

let transport: Transporter | undefined;

/** The SMTP transport, or null when SMTP_URL is unset (messages then stay in the outbox). */
export function mailTransport(env: Pick<Env, "SMTP_URL">): Transporter | null {
  if (!env.SMTP_URL) return null;
  transport ??= nodemailer.createTransport(env.SMTP_URL);
  return transport;
}
