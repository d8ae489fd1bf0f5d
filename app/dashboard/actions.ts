"use server";

// A card checkout the customer has not paid, from the dashboard: resume it (openCheckout finds
// the open session again, or says it closed) or give it up (cancelCheckout: closed at Stripe
// first, then the capacity released, audited as the customer's). Both as formAction.
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { cancelCheckout, openCheckout } from "@/lib/contracts/service";
import { db } from "@/lib/db/client";
import { requestOriginOfAction } from "@/lib/http/next";
import { cardPayments } from "@/lib/payments/config";

const checkoutSchema = z.object({ contractId: z.uuid("This checkout was not found.") });

export const resumeCheckoutAction = formAction({
  role: "CUSTOMER",
  path: "/dashboard",
  schema: checkoutSchema,
  run: async ({ user, input }) =>
    openCheckout(
      { prisma: db(), user, card: await cardPayments(), origin: await requestOriginOfAction() },
      input.contractId,
    ),
  done: { redirect: (checkout) => checkout.url },
});

export const cancelCheckoutAction = formAction({
  role: "CUSTOMER",
  path: "/dashboard",
  schema: checkoutSchema,
  run: async ({ user, ip, input }) =>
    cancelCheckout({ prisma: db(), user, card: await cardPayments(), ip }, input.contractId),
  done: { revalidate: "/dashboard", redirect: "/dashboard?checkout=cancelled#checkouts" },
});
