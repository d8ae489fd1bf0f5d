// Stripe webhook: verify the signature over the raw body, then apply the event exactly once.
// A caller whose forged signatures spent the window's limit (shared by every instance in
// PostgreSQL) gets 429 before its body is read; Stripe's own deliveries always verify.
import { db } from "@/lib/db/client";
import { clientIp, jsonError } from "@/lib/http/request";
import { applyStripeEvent } from "@/lib/payments/events";
import { stripeClient, verifyWebhook } from "@/lib/payments/stripe";
import { getSecrets } from "@/lib/secrets";
import { checkRateLimit, takeRateLimit } from "@/lib/security/rate-limit";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const secrets = await getSecrets();
  // Not configured: this instance has no Stripe endpoint (Stripe retries any non-2xx answer).
  if (!secrets.stripeWebhookSecret)
    return jsonError(404, "STRIPE_NOT_CONFIGURED", "Stripe webhooks are not configured on this instance.");
  const ip = clientIp(request.headers) ?? "unknown";
  const limit = await checkRateLimit(db(), "stripe-webhook-bad-signature-ip", ip);
  if (!limit.ok) {
    const response = jsonError(429, "RATE_LIMITED", "Too many requests with an invalid Stripe signature.");
    response.headers.set("retry-after", String(limit.retryAfterSeconds));
    return response;
  }
  const refuse = async (code: string, message: string) => {
    await takeRateLimit(db(), "stripe-webhook-bad-signature-ip", ip);
    return jsonError(400, code, message);
  };
  const signature = request.headers.get("stripe-signature");
  if (!signature) return refuse("SIGNATURE_MISSING", "Missing Stripe-Signature header.");
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
    return refuse("SIGNATURE_INVALID", "The Stripe signature does not match.");
  }
  const result = await applyStripeEvent(db(), event);
  return Response.json({ received: true, ...result });
}
