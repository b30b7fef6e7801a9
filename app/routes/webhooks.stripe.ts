import { stripeEventsJob } from "#app/modules/jobs/registry.server.ts";
import { cardPaymentsFrom } from "#app/modules/payments/stripe-client.server.ts";
import { receiveStripeWebhook } from "#app/modules/payments/sync-stripe.server.ts";
import { requestContext, servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import type { Route } from "./+types/webhooks.stripe";

/**
 * POST /webhooks/stripe: verify the signature on the raw body, record the
 * event once, nudge the job that applies it, answer 200 at once. A duplicate
 * is acknowledged (200) and ignored; a bad signature or stale timestamp is a
 * 400 and leaves nothing behind.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const { env, database, jobs } = context.get(servicesContext);
  const card = cardPaymentsFrom(env);
  if (!card) return Response.json({ error: "card payments are not configured" }, { status: 404 });
  try {
    const rawBody = Buffer.from(await request.arrayBuffer());
    const result = await receiveStripeWebhook(
      { rawBody, signature: request.headers.get("stripe-signature") },
      { db: database.db, card },
    );
    if (!result.duplicate)
      await jobs
        .send(stripeEventsJob, {})
        .catch((e) => context.get(requestContext).log.warn({ err: e }, "nudge failed"));
    return Response.json({ received: true, duplicate: result.duplicate });
  } catch (e) {
    if (isAppError(e)) return Response.json({ error: e.code }, { status: e.status });
    throw e;
  }
}

export function loader() {
  return new Response(null, { status: 405, headers: { Allow: "POST" } });
}
