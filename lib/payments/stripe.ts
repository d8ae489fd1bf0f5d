// Stripe, through the official SDK. STRIPE_API_BASE (e.g. http://127.0.0.1:12111) points the
// SDK at another endpoint — the tests' local stand-in of the API; unset, it talks to Stripe.
import Stripe from "stripe";

export type { Stripe };

export function stripeClient(secretKey: string, apiBase = process.env.STRIPE_API_BASE): Stripe {
  const base = apiBase ? new URL(apiBase) : null;
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 15_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
          protocol: base.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

export interface CheckoutRequest {
  contractId: string;
  cents: bigint;
  productName: string;
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  /** Stripe requires at least 30 minutes from creation. */
  expiresAt: Date;
}

/** Creates (or, for the same contract, returns again: Stripe idempotency) the Checkout Session. */
export async function createCheckoutSession(
  stripe: Stripe,
  request: CheckoutRequest,
): Promise<{ id: string; url: string }> {
  const session = await stripe.checkout.sessions.create(
    {
      mode: "payment",
      client_reference_id: request.contractId,
      customer_email: request.customerEmail,
      metadata: { contractId: request.contractId },
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "usd",
            unit_amount: Number(request.cents),
            product_data: { name: request.productName },
          },
        },
      ],
      expires_at: Math.floor(request.expiresAt.getTime() / 1000),
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
    },
    { idempotencyKey: `checkout-${request.contractId}` },
  );
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  return { id: session.id, url: session.url };
}

export async function checkoutSessionUrl(stripe: Stripe, sessionId: string): Promise<string | null> {
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  return session.status === "open" ? session.url : null;
}

/**
 * Closes an open Checkout Session so it can no longer be paid (the customer gave it up): "expired"
 * once it cannot be paid (it was open, or had expired already), "complete" if it was paid meanwhile
 * (its webhook event activates the contract).
 */
export async function expireCheckoutSession(stripe: Stripe, sessionId: string): Promise<"expired" | "complete"> {
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  if (session.status === "complete") return "complete";
  if (session.status === "open") await stripe.checkout.sessions.expire(sessionId);
  return "expired";
}

/** Verifies the Stripe-Signature header over the raw body; throws on any mismatch. */
export function verifyWebhook(stripe: Stripe, rawBody: string, signature: string, secret: string): Stripe.Event {
  return stripe.webhooks.constructEvent(rawBody, signature, secret);
}
