// What a withdrawal's people hear (DESIGN.md "Mail and notices", "Withdrawals and 2FA"). Each
// function runs inside the transaction of the state change it reports, so a notice (the in-app
// row and the outbox mail, lib/notifications/notify.ts) exists exactly when the change committed.
//
// The customer hears every state they care about: approved, rejected (with the admin's reason),
// sent and confirmed (with the txid), cancelled, expired (not confirmed by email in time). The
// params are the withdrawal.status template's: status, amount, coin, address, txid, message,
// amounts as whole-coin text. Admins (role ADMIN, account not frozen) hear when a withdrawal
// enters manual review, with how many wait now (confirmed by email, not yet reviewed).
import type { Tx } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { notify } from "../notifications/notify";
import { coinText } from "./amounts";

export type CustomerWithdrawalStatus = "approved" | "rejected" | "sent" | "confirmed" | "cancelled" | "expired";

export interface NoticeWithdrawal {
  user_id: string;
  coin: Asset;
  amount_base: string;
  address: string;
}

const RELEASED = "The funds are back in your available balance.";

function statusMessage(status: CustomerWithdrawalStatus, extra: { reason?: string; txid?: string }): string {
  switch (status) {
    case "approved":
      return "Your withdrawal was approved and will be sent to your address.";
    case "rejected":
      return `Your withdrawal was rejected: ${extra.reason ?? "no reason given"}. ${RELEASED}`;
    case "sent":
      return `Your withdrawal was sent in transaction ${extra.txid ?? ""}. It arrives once the network confirms it.`;
    case "confirmed":
      return `Your withdrawal was confirmed on chain in transaction ${extra.txid ?? ""}.`;
    case "cancelled":
      return `You cancelled your withdrawal. ${RELEASED}`;
    case "expired":
      return `Your withdrawal was not confirmed by email within 30 minutes, so it was cancelled. ${RELEASED}`;
  }
}

/** The withdrawal.status notice of one state change, in that change's transaction. */
export async function noticeWithdrawalStatus(
  tx: Tx,
  withdrawal: NoticeWithdrawal,
  status: CustomerWithdrawalStatus,
  extra: { reason?: string; txid?: string | null } = {},
): Promise<void> {
  const coin = await tx.coin.findUniqueOrThrow({ where: { asset: withdrawal.coin }, select: { decimals: true } });
  const txid = extra.txid ?? undefined;
  await notify(tx, {
    userId: withdrawal.user_id,
    kind: "withdrawal.status",
    params: {
      status: status.charAt(0).toUpperCase() + status.slice(1),
      amount: coinText(BigInt(withdrawal.amount_base), coin.decimals),
      coin: withdrawal.coin,
      address: withdrawal.address,
      txid: txid ?? null,
      message: statusMessage(status, { reason: extra.reason, txid }),
    },
  });
}

/** Withdrawals an admin must review now: requested, confirmed by email, not yet approved or rejected. */
export async function withdrawalsWaitingForReview(tx: Pick<Tx, "withdrawal">): Promise<number> {
  return tx.withdrawal.count({ where: { status: "REQUESTED", emailConfirmedAt: { not: null } } });
}

/** Tells every admin (not frozen) how many withdrawals wait for review; returns how many admins. */
export async function noticeAdminsOfReviewQueue(tx: Tx): Promise<number> {
  const count = await withdrawalsWaitingForReview(tx);
  const admins = await tx.user.findMany({
    where: { roles: { has: "ADMIN" }, frozenAt: null },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  for (const admin of admins) {
    await notify(tx, { userId: admin.id, kind: "admin.withdrawals_waiting", params: { count } });
  }
  return admins.length;
}
