// How card payments are taken on this instance (DESIGN.md "Payments"): Stripe Checkout when a
// Stripe secret key is configured; the clearly marked test-mode checkout (a button that marks
// the contract paid) only where HASHLEASE_TEST_CHECKOUT=1 says so explicitly (the embedded demo
// of `npm start` and the e2e server set it); otherwise none. A deployment that forgot its Stripe
// key therefore takes no card payments at all: the card option is not offered and the purchase
// is refused with CARD_PAYMENTS_UNAVAILABLE, so a contract can never be "paid" by nothing.
import { getSecrets } from "../secrets";
import { stripeClient, type Stripe } from "./stripe";

/** A Stripe client, the test-mode checkout, or null: no card payments. */
export type CardPayments = Stripe | "test" | null;

export const TEST_CHECKOUT_FLAG = "HASHLEASE_TEST_CHECKOUT";

export function testCheckoutAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[TEST_CHECKOUT_FLAG] === "1";
}

export async function cardPayments(): Promise<CardPayments> {
  const secrets = await getSecrets();
  if (secrets.stripeSecretKey) return stripeClient(secrets.stripeSecretKey);
  return testCheckoutAllowed() ? "test" : null;
}

/** "stripe", "test" or "off": what a page may tell the customer about paying by card. */
export function cardPaymentsMode(card: CardPayments): "stripe" | "test" | "off" {
  return card === null ? "off" : card === "test" ? "test" : "stripe";
}

export const CARD_PAYMENTS_UNAVAILABLE_MESSAGE =
  "Card payments are not available on this platform right now. Pay from your USD or coin balance instead.";

/** Where the local Stripe Connect stand-in listens (lib/payments/stripe-standin.ts); set by `npm start`'s demo. */
export const CONNECT_STANDIN_URL_ENV = "HASHLEASE_STRIPE_CONNECT_STANDIN_URL";

/**
 * Stripe Connect for operator payouts (lib/operator/payouts.ts): the Stripe client when a secret
 * key is configured; otherwise, only where the test-mode checkout is allowed and the demo started
 * the local stand-in of Stripe's Connect API, a client pointed at it; otherwise null: operators
 * can see their payable but not link a bank account, and approved payouts wait.
 */
export async function connectPayments(env: NodeJS.ProcessEnv = process.env): Promise<Stripe | null> {
  const secrets = await getSecrets();
  if (secrets.stripeSecretKey) return stripeClient(secrets.stripeSecretKey);
  const standin = env[CONNECT_STANDIN_URL_ENV];
  return standin && testCheckoutAllowed(env) ? stripeClient("sk_test_hashlease_standin", standin) : null;
}
