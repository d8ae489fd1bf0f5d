// The withdrawals freeze (issue 15, DESIGN.md "Mail and notices", "Withdrawals and 2FA"). Every
// address added to a book mails a security.new_withdrawal_address notice carrying a single-use
// "this wasn't me" link (FREEZE_WITHDRAWALS token, 7 days: it must outlive the 48 h address lock;
// each address has its own, so a second address does not void the first one's link). Using it
// is one transaction with the user's row locked:
//   - users.withdrawals_frozen_at / _reason are set; withdrawal-request.ts refuses every request
//     (WITHDRAWALS_FROZEN) and the processor hands none over until an admin lifts the freeze
//     (lib/admin/accounts.ts liftWithdrawalsFreeze). Signing in, buying and the address book stay
//     open: this is not the whole-account freeze of lib/admin/accounts.ts.
//   - the address the notice was about is removed from the book (its owner said it is not theirs);
//   - every withdrawal not sent yet (requested, or approved and not taken by an automatic
//     processor, which may already be broadcasting it) is cancelled with its hold released by a
//     WITHDRAWAL_RELEASE journal, through withdrawal-transitions.ts's own steps;
//   - every session of the account ends (whoever added the address may be signed in);
//   - the audit line withdrawals.frozen_by_user, the user's security.withdrawals_frozen notice and
//     every admin's admin.withdrawals_frozen notice.
// A link of a user whose withdrawals are frozen already answers ALREADY_FROZEN and changes
// nothing (two clicks queue on the user row; the second sees the first's freeze). The link page
// acts on a POST only.
import { appendAudit, appendUserAudit } from "../audit/audit";
import { consumeAccountToken, hashAccountToken, issueAccountToken } from "../auth/account-tokens";
import { revokeOtherSessions } from "../auth/sessions";
import type { PrismaClient, Tx } from "../db/client";
import { retryOnDeadlock } from "../db/errors";
import { notify } from "../notifications/notify";
import { DAY_MS, formatInstantUtc } from "../shared/days";
import { refuse, type Result } from "../shared/result";
import { auditStep, lockWithdrawal, MANUAL_PROCESSOR_NAME, releaseHold } from "./withdrawal-transitions";

/** How long a new address's "this wasn't me" link works: well past the 48 h lock. */
export const FREEZE_LINK_TTL_MS = 7 * DAY_MS;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

interface FreezePayload {
  addressId?: string;
  coin?: string;
  label?: string;
  address?: string;
}

/**
 * The new-address notice with its own freeze link, inside addWithdrawalAddress's transaction.
 * Earlier links (other addresses') keep working.
 */
export async function noticeNewWithdrawalAddress(
  tx: Tx,
  authSecret: string,
  entry: { userId: string; addressId: string; coin: string; label: string; address: string },
): Promise<{ tokenId: string }> {
  const token = await issueAccountToken(tx, authSecret, {
    userId: entry.userId,
    purpose: "FREEZE_WITHDRAWALS",
    ttlMs: FREEZE_LINK_TTL_MS,
    payload: { addressId: entry.addressId, coin: entry.coin, label: entry.label, address: entry.address },
  });
  await notify(tx, {
    userId: entry.userId,
    kind: "security.new_withdrawal_address",
    params: { coin: entry.coin, label: entry.label, address: entry.address, tokenId: token.id },
  });
  return { tokenId: token.id };
}

export interface WithdrawalsFreeze {
  frozenAt: Date;
  reason: string;
}

/** The account's withdrawals freeze, or null. */
export async function withdrawalsFreezeOf(
  prisma: PrismaClient | Tx,
  userId: string,
): Promise<WithdrawalsFreeze | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { withdrawalsFrozenAt: true, withdrawalsFrozenReason: true },
  });
  return user?.withdrawalsFrozenAt
    ? { frozenAt: user.withdrawalsFrozenAt, reason: user.withdrawalsFrozenReason ?? "" }
    : null;
}

export type FreezeLinkState =
  | { state: "ready"; coin: string; label: string; address: string }
  | { state: "frozen"; since: Date }
  | { state: "invalid" };

/** What the link page shows before the click: nothing is changed or redeemed here. */
export async function freezeLinkState(prisma: PrismaClient, token: string): Promise<FreezeLinkState> {
  if (!TOKEN_SHAPE.test(token)) return { state: "invalid" };
  const row = await prisma.accountToken.findFirst({
    where: { tokenHash: hashAccountToken(token), purpose: "FREEZE_WITHDRAWALS" },
    select: { userId: true, usedAt: true, expiresAt: true, payload: true },
  });
  if (!row) return { state: "invalid" };
  const freeze = await withdrawalsFreezeOf(prisma, row.userId);
  if (freeze) return { state: "frozen", since: freeze.frozenAt };
  if (row.usedAt || row.expiresAt <= new Date()) return { state: "invalid" };
  const payload = (row.payload ?? {}) as FreezePayload;
  return { state: "ready", coin: payload.coin ?? "", label: payload.label ?? "", address: payload.address ?? "" };
}

export const FREEZE_LINK_INVALID =
  "This link is no longer valid: it was used already, or it expired (a link works for 7 days). If you did not add the address, contact support.";

export function alreadyFrozenMessage(since: Date): string {
  return `Withdrawals from this account are already frozen (since ${formatInstantUtc(since)}). An admin will look at the account and lift the freeze; contact support if you need help.`;
}

export type FreezeByLinkResult = Result<
  { userId: string; frozenAt: Date; cancelled: number; sessionsEnded: number },
  "INVALID_LINK" | "ALREADY_FROZEN"
>;

/** The "this wasn't me" click: freezes the account's withdrawals (see the header), once. */
export async function freezeWithdrawalsByLink(
  prisma: PrismaClient,
  input: { token: string; ip: string | null; now?: Date },
): Promise<FreezeByLinkResult> {
  if (!TOKEN_SHAPE.test(input.token)) return refuse("INVALID_LINK", FREEZE_LINK_INVALID);
  return retryOnDeadlock(() =>
    prisma.$transaction(async (tx) => {
      const now = input.now ?? new Date();
      const owner = await tx.accountToken.findFirst({
        where: { tokenHash: hashAccountToken(input.token), purpose: "FREEZE_WITHDRAWALS" },
        select: { userId: true },
      });
      if (!owner) return refuse("INVALID_LINK", FREEZE_LINK_INVALID);
      // The user row first: a second click (or another address's link) waits for the first and
      // then sees its freeze; the account's withdrawal requests queue on this row too.
      const [user] = await tx.$queryRaw<{ email: string; withdrawals_frozen_at: Date | null }[]>`
        SELECT email, withdrawals_frozen_at FROM users WHERE id = ${owner.userId}::uuid FOR UPDATE`;
      if (!user) return refuse("INVALID_LINK", FREEZE_LINK_INVALID);
      if (user.withdrawals_frozen_at) return refuse("ALREADY_FROZEN", alreadyFrozenMessage(user.withdrawals_frozen_at));
      const used = await consumeAccountToken(tx, input.token, "FREEZE_WITHDRAWALS");
      if (!used) return refuse("INVALID_LINK", FREEZE_LINK_INVALID);
      const userId = used.userId;
      const about = used.payload as FreezePayload;
      const coin = about.coin ?? "";
      const address = about.address ?? "";
      const reason = `"This wasn't me" from the notice of the new ${coin} address "${about.label ?? ""}" (${address}).`;

      await tx.user.update({
        where: { id: userId },
        data: { withdrawalsFrozenAt: now, withdrawalsFrozenReason: reason },
      });
      const removed = about.addressId
        ? await tx.withdrawalAddress.updateMany({
            where: { id: about.addressId, userId, deletedAt: null },
            data: { deletedAt: now },
          })
        : { count: 0 };
      if (removed.count === 1) {
        await appendAudit(tx, {
          actorId: userId,
          action: "withdrawal_address.deleted",
          entityType: "withdrawal_address",
          entityId: about.addressId!,
          ip: input.ip,
          details: { coin, address, label: about.label ?? "", reason: "withdrawals_frozen" },
        });
      }
      const { cancelled, leftWithProcessor } = await cancelUnsentWithdrawals(tx, { userId, ip: input.ip, now });
      const sessionsEnded = await revokeOtherSessions(tx, userId, null, "withdrawals_frozen", {
        actorId: userId,
        ip: input.ip,
        now,
      });
      await appendUserAudit(tx, userId, {
        action: "withdrawals.frozen_by_user",
        ip: input.ip,
        details: {
          tokenId: used.id,
          addressId: about.addressId ?? null,
          coin,
          address,
          addressRemoved: removed.count === 1,
          cancelledWithdrawals: cancelled,
          leftWithProcessor,
          sessionsEnded,
        },
      });
      const at = formatInstantUtc(now);
      await notify(tx, {
        userId,
        kind: "security.withdrawals_frozen",
        params: { coin, address, cancelled: cancelled.length, at },
      });
      const admins = await tx.user.findMany({
        where: { roles: { has: "ADMIN" }, frozenAt: null, id: { not: userId } },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      for (const admin of admins) {
        await notify(tx, {
          userId: admin.id,
          kind: "admin.withdrawals_frozen",
          params: { email: user.email, userId, coin, address, cancelled: cancelled.length, at },
        });
      }
      return { ok: true as const, userId, frozenAt: now, cancelled: cancelled.length, sessionsEnded };
    }),
  );
}

/**
 * Cancels, inside the freeze's transaction, every withdrawal of the user that has not been sent:
 * requested, or approved and not taken by an automatic processor (the manual one's are an admin's
 * to send, so they stop here too). Each is locked, its hold released and audited as the owner's
 * cancel is (withdrawal-transitions.ts); approved -> cancelled is allowed by migration 20261208010000.
 */
async function cancelUnsentWithdrawals(
  tx: Tx,
  input: { userId: string; ip: string | null; now: Date },
): Promise<{ cancelled: string[]; leftWithProcessor: string[] }> {
  const candidates = await tx.withdrawal.findMany({
    where: { userId: input.userId, status: { in: ["REQUESTED", "APPROVED"] } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const cancelled: string[] = [];
  const leftWithProcessor: string[] = [];
  for (const { id } of candidates) {
    const row = await lockWithdrawal(tx, id);
    if (!row || (row.status !== "REQUESTED" && row.status !== "APPROVED")) continue;
    if (row.status === "APPROVED" && row.processor && row.processor !== MANUAL_PROCESSOR_NAME) {
      leftWithProcessor.push(row.id);
      continue;
    }
    await releaseHold(tx, row, "cancelled: withdrawals frozen");
    await tx.withdrawal.update({ where: { id: row.id }, data: { status: "CANCELLED", closedAt: input.now } });
    await auditStep(tx, row, {
      actorId: input.userId,
      step: "cancelled",
      ip: input.ip,
      details: { reason: "withdrawals_frozen", from: row.status },
    });
    cancelled.push(row.id);
  }
  return { cancelled, leftWithProcessor };
}
