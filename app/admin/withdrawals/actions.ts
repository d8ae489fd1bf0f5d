"use server";

// Admin actions on withdrawals and accounts, each one formAction (app/_lib/form-action.ts):
// check the session and the ADMIN role -> one core function (one transaction with its journal
// and audit line, actor = this admin) -> revalidate. Refusals (illegal transition, missing
// reason, bad txid) come back as state.
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { freezeAccount, unfreezeAccount } from "@/lib/admin/accounts";
import { db } from "@/lib/db/client";
import { reviewOperatorPayout } from "@/lib/operator/payouts";
import { refuse } from "@/lib/shared/result";
import {
  approveWithdrawal,
  markWithdrawalConfirmed,
  markWithdrawalSent,
  rejectWithdrawal,
} from "@/lib/wallet/withdrawal-transitions";

const PATH = "/admin/withdrawals";
const REVALIDATE = [PATH, "/admin"];
const withdrawal = { withdrawalId: z.string() };

export const approveWithdrawalAction = formAction({
  role: "ADMIN",
  twoFactor: "approve withdrawals",
  path: PATH,
  schema: z.object(withdrawal),
  run: ({ user, ip, input }) => approveWithdrawal(db(), { adminId: user.id, withdrawalId: input.withdrawalId, ip }),
  done: { revalidate: REVALIDATE, message: "Approved: it is now in the queue to send." },
});

export const rejectWithdrawalAction = formAction({
  role: "ADMIN",
  twoFactor: "reject withdrawals",
  path: PATH,
  schema: z.object({ ...withdrawal, reason: z.string() }),
  run: ({ user, ip, input }) =>
    rejectWithdrawal(db(), { adminId: user.id, withdrawalId: input.withdrawalId, reason: input.reason, ip }),
  done: { revalidate: REVALIDATE, message: "Rejected: the held amount is back in the customer's available balance." },
});

export const markSentAction = formAction({
  role: "ADMIN",
  twoFactor: "mark withdrawals sent",
  path: PATH,
  schema: z.object({ ...withdrawal, txid: z.string() }),
  run: ({ user, ip, input }) =>
    markWithdrawalSent(db(), { by: { adminId: user.id }, withdrawalId: input.withdrawalId, txid: input.txid, ip }),
  done: { revalidate: REVALIDATE, message: "Marked sent." },
});

export const markConfirmedAction = formAction({
  role: "ADMIN",
  twoFactor: "mark withdrawals confirmed",
  path: PATH,
  schema: z.object(withdrawal),
  run: ({ user, ip, input }) =>
    markWithdrawalConfirmed(db(), { adminId: user.id, withdrawalId: input.withdrawalId, ip }),
  done: { revalidate: REVALIDATE, message: "Marked confirmed." },
});

const operatorPayout = { payoutId: z.string().uuid("Choose a payout from the list.") };

export const approveOperatorPayoutAction = formAction({
  role: "ADMIN",
  twoFactor: "approve operator payouts",
  path: PATH,
  schema: z.object(operatorPayout),
  run: ({ user, ip, input }) =>
    reviewOperatorPayout(db(), { adminId: user.id, payoutId: input.payoutId, decision: "approve", ip }),
  // The card leaves the review list: the notice comes with the page.
  done: { revalidate: REVALIDATE, redirect: `${PATH}?notice=operator-payout-approved#operator-payouts` },
});

export const rejectOperatorPayoutAction = formAction({
  role: "ADMIN",
  twoFactor: "reject operator payouts",
  path: PATH,
  schema: z.object({ ...operatorPayout, reason: z.string().catch("") }),
  run: ({ user, ip, input }) =>
    reviewOperatorPayout(db(), {
      adminId: user.id,
      payoutId: input.payoutId,
      decision: "reject",
      reason: input.reason,
      ip,
    }),
  done: { revalidate: REVALIDATE, redirect: `${PATH}?notice=operator-payout-rejected#operator-payouts` },
});

/** The account to freeze: its id from a row, or the email typed into the form. */
async function accountId(input: {
  userId: string;
  email: string;
}): Promise<{ ok: true; userId: string } | ReturnType<typeof refuse>> {
  if (input.userId) return { ok: true, userId: input.userId };
  const email = input.email.trim().toLowerCase();
  if (!email) return refuse("INVALID", "Enter the account's email address.");
  const user = await db().user.findUnique({ where: { email }, select: { id: true } });
  return user ? { ok: true, userId: user.id } : refuse("NOT_FOUND", `No account with the email ${email}.`);
}

export const freezeAccountAction = formAction({
  role: "ADMIN",
  twoFactor: "freeze accounts",
  path: PATH,
  schema: z.object({ userId: z.string(), email: z.string(), reason: z.string() }),
  run: async ({ user, ip, input }) => {
    const account = await accountId(input);
    return account.ok
      ? freezeAccount(db(), { adminId: user.id, userId: account.userId, reason: input.reason, ip })
      : account;
  },
  done: {
    revalidate: REVALIDATE,
    message: "Account frozen: it cannot sign in or request withdrawals, and its approved withdrawals are held back.",
  },
});

export const unfreezeAccountAction = formAction({
  role: "ADMIN",
  twoFactor: "unfreeze accounts",
  path: PATH,
  schema: z.object({ userId: z.string() }),
  run: ({ user, ip, input }) => unfreezeAccount(db(), { adminId: user.id, userId: input.userId, ip }),
  done: { revalidate: REVALIDATE, message: "Account unfrozen." },
});
