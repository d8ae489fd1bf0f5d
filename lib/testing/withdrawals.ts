// Standing in for the customer's inbox where a test or the simulation needs a withdrawal past
// its email confirmation: the link's token is rebuilt from the newest unused CONFIRM_WITHDRAWAL
// row of that withdrawal exactly as the mail sender builds it (HMAC of the row id with the auth
// secret), then used through the real core. Tests of the link itself read it from a mail
// delivered over SMTP instead (lib/wallet/withdrawals.test.ts).
import { randomUUID } from "node:crypto";
import { accountTokenFor } from "../auth/account-tokens";
import type { PrismaClient } from "../db/client";
import { balanceOf } from "../ledger/ledger";
import { getSecrets } from "../secrets";
import { confirmWithdrawalByLink, liveWithdrawalLinkId, type ConfirmResult } from "../wallet/withdrawal-confirmation";
import { defaultChecks, requestWithdrawal, type WithdrawalChecks } from "../wallet/withdrawal-request";

/** The token of the withdrawal's live link (as in the mail), or null when none is live. */
export async function withdrawalLinkToken(
  prisma: PrismaClient,
  withdrawalId: string,
  authSecret?: string,
): Promise<string | null> {
  const id = await liveWithdrawalLinkId(prisma, withdrawalId);
  if (!id) return null;
  return accountTokenFor(id, authSecret ?? (await getSecrets()).authSecret);
}

/** Clicks the withdrawal's emailed link: the confirmation core's answer. */
export async function confirmWithdrawalLink(
  prisma: PrismaClient,
  withdrawalId: string,
  options: { authSecret?: string; now?: Date } = {},
): Promise<ConfirmResult> {
  const token = await withdrawalLinkToken(prisma, withdrawalId, options.authSecret);
  if (!token) throw new Error(`withdrawal ${withdrawalId} has no live confirmation link`);
  return confirmWithdrawalByLink(prisma, { token, now: options.now });
}

/** The real checks but any 2FA code passes: the code is the withdrawal core's own tests' business. */
export const anyTotpCode: WithdrawalChecks = { ...defaultChecks, verifyTotp: async () => ({ ok: true }) };

/** A BTC withdrawal of `amount` (coin text) requested with any 2FA code: the withdrawal, or a throw. */
export async function requestBtcWithdrawal(
  prisma: PrismaClient,
  args: { userId: string; addressId: string; amount: string; now?: Date },
) {
  const outcome = await requestWithdrawal(prisma, {
    userId: args.userId,
    idempotencyKey: randomUUID(),
    body: { coin: "BTC", addressId: args.addressId, amount: args.amount, totpCode: "000000" },
    now: args.now,
    checks: anyTotpCode,
  });
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.message}`);
  return outcome.withdrawal;
}

/** `count` BTC withdrawals of `amount` each, requested and confirmed by their links one after another: their ids. */
export async function confirmedBtcWithdrawals(
  prisma: PrismaClient,
  args: { userId: string; addressId: string; amount: string; count: number },
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < args.count; i += 1) {
    const withdrawal = await requestBtcWithdrawal(prisma, args);
    const confirmed = await confirmWithdrawalLink(prisma, withdrawal.id);
    if (!confirmed.ok) throw new Error(`withdrawal ${withdrawal.id} not confirmed: ${confirmed.code}`);
    ids.push(withdrawal.id);
  }
  return ids;
}

/** A user's BTC available and held balances. */
export async function btcBalances(prisma: PrismaClient, userId: string) {
  return {
    available: await balanceOf(prisma, { type: "USER_AVAILABLE", asset: "BTC", userId }),
    held: await balanceOf(prisma, { type: "USER_HELD", asset: "BTC", userId }),
  };
}

/** The audit actions written about a withdrawal, oldest first. */
export async function withdrawalAuditActions(prisma: PrismaClient, withdrawalId: string): Promise<string[]> {
  const rows = await prisma.auditLog.findMany({
    where: { entityType: "withdrawal", entityId: withdrawalId },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.action);
}

/** The kinds of the journals posted for a withdrawal, sorted. */
export async function withdrawalJournalKinds(prisma: PrismaClient, withdrawalId: string): Promise<string[]> {
  const rows = await prisma.journalTransaction.findMany({
    where: { referenceType: "withdrawal", referenceId: withdrawalId },
    select: { kind: true },
  });
  return rows.map((r) => r.kind).sort();
}
