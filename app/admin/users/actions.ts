"use server";

// Freeze and unfreeze from the user view, as formAction (app/_lib/form-action.ts): the same core
// functions as the withdrawals page (one transaction with its audit line, actor = this admin),
// revalidating this user's page.
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { freezeAccount, liftWithdrawalsFreeze, unfreezeAccount } from "@/lib/admin/accounts";
import { db } from "@/lib/db/client";

const userPath = (formData: FormData) => `/admin/users/${formData.get("userId") ?? ""}`;
const revalidate = (_done: unknown, _args: unknown, { input }: { input: { userId: string } }) => [
  `/admin/users/${input.userId}`,
  "/admin/users",
  "/admin/withdrawals",
  "/admin",
];

export const freezeUserAction = formAction({
  role: "ADMIN",
  twoFactor: "freeze accounts",
  path: "/admin/users",
  pathOf: userPath,
  schema: z.object({ userId: z.string(), reason: z.string() }),
  run: ({ user, ip, input }) =>
    freezeAccount(db(), { adminId: user.id, userId: input.userId, reason: input.reason, ip }),
  done: {
    revalidate,
    message: "Account frozen: it cannot sign in or request withdrawals, and its approved withdrawals are held back.",
  },
});

export const unfreezeUserAction = formAction({
  role: "ADMIN",
  twoFactor: "unfreeze accounts",
  path: "/admin/users",
  pathOf: userPath,
  schema: z.object({ userId: z.string() }),
  run: ({ user, ip, input }) => unfreezeAccount(db(), { adminId: user.id, userId: input.userId, ip }),
  done: { revalidate, message: "Account unfrozen." },
});

export const liftWithdrawalsFreezeAction = formAction({
  role: "ADMIN",
  twoFactor: "lift withdrawal freezes",
  path: "/admin/users",
  pathOf: userPath,
  schema: z.object({ userId: z.string(), note: z.string() }),
  run: ({ user, ip, input }) =>
    liftWithdrawalsFreeze(db(), { adminId: user.id, userId: input.userId, note: input.note, ip }),
  done: { revalidate, message: "Withdrawals freeze lifted: the customer can request withdrawals again." },
});
