"use server";

// The operator's payout account and payout requests: one core call each (lib/operator/payouts.ts),
// the identity from the session. The payout form carries an Idempotency-Key drawn when the page
// was rendered, so a double submit (two clicks, a resent form) is one payout. Both check a fresh
// TOTP code in their core (where the money goes, and that it goes).
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { movePayableToWallet } from "@/lib/operator/payable-transfer";
import { linkPayoutAccount, requestOperatorPayout } from "@/lib/operator/payouts";
import { connectPayments } from "@/lib/payments/config";
import { decimalText } from "@/lib/shared/decimal";
import { refuse } from "@/lib/shared/result";
import { usdCents } from "@/lib/shared/usd";

const PATH = "/operator/payable";
const text = z.string().catch("");

export const requestPayoutAction = formAction({
  role: "OPERATOR",
  path: PATH,
  schema: z.object({ amount: text, totpCode: text, idempotencyKey: text }),
  secret: ["totpCode"],
  run: ({ user, ip, input: { idempotencyKey, ...body } }) =>
    requestOperatorPayout(db(), { operatorId: user.id, idempotencyKey: idempotencyKey || null, body, ip }),
  done: {
    revalidate: PATH,
    message: ({ payout, replayed }) => {
      const amount = usdCents(BigInt(payout.amountMicroUsd));
      if (replayed) return `This payout of ${amount} was already requested: nothing more was taken.`;
      const next =
        payout.status === "IN_REVIEW"
          ? "It waits for a review by our team."
          : "It is approved and will be sent through Stripe shortly.";
      return `Payout of ${amount} to bank account ••${payout.bankLast4} requested. ${next}`;
    },
  },
});

export const linkPayoutAccountAction = formAction({
  role: "OPERATOR",
  path: PATH,
  schema: z.object({ stripeAccountId: text, totpCode: text }),
  secret: ["totpCode"],
  run: async ({ user, ip, input }) => {
    const stripe = await connectPayments();
    if (!stripe) {
      return refuse(
        "PAYOUTS_UNAVAILABLE",
        "Bank payouts are not available on this platform right now: your payable stays yours meanwhile.",
      );
    }
    return linkPayoutAccount(db(), stripe, { operatorId: user.id, body: input, ip });
  },
  // The section shows the payout form once an account is linked: the notice comes with the page.
  done: { revalidate: PATH, redirect: `${PATH}?notice=payout-account-linked#payout` },
});

export const movePayableToWalletAction = formAction({
  role: "OPERATOR",
  path: PATH,
  schema: z.object({ asset: text, amount: text }),
  run: ({ user, ip, input }) => movePayableToWallet(db(), { operatorId: user.id, ...input, ip }),
  done: {
    revalidate: [PATH, "/wallet"],
    message: ({ amountBase, decimals, asset }) =>
      `Moved ${decimalText(amountBase, decimals)} ${asset} to your wallet: withdraw it from there.`,
  },
});
