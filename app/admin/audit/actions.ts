"use server";

// Verify the audit chain end to end (as `npm run audit:verify`): admin only, the verification
// and its outcome are themselves an audit line.
import { revalidatePath } from "next/cache";
import type { VerifyChainState } from "@/components/admin/verify-chain-state";
import { verifyChainAsAdmin } from "@/lib/admin/audit-log";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { requestIp } from "@/lib/http/next";

export async function verifyChainAction(_state: VerifyChainState): Promise<VerifyChainState> {
  const admin = await requireRole("ADMIN", "/admin/audit");
  const check = await verifyChainAsAdmin(db(), { adminId: admin.id, ip: await requestIp() });
  if (!check.ok) return { status: "error", message: check.message };
  revalidatePath("/admin/audit");
  revalidatePath("/admin");
  const { result } = check;
  if (result.ok) return { status: "ok", lines: result.lines.toString(), sealedNow: check.sealed };
  return {
    status: "broken",
    lines: result.lines.toString(),
    brokenAtSeq: result.brokenAtSeq.toString(),
    brokenAtId: result.brokenAtId === null ? null : result.brokenAtId.toString(),
    reason: result.reason,
  };
}
