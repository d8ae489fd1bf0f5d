"use server";

// Server actions of the wallet: request a withdrawal (objectAction: the form calls it with an
// object and keeps its idempotency key), cancel one or have its confirmation link mailed again,
// and confirm one with the emailed link (formAction); all in app/_lib/form-action.ts. Session
// and CUSTOMER role are checked first; the owner is always the signed-in user, never an id from
// the form. Confirming needs no session: the link is the proof, and its token arrives as a
// hidden field of a POST form, so opening the link (or a mail scanner prefetching it) changes
// nothing. The cores (lib/wallet/withdrawal-request.ts, withdrawal-confirmation.ts,
// withdrawal-transitions.ts) run each in one transaction with its journal and audit.
import { z } from "zod";
import { asResult, doneState, formAction, objectAction, revalidate } from "@/app/_lib/form-action";
import { formatCoinAmount } from "@/components/format";
import type { WithdrawalRequestAnswer } from "@/components/wallet/withdrawal-types";
import { db } from "@/lib/db/client";
import { confirmWithdrawalByLink, resendWithdrawalLink } from "@/lib/wallet/withdrawal-confirmation";
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
    const next = w.awaitingEmailConfirmation
      ? "We emailed you a link to confirm it: nothing is sent until you use it, and it is cancelled if you do not within 30 minutes."
      : w.status === "REQUESTED"
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

export const resendWithdrawalLinkAction = formAction({
  role: "CUSTOMER",
  path: PATH,
  schema: z.object({ withdrawalId: z.string() }),
  run: ({ user, ip, input }) => resendWithdrawalLink(db(), { userId: user.id, withdrawalId: input.withdrawalId, ip }),
  done: {
    revalidate: PATH,
    message: `We sent a new confirmation link to your email. It works for 30 minutes; the older link no longer works.`,
  },
});

const linkToken = z.string().trim().min(1, "This link is incomplete: open it again from the email.").max(100);

export const confirmWithdrawalAction = formAction({
  role: "ANYONE",
  path: "/wallet/withdrawals/confirm",
  schema: z.object({ token: linkToken }),
  run: ({ input, ip }) => confirmWithdrawalByLink(db(), { token: input.token, ip }),
  // No revalidation: the link page would render again with its token used and replace this
  // answer with "no longer valid"; the wallet page is rendered fresh on every visit anyway.
  done: {
    message: (result) =>
      result.withdrawal.status === "APPROVED"
        ? "Withdrawal confirmed and approved: it will be sent shortly. We email you when it is on its way."
        : "Withdrawal confirmed: it now waits for a review by our team. We email you when it is approved or rejected.",
  },
});
