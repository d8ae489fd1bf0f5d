"use server";

// Server actions of the wallet: request a withdrawal, cancel one. Session and CUSTOMER role
// are checked here; the owner is always the signed-in user, never an id from the form. The
// core (lib/wallet/withdrawal-request.ts, withdrawal-transitions.ts) runs each in one
// transaction with its journal and audit.
import { revalidatePath } from "next/cache";
import { formatCoinAmount } from "@/components/format";
import type { RowActionState, WithdrawalRequestAnswer, WithdrawalRequestInput } from "@/components/wallet/withdrawal-types";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { requestWithdrawal, type RequestField } from "@/lib/wallet/withdrawal-request";
import { cancelWithdrawal } from "@/lib/wallet/withdrawal-transitions";
import { requestIp } from "@/lib/http/next";

const PATH = "/wallet";

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export async function requestWithdrawalAction(input: WithdrawalRequestInput): Promise<WithdrawalRequestAnswer> {
  const user = await requireRole("CUSTOMER", PATH);
  const prisma = db();
  const outcome = await requestWithdrawal(prisma, {
    userId: user.id,
    idempotencyKey: text(input?.idempotencyKey) || null,
    body: { coin: text(input?.coin), addressId: text(input?.addressId), amount: text(input?.amount), totpCode: text(input?.totpCode) },
    ip: await requestIp(),
  });
  if (!outcome.ok) {
    const field = Object.keys(outcome.fieldErrors ?? {})[0] as RequestField | undefined;
    return { ok: false, message: outcome.message, ...(field ? { field } : {}) };
  }
  revalidatePath(PATH);
  const w = outcome.withdrawal;
  const coin = await prisma.coin.findUniqueOrThrow({ where: { asset: w.coin }, select: { decimals: true } });
  const amount = `${formatCoinAmount(BigInt(w.amountBase), coin.decimals, { maxDecimals: coin.decimals })} ${w.coin}`;
  const net = `${formatCoinAmount(BigInt(w.netBase), coin.decimals, { maxDecimals: coin.decimals })} ${w.coin}`;
  const next =
    w.status === "REQUESTED" ? "It waits for a review by our team; you can cancel it until then." : "It is approved and will be sent shortly.";
  return {
    ok: true,
    replayed: outcome.replayed,
    message: outcome.replayed
      ? `This withdrawal of ${amount} was already requested (another tab or an earlier attempt): nothing more was taken. See its state below.`
      : `Withdrawal of ${amount} requested: ${net} will arrive at ${w.address}. ${next}`,
  };
}

export async function cancelWithdrawalAction(_state: RowActionState, formData: FormData): Promise<RowActionState> {
  const user = await requireRole("CUSTOMER", PATH);
  const result = await cancelWithdrawal(db(), { userId: user.id, withdrawalId: text(formData.get("withdrawalId")), ip: await requestIp() });
  if (!result.ok) return { status: "error", message: result.message };
  revalidatePath(PATH);
  return { status: "done", message: "Cancelled: the amount is back in your available balance." };
}
