import { getSecrets } from "../secrets";
import { stripeClient, type Stripe } from "./stripe";

/** The Stripe client when keys are configured; null selects the test-mode checkout. */
export async function configuredStripe(): Promise<Stripe | null> {
  const secrets = await getSecrets();
  return secrets.stripeSecretKey ? stripeClient(secrets.stripeSecretKey) : null;
}
