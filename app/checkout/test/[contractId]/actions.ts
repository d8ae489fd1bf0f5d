"use server";

// Test-mode checkout (HASHLEASE_TEST_CHECKOUT=1 and no Stripe key, lib/payments/config.ts): "paying" sends the same
// checkout.session.completed event through the same code path as Stripe's webhook. Buttons,
// not forms: no state, every outcome is a redirect. The first step is formAction's own
// (app/_lib/form-action.ts `authenticate`: session and CUSTOMER role), then the contract id
// from the form is parsed with zod.
import { redirect } from "next/navigation";
import { z } from "zod";
import { authenticate } from "@/app/_lib/form-action";
import { releaseCheckout } from "@/lib/contracts/checkout";
import { newEventId } from "@/lib/contracts/service";
import { db } from "@/lib/db/client";
import { cardPayments } from "@/lib/payments/config";
import { applyStripeEvent } from "@/lib/payments/events";

const contractIdSchema = z.uuid();

async function ownPendingTestContract(formData: unknown) {
  const user = await authenticate("CUSTOMER", "/dashboard");
  // The argument is whatever the request sent: only the page's own form is a FormData.
  const id = contractIdSchema.safeParse(formData instanceof FormData ? formData.get("contractId") : null);
  if (!id.success || (await cardPayments()) !== "test") redirect("/dashboard");
  const contract = await db().contract.findFirst({ where: { id: id.data, customerId: user.id } });
  if (!contract?.stripeCheckoutSessionId || contract.chargedCents === null) redirect("/dashboard");
  return contract;
}

export async function payTestCheckout(formData: FormData) {
  const contract = await ownPendingTestContract(formData);
  await applyStripeEvent(db(), {
    id: newEventId(),
    type: "checkout.session.completed",
    data: {
      object: {
        id: contract.stripeCheckoutSessionId,
        payment_status: "paid",
        amount_total: Number(contract.chargedCents),
      },
    },
  });
  redirect(`/dashboard?purchased=${contract.id}`);
}

export async function cancelTestCheckout(formData: FormData) {
  const contract = await ownPendingTestContract(formData);
  await db().$transaction((tx) =>
    releaseCheckout(tx, { sessionId: contract.stripeCheckoutSessionId!, reason: "CANCELLED", eventId: newEventId() }),
  );
  redirect(`/marketplace/${contract.listingId}?checkout=cancelled`);
}
