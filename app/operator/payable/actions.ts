"use server";

// The operator's payout request: one core call (lib/operator/payouts.ts), the identity from the
// session. The form carries an Idempotency-Key drawn when the page was rendered, so a double
// submit (two clicks, a resent form) is one payout.
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { requestOperatorPayout } from "@/lib/operator/payouts";
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
