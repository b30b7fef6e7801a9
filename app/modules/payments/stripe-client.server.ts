import Stripe from "stripe";
import type { Env } from "#app/utils/env.server.ts";

/**
 * The Stripe SDK configured from the environment, or null when card payments
 * are off. STRIPE_API_URL points it elsewhere (a local fake in tests, an
 * egress proxy); the SDK's own retries handle a dropped connection (it sends
 * an idempotency key with every retried POST; ours go with every call).
 */
export interface CardPayments {
  stripe: Stripe;
  webhookSecret: string;
}

const clients = new WeakMap<Env, CardPayments | null>();

export function cardPaymentsFrom(env: Env): CardPayments | null {
  if (clients.has(env)) return clients.get(env)!;
  let result: CardPayments | null = null;
  if (env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET) {
    const api = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : null;
    result = {
      stripe: new Stripe(env.STRIPE_SECRET_KEY, {
        telemetry: false,
        timeout: 10_000,
        maxNetworkRetries: 2,
        appInfo: { name: "Shafaf" },
        ...(api
          ? {
              host: api.hostname,
              port: Number(api.port || (api.protocol === "https:" ? 443 : 80)),
              protocol: api.protocol === "https:" ? "https" : "http",
            }
          : {}),
      }),
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    };
  }
  clients.set(env, result);
  return result;
}

/** Stripe names currencies in lower case. */
export const stripeCurrency = (currency: string) => currency.toLowerCase();

/**
 * Stripe takes three-decimal currencies (KWD, BHD, JOD, OMR, TND) in
 * thousandths but only in multiples of ten; anything else in its minor units.
 */
export function cardAmountAllowed(amount: bigint, currency: string): boolean {
  const threeDecimals = ["KWD", "BHD", "JOD", "OMR", "TND"].includes(currency);
  return amount > 0n && amount <= 99_999_999n && (!threeDecimals || amount % 10n === 0n);
}
