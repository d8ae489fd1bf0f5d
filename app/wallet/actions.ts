"use server";

// Server actions of the wallet: request a withdrawal (objectAction: the form calls it with an
// object and keeps its idempotency key), cancel one (formAction); both in
// app/_lib/form-action.ts. Session and CUSTOMER role are checked first; the owner is always
// the signed-in user, never an id from the form. The core (lib/wallet/withdrawal-request.ts,
// withdrawal-transitions.ts) runs each in one transaction with its journal and audit.
import { z } from "zod";
import { asResult, doneState, formAction, objectAction, revalidate } from "@/app/_lib/form-action";
import { formatCoinAmount } from "@/components/format";
import type { WithdrawalRequestAnswer } from "@/components/wallet/withdrawal-types";
import { db } from "@/lib/db/client";
import { requestWithdrawal } from "@/lib/wallet/withdrawal-request";
import { cancelWithdrawal } from "@/lib/wallet/withdrawal-transitions";

const PATH = "/wallet";
/** Whatever the client sent, as text (the core validates the body). */
const text = z.string().catch("");

export const requestWithdrawalAction = objectAction({
  role: "CUSTOMER",
  path: PATH,
  schema: z.object({ coin: text, addressId: text, amount: text, totpCode: text, idempotencyKey: text }),
  run: ({ user, ip, input: { idempotencyKey, ...body } }) =>
    asResult(requestWithdrawal(db(), { userId: user.id, idempotencyKey: idempotencyKey || null, body, ip })),
  done: async (outcome): Promise<WithdrawalRequestAnswer> => {
    revalidate(PATH);
    const w = outcome.withdrawal;
    const coin = await db().coin.findUniqueOrThrow({ where: { asset: w.coin }, select: { decimals: true } });
    const amount = `${formatCoinAmount(BigInt(w.amountBase), coin.decimals, { maxDecimals: coin.decimals })} ${w.coin}`;
    const net = `${formatCoinAmount(BigInt(w.netBase), coin.decimals, { maxDecimals: coin.decimals })} ${w.coin}`;
    const next =
      w.status === "REQUESTED"
        ? "It waits for a review by our team; you can cancel it until then."
        : "It is approved and will be sent shortly.";
    return doneState(
      outcome.replayed
        ? `This withdrawal of ${amount} was already requested (another tab or an earlier attempt): nothing more was taken. See its state below.`
        : `Withdrawal of ${amount} requested: ${net} will arrive at ${w.address}. ${next}`,
      { replayed: outcome.replayed },
    );
  },
});

export const cancelWithdrawalAction = formAction({
  role: "CUSTOMER",
  path: PATH,
  schema: z.object({ withdrawalId: z.string() }),
  run: ({ user, ip, input }) => cancelWithdrawal(db(), { userId: user.id, withdrawalId: input.withdrawalId, ip }),
  done: { revalidate: PATH, message: "Cancelled: the amount is back in your available balance." },
});
