// Stripe webhook: verify the signature over the raw body, then apply the event exactly once.
import { db } from "@/lib/db/client";
import { jsonError } from "@/lib/http/request";
import { applyStripeEvent } from "@/lib/payments/events";
import { stripeClient, verifyWebhook } from "@/lib/payments/stripe";
import { getSecrets } from "@/lib/secrets";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const secrets = await getSecrets();
  // Not configured: this instance has no Stripe endpoint (Stripe retries any non-2xx answer).
  if (!secrets.stripeWebhookSecret)
    return jsonError(404, "STRIPE_NOT_CONFIGURED", "Stripe webhooks are not configured on this instance.");
  const signature = request.headers.get("stripe-signature");
  if (!signature) return jsonError(400, "SIGNATURE_MISSING", "Missing Stripe-Signature header.");
  const rawBody = await request.text();
  let event;
  try {
    event = verifyWebhook(
      stripeClient(secrets.stripeSecretKey ?? "sk_unused"),
      rawBody,
      signature,
      secrets.stripeWebhookSecret,
    );
  } catch {
    return jsonError(400, "SIGNATURE_INVALID", "The Stripe signature does not match.");
  }
  const result = await applyStripeEvent(db(), event);
  return Response.json({ received: true, ...result });
}
