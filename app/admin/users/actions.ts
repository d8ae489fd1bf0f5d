"use server";

// Freeze and unfreeze from the user view: the same core functions as the withdrawals page
// (one transaction with its audit line, actor = this admin), revalidating this user's page.
import { revalidatePath } from "next/cache";
import type { RowActionState } from "@/components/wallet/withdrawal-types";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { freezeAccount, unfreezeAccount, type FreezeResult } from "@/lib/admin/accounts";
import { requestIp } from "@/lib/http/next";

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

function answer(result: FreezeResult, userId: string, done: string): RowActionState {
  if (!result.ok) return { status: "error", message: result.message };
  revalidatePath(`/admin/users/${userId}`);
  revalidatePath("/admin/users");
  revalidatePath("/admin/withdrawals");
  revalidatePath("/admin");
  return { status: "done", message: done };
}

export async function freezeUserAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const userId = text(formData, "userId");
  const admin = await requireRole("ADMIN", `/admin/users/${userId}`);
  const result = await freezeAccount(db(), { adminId: admin.id, userId, reason: text(formData, "reason"), ip: await requestIp() });
  return answer(result, userId, "Account frozen: it cannot sign in or request withdrawals, and its approved withdrawals are held back.");
}

export async function unfreezeUserAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const userId = text(formData, "userId");
  const admin = await requireRole("ADMIN", `/admin/users/${userId}`);
  const result = await unfreezeAccount(db(), { adminId: admin.id, userId, ip: await requestIp() });
  return answer(result, userId, "Account unfrozen.");
}
