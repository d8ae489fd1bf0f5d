"use server";

// Admin actions on withdrawals and accounts. Each: check the session and the ADMIN role ->
// one core function (one transaction with its journal and audit line, actor = this admin)
// -> revalidate. Refusals (illegal transition, missing reason, bad txid) come back as state.
import { revalidatePath } from "next/cache";
import type { RowActionState } from "@/components/wallet/withdrawal-types";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { freezeAccount, unfreezeAccount, type FreezeResult } from "@/lib/admin/accounts";
import {
  approveWithdrawal,
  markWithdrawalConfirmed,
  markWithdrawalSent,
  rejectWithdrawal,
  type TransitionResult,
} from "@/lib/wallet/withdrawal-transitions";
import { requestIp } from "@/lib/http/next";

const PATH = "/admin/withdrawals";

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

function answer(result: TransitionResult | FreezeResult, done: string): RowActionState {
  if (!result.ok) return { status: "error", message: result.message };
  revalidatePath(PATH);
  revalidatePath("/admin");
  return { status: "done", message: done };
}

export async function approveWithdrawalAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const admin = await requireRole("ADMIN", PATH);
  const result = await approveWithdrawal(db(), { adminId: admin.id, withdrawalId: text(formData, "withdrawalId"), ip: await requestIp() });
  return answer(result, "Approved: it is now in the queue to send.");
}

export async function rejectWithdrawalAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const admin = await requireRole("ADMIN", PATH);
  const result = await rejectWithdrawal(db(), {
    adminId: admin.id,
    withdrawalId: text(formData, "withdrawalId"),
    reason: text(formData, "reason"),
    ip: await requestIp(),
  });
  return answer(result, "Rejected: the held amount is back in the customer's available balance.");
}

export async function markSentAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const admin = await requireRole("ADMIN", PATH);
  const result = await markWithdrawalSent(db(), {
    by: { adminId: admin.id },
    withdrawalId: text(formData, "withdrawalId"),
    txid: text(formData, "txid"),
    ip: await requestIp(),
  });
  return answer(result, "Marked sent.");
}

export async function markConfirmedAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const admin = await requireRole("ADMIN", PATH);
  const result = await markWithdrawalConfirmed(db(), { adminId: admin.id, withdrawalId: text(formData, "withdrawalId"), ip: await requestIp() });
  return answer(result, "Marked confirmed.");
}

export async function freezeAccountAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const admin = await requireRole("ADMIN", PATH);
  let userId = text(formData, "userId");
  const email = text(formData, "email").trim().toLowerCase();
  if (!userId) {
    if (!email) return { status: "error", message: "Enter the account's email address." };
    const user = await db().user.findUnique({ where: { email }, select: { id: true } });
    if (!user) return { status: "error", message: `No account with the email ${email}.` };
    userId = user.id;
  }
  const result = await freezeAccount(db(), { adminId: admin.id, userId, reason: text(formData, "reason"), ip: await requestIp() });
  return answer(result, "Account frozen: it cannot sign in or request withdrawals, and its approved withdrawals are held back.");
}

export async function unfreezeAccountAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const admin = await requireRole("ADMIN", PATH);
  const result = await unfreezeAccount(db(), { adminId: admin.id, userId: text(formData, "userId"), ip: await requestIp() });
  return answer(result, "Account unfrozen.");
}
