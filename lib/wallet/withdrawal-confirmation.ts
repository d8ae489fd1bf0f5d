// A withdrawal's emailed confirmation (DESIGN.md "Withdrawals and 2FA", issue 15): after the TOTP
// code, the request mails a single-use CONFIRM_WITHDRAWAL link (lib/auth/account-tokens.ts, 30
// minutes, payload { withdrawalId }) in its own transaction, and nothing else happens to the
// withdrawal until the customer uses it.
//
// Representation: status REQUESTED with email_confirmed_at NULL is "waiting for email
// confirmation"; confirm_by is when its latest link expires. While it waits the funds stay held
// (the request's WITHDRAWAL_REQUEST journal), it counts towards the daily limit, and it is neither
// approved (automatically or by an admin), nor in the review queue, nor handed to a processor; the
// database refuses an approved, sent or confirmed row without email_confirmed_at (migration
// 20261208000000). The customer may cancel it (cancelWithdrawal) or have the link sent again
// (rate-limited; the new link voids the older one of that withdrawal and moves confirm_by on).
//
// Using the link is one transaction: the token is consumed (one atomic UPDATE, so two clicks
// confirm once), the withdrawal row locked and checked (still waiting, the owner's account not
// frozen), email_confirmed_at set with its audit line (withdrawal.email_confirmed), then what the
// request used to do at once: below the coin's review threshold the automatic approval (audit
// line and withdrawal.status notice), else the review queue, whose admins hear of it. A link
// left unused past confirm_by lets the expire-unconfirmed-withdrawals job cancel the withdrawal
// and release the hold (expireUnconfirmedWithdrawal in withdrawal-transitions.ts).
import { appendAudit } from "../audit/audit";
import { consumeAccountToken, mailAccountLink, peekAccountToken } from "../auth/account-tokens";
import type { PrismaClient, Tx } from "../db/client";
import { decimalToBigInt } from "../db/decimal";
import type { Asset } from "../generated/prisma/enums";
import { getSecrets } from "../secrets";
import { retryAfterText, takeRateLimit } from "../security/rate-limit";
import { refuse, type Refusal } from "../shared/result";
import { coinText } from "./amounts";
import { noticeAdminsOfReviewQueue, noticeWithdrawalStatus } from "./withdrawal-notices";
import {
  expireUnconfirmedWithdrawal,
  lockWithdrawal,
  stateWords,
  type LockedWithdrawal,
} from "./withdrawal-transitions";
import { withdrawalView, type WithdrawalView } from "./withdrawal-view";

/** How long a withdrawal's emailed link works; the withdrawal is cancelled after that. */
export const WITHDRAWAL_LINK_TTL_MS = 30 * 60_000;

export interface WithdrawalLinkMail {
  withdrawalId: string;
  userId: string;
  to: string;
  coin: Asset;
  decimals: number;
  amountBase: bigint;
  feeBase: bigint;
  address: string;
}

/**
 * Queues the withdrawal.confirm mail with a fresh link, in the caller's transaction; an earlier
 * unused link of the same withdrawal stops working. Returns when the new link expires.
 */
export async function mailWithdrawalLink(tx: Tx, authSecret: string, mail: WithdrawalLinkMail): Promise<Date> {
  const token = await mailAccountLink(tx, authSecret, {
    userId: mail.userId,
    to: mail.to,
    purpose: "CONFIRM_WITHDRAWAL",
    ttlMs: WITHDRAWAL_LINK_TTL_MS,
    payload: { withdrawalId: mail.withdrawalId },
    voids: { samePayload: "withdrawalId" },
    kind: "withdrawal.confirm",
    params: {
      amount: coinText(mail.amountBase, mail.decimals),
      fee: coinText(mail.feeBase, mail.decimals),
      coin: mail.coin,
      address: mail.address,
    },
  });
  return token.expiresAt;
}

export type ConfirmRefusalCode = "INVALID_LINK" | "NOT_WAITING" | "ACCOUNT_FROZEN";
export type ConfirmResult = { ok: true; withdrawal: WithdrawalView } | Refusal<ConfirmRefusalCode>;

export const INVALID_WITHDRAWAL_LINK =
  "This confirmation link is no longer valid: it was used already, it expired (links work for 30 minutes), or a newer one was sent. " +
  "If the withdrawal still waits, send a new link from your wallet.";

function notWaiting(row: Pick<LockedWithdrawal, "status" | "email_confirmed_at">): Refusal<"NOT_WAITING"> {
  if (row.email_confirmed_at) return refuse("NOT_WAITING", "This withdrawal is already confirmed: nothing to do.");
  return refuse("NOT_WAITING", `This withdrawal ${stateWords(row)}: there is nothing to confirm.`);
}

function linkedWithdrawalId(payload: Record<string, unknown>): string | null {
  const id = payload.withdrawalId;
  return typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

/** Uses an emailed link: confirms its withdrawal once, then approves it or queues it for review. */
export async function confirmWithdrawalByLink(
  prisma: PrismaClient,
  input: { token: string; ip?: string | null; now?: Date },
): Promise<ConfirmResult> {
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx): Promise<ConfirmResult> => {
    const used = await consumeAccountToken(tx, input.token, "CONFIRM_WITHDRAWAL");
    const withdrawalId = used ? linkedWithdrawalId(used.payload) : null;
    if (!used || !withdrawalId) return refuse("INVALID_LINK", INVALID_WITHDRAWAL_LINK);
    const row = await lockWithdrawal(tx, withdrawalId);
    if (!row || row.user_id !== used.userId) return refuse("INVALID_LINK", INVALID_WITHDRAWAL_LINK);
    if (row.status !== "REQUESTED" || row.email_confirmed_at) return notWaiting(row);
    const owner = await tx.user.findUniqueOrThrow({
      where: { id: row.user_id },
      select: { withdrawalsFrozenAt: true },
    });
    if (row.frozen_at || owner.withdrawalsFrozenAt) {
      return refuse(
        "ACCOUNT_FROZEN",
        "Withdrawals are frozen on this account: it cannot be confirmed. The funds are released when the link expires; contact support.",
      );
    }

    await tx.withdrawal.update({ where: { id: row.id }, data: { emailConfirmedAt: now } });
    await appendAudit(tx, {
      actorId: row.user_id,
      action: "withdrawal.email_confirmed",
      entityType: "withdrawal",
      entityId: row.id,
      ip: input.ip ?? null,
      details: { tokenId: used.id, reviewRequired: row.review_required },
    });
    if (row.review_required) {
      await noticeAdminsOfReviewQueue(tx);
    } else {
      const coin = await tx.coin.findUniqueOrThrow({
        where: { asset: row.coin },
        select: { reviewThresholdBase: true },
      });
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "APPROVED", approvedAt: now } });
      await appendAudit(tx, {
        actorId: null,
        action: "withdrawal.approved",
        entityType: "withdrawal",
        entityId: row.id,
        details: {
          automatic: true,
          reason: `below the ${row.coin} review threshold of ${decimalToBigInt(coin.reviewThresholdBase)} base units`,
        },
      });
      await noticeWithdrawalStatus(tx, row, "approved");
    }
    return { ok: true, withdrawal: withdrawalView(await tx.withdrawal.findUniqueOrThrow({ where: { id: row.id } })) };
  });
}

export interface WithdrawalToConfirm {
  coin: Asset;
  amount: string;
  fee: string;
  net: string;
  address: string;
  reviewRequired: boolean;
}

/** What a link would confirm, without using it (the confirmation page shows it before the button). */
export async function withdrawalToConfirm(
  prisma: PrismaClient,
  token: string,
): Promise<{ ok: true; withdrawal: WithdrawalToConfirm } | Refusal<"INVALID_LINK" | "NOT_WAITING">> {
  const found = await peekAccountToken(prisma, token, "CONFIRM_WITHDRAWAL");
  const withdrawalId = found ? linkedWithdrawalId(found.payload) : null;
  if (!found || !withdrawalId) return refuse("INVALID_LINK", INVALID_WITHDRAWAL_LINK);
  const row = await prisma.withdrawal.findUnique({ where: { id: withdrawalId } });
  if (!row || row.userId !== found.userId) return refuse("INVALID_LINK", INVALID_WITHDRAWAL_LINK);
  if (row.status !== "REQUESTED" || row.emailConfirmedAt) {
    return notWaiting({ status: row.status, email_confirmed_at: row.emailConfirmedAt });
  }
  const coin = await prisma.coin.findUniqueOrThrow({ where: { asset: row.coin }, select: { decimals: true } });
  const text = (value: Parameters<typeof decimalToBigInt>[0]) => coinText(decimalToBigInt(value), coin.decimals);
  return {
    ok: true,
    withdrawal: {
      coin: row.coin,
      amount: text(row.amountBase),
      fee: text(row.networkFeeBase),
      net: text(row.netBase),
      address: row.address,
      reviewRequired: row.reviewRequired,
    },
  };
}

export type ResendResult = { ok: true; confirmBy: Date } | Refusal<"NOT_FOUND" | "NOT_WAITING" | "RATE_LIMITED">;

/** Mails a fresh link for the owner's withdrawal still waiting for one; the older link stops working. */
export async function resendWithdrawalLink(
  prisma: PrismaClient,
  input: { userId: string; withdrawalId: string; ip?: string | null; now?: Date },
): Promise<ResendResult> {
  const now = input.now ?? new Date();
  const notFound = refuse("NOT_FOUND", "This withdrawal was not found.");
  if (!/^[0-9a-f-]{36}$/i.test(input.withdrawalId)) return notFound;
  const waiting = (row: { status: string; email_confirmed_at: Date | null; confirm_by: Date | null }) =>
    row.status === "REQUESTED" && !row.email_confirmed_at && !!row.confirm_by && row.confirm_by > now;
  const found = await prisma.withdrawal.findUnique({ where: { id: input.withdrawalId } });
  if (!found || found.userId !== input.userId) return notFound;
  if (!waiting({ status: found.status, email_confirmed_at: found.emailConfirmedAt, confirm_by: found.confirmBy })) {
    return refuse("NOT_WAITING", "This withdrawal no longer waits for its email confirmation: no new link is needed.");
  }
  const limit = await takeRateLimit(prisma, "withdrawal-link-resend", input.userId);
  if (!limit.ok) {
    return refuse(
      "RATE_LIMITED",
      `We already sent several links. Check your inbox and spam folder, or ask again ${retryAfterText(limit.retryAfterSeconds)}.`,
    );
  }
  const { authSecret } = await getSecrets();
  return prisma.$transaction(async (tx): Promise<ResendResult> => {
    const row = await lockWithdrawal(tx, input.withdrawalId);
    if (!row || row.user_id !== input.userId) return notFound;
    if (!waiting(row)) {
      return refuse(
        "NOT_WAITING",
        "This withdrawal no longer waits for its email confirmation: no new link is needed.",
      );
    }
    const [user, coin] = await Promise.all([
      tx.user.findUniqueOrThrow({ where: { id: row.user_id }, select: { email: true } }),
      tx.coin.findUniqueOrThrow({ where: { asset: row.coin }, select: { decimals: true } }),
    ]);
    const confirmBy = await mailWithdrawalLink(tx, authSecret, {
      withdrawalId: row.id,
      userId: row.user_id,
      to: user.email,
      coin: row.coin,
      decimals: coin.decimals,
      amountBase: BigInt(row.amount_base),
      feeBase: BigInt(row.network_fee_base),
      address: row.address,
    });
    await tx.withdrawal.update({ where: { id: row.id }, data: { confirmBy } });
    await appendAudit(tx, {
      actorId: input.userId,
      action: "withdrawal.link_resent",
      entityType: "withdrawal",
      entityId: row.id,
      ip: input.ip ?? null,
      details: { confirmBy: confirmBy.toISOString() },
    });
    return { ok: true, confirmBy };
  });
}

/**
 * The expire-unconfirmed-withdrawals job: cancels withdrawals whose link was not used by
 * confirm_by, releasing each hold in its own transaction (audit line withdrawal.expired and a
 * withdrawal.status notice). Any number of workers may run it: each step locks and re-checks its
 * row, so a withdrawal expires once and never after its click. Returns how many expired.
 */
export async function expireUnconfirmedWithdrawals(
  prisma: PrismaClient,
  now = new Date(),
  limit = 100,
): Promise<number> {
  const due = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM withdrawals
     WHERE status = 'REQUESTED' AND email_confirmed_at IS NULL AND confirm_by <= ${now}
     ORDER BY confirm_by LIMIT ${limit}`;
  let expired = 0;
  for (const { id } of due) {
    const result = await expireUnconfirmedWithdrawal(prisma, { withdrawalId: id, now });
    if (result.ok) expired++;
  }
  return expired;
}

/**
 * The id of the withdrawal's newest live (unused, unexpired) link row, or null: the link's token
 * is derived from it with the auth secret (accountTokenFor), exactly as the mail renders it. For
 * the demo and the tests, which stand in for the customer's inbox.
 */
export async function liveWithdrawalLinkId(prisma: PrismaClient, withdrawalId: string): Promise<string | null> {
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
  return row?.id ?? null;
}
