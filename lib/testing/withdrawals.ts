// Standing in for the customer's inbox where a test or the simulation needs a withdrawal past
// its email confirmation: the link's token is rebuilt from the newest unused CONFIRM_WITHDRAWAL
// row of that withdrawal exactly as the mail sender builds it (HMAC of the row id with the auth
// secret), then used through the real core. Tests of the link itself read it from a mail
// delivered over SMTP instead (lib/wallet/withdrawals.test.ts).
import { accountTokenFor } from "../auth/account-tokens";
import type { PrismaClient } from "../db/client";
import { getSecrets } from "../secrets";
import { confirmWithdrawalByLink, type ConfirmResult } from "../wallet/withdrawal-confirmation";

/** The token of the withdrawal's live link (as in the mail), or null when none is live. */
export async function withdrawalLinkToken(
  prisma: PrismaClient,
  withdrawalId: string,
  authSecret?: string,
): Promise<string | null> {
  const row = await prisma.accountToken.findFirst({
    where: {
      purpose: "CONFIRM_WITHDRAWAL",
      usedAt: null,
      expiresAt: { gt: new Date() },
      payload: { path: ["withdrawalId"], equals: withdrawalId },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (!row) return null;
  return accountTokenFor(row.id, authSecret ?? (await getSecrets()).authSecret);
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
