"use server";

// Run the ledger reconciliation now (the scheduled job also runs it hourly). Admin only; the
// run and its audit line name the admin.
import { revalidatePath } from "next/cache";
import type { RowActionState } from "@/components/wallet/withdrawal-types";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { reconcileLedgerAsAdmin } from "@/lib/ledger/reconciliation";
import { requestIp } from "@/lib/http/next";

export async function reconcileNowAction(_state: RowActionState): Promise<RowActionState> {
  const admin = await requireRole("ADMIN", "/admin/ledger");
  const result = await reconcileLedgerAsAdmin(db(), { adminId: admin.id, ip: await requestIp() });
  if (!result.ok) return { status: "error", message: result.message };
  revalidatePath("/admin/ledger");
  revalidatePath("/admin");
  const { run } = result;
  return run.mismatchCount === 0
    ? { status: "done", message: `Reconciled: ${run.accountsChecked} accounts, every cached balance equals the sum of its postings.` }
    : { status: "error", message: `${run.mismatchCount} account(s) do not match their postings; see the list below.` };
}
