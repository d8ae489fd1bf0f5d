"use server";
// Test-mode checkout (no Stripe keys configured): "paying" sends the same
// checkout.session.completed event through the same code path as Stripe's webhook.
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { releaseCheckout } from "@/lib/contracts/checkout";
import { newEventId } from "@/lib/contracts/service";
import { db } from "@/lib/db/client";
import { applyStripeEvent } from "@/lib/payments/events";
import { configuredStripe } from "@/lib/payments/config";

const contractIdSchema = z.uuid();

async function ownPendingTestContract(rawId: unknown) {
  const user = await requireRole("CUSTOMER", "/dashboard");
  const id = contractIdSchema.safeParse(rawId);
  if (!id.success || (await configuredStripe())) redirect("/dashboard");
  const contract = await db().contract.findFirst({ where: { id: id.data, customerId: user.id } });
  if (!contract?.stripeCheckoutSessionId || contract.chargedCents === null) redirect("/dashboard");
  return contract;
}

export async function payTestCheckout(formData: FormData) {
  const contract = await ownPendingTestContract(formData.get("contractId"));
  await applyStripeEvent(db(), {
    id: newEventId(),
    type: "checkout.session.completed",
    data: { object: { id: contract.stripeCheckoutSessionId, payment_status: "paid", amount_total: Number(contract.chargedCents) } },
  });
  redirect(`/dashboard?purchased=${contract.id}`);
}

export async function cancelTestCheckout(formData: FormData) {
  const contract = await ownPendingTestContract(formData.get("contractId"));
  await db().$transaction((tx) =>
    releaseCheckout(tx, { sessionId: contract.stripeCheckoutSessionId!, reason: "CANCELLED", eventId: newEventId() }),
  );
  redirect(`/marketplace/${contract.listingId}?checkout=cancelled`);
}
