// Withdrawal transitions after the request (DESIGN.md "Withdrawals and 2FA", "Ledger"): a
// state machine in which every step is one database transaction holding one balanced
// journal (where value moves; see withdrawal-ledger.ts) and one audit line.
//
//   requested ──(emailed link, withdrawal-confirmation.ts)──> approved ──> sent ──> confirmed
//       │   (until the link is used: no approval, no review)     │
//       ├─> cancelled (by the user, or expired: no link used in 30 minutes)
//       │                                 hold released: USER_HELD -> USER_AVAILABLE
//       └────────────────────────────────────────────────────────┴─> rejected (by an admin,
//                                          with a reason; not once sent)
//
// The withdrawal row is locked (FOR UPDATE) before anything is checked, so two transitions
// of one withdrawal queue and the second sees the first's state. An admin never reviews or
// sends their own withdrawal, nobody approves a frozen account's, and nobody approves one the
// customer has not confirmed by email (email_confirmed_at). Every step the customer cares
// about writes its withdrawal.status notice in its own transaction (withdrawal-notices.ts).
// The database refuses any transition outside the flow (migrations 20261125080000 and
// 20261208000000) even if this code were wrong.
import { z } from "zod";
import { appendAudit, type AuditEntry } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import { retryOnDeadlock } from "../db/errors";
import type { Asset, WithdrawalStatus } from "../generated/prisma/enums";
import { postJournal } from "../ledger/ledger";
import { platformAccount, userAccount } from "./withdrawal-ledger";
import { noticeWithdrawalStatus } from "./withdrawal-notices";
import { withdrawalView, type WithdrawalView } from "./withdrawal-view";

export type TransitionRefusalCode = "NOT_FOUND" | "ILLEGAL_TRANSITION" | "INVALID" | "FORBIDDEN";
export type TransitionResult =
  | { ok: true; withdrawal: WithdrawalView }
  | { ok: false; code: TransitionRefusalCode; message: string; field?: string };

const STATE_WORDS: Record<WithdrawalStatus, string> = {
  REQUESTED: "is waiting for review",
  APPROVED: "is approved and waiting to be sent",
  SENT: "has already been sent",
  CONFIRMED: "is already confirmed",
  REJECTED: "was rejected",
  CANCELLED: "was cancelled",
};

/** What a refusal says the withdrawal's state is ("This withdrawal is waiting for review"). */
export function stateWords(row: Pick<LockedWithdrawal, "status" | "email_confirmed_at">): string {
  return row.status === "REQUESTED" && !row.email_confirmed_at
    ? "is waiting for the customer's email confirmation"
    : STATE_WORDS[row.status];
}

export interface LockedWithdrawal {
  id: string;
  user_id: string;
  coin: Asset;
  status: WithdrawalStatus;
  address: string;
  amount_base: string;
  network_fee_base: string;
  net_base: string;
  review_required: boolean;
  txid: string | null;
  processor: string | null;
  email_confirmed_at: Date | null;
  confirm_by: Date | null;
  frozen_at: Date | null;
}

/** The withdrawal row, locked for this transaction, with its owner's frozen flag. */
export async function lockWithdrawal(tx: Tx, withdrawalId: string): Promise<LockedWithdrawal | null> {
  const [row] = await tx.$queryRaw<LockedWithdrawal[]>`
    SELECT w.id, w.user_id, w.coin, w.status, w.address, w.amount_base::text AS amount_base,
           w.network_fee_base::text AS network_fee_base, w.net_base::text AS net_base, w.review_required,
           w.txid, w.processor, w.email_confirmed_at, w.confirm_by, u.frozen_at
      FROM withdrawals w JOIN users u ON u.id = w.user_id
     WHERE w.id = ${withdrawalId}::uuid
       FOR UPDATE OF w`;
  return row ?? null;
}

const uuid = z.uuid();

/**
 * The processor whose withdrawals an admin sends from the custody wallet (see
 * withdrawal-processor.ts). An admin may reject or mark sent a withdrawal no processor has
 * taken or this one has; any other processor's withdrawal is that processor's to send.
 */
export const MANUAL_PROCESSOR_NAME = "manual";

interface TransitionSpec {
  withdrawalId: string;
  /** States this transition may start from. */
  from: WithdrawalStatus[];
  /** What the refusal says is not possible, e.g. "cancelled". */
  verb: string;
  /** Ownership and other preconditions; a refusal, or null to go on. */
  guard?: (row: LockedWithdrawal) => { code: TransitionRefusalCode; message: string } | null;
  apply: (tx: Tx, row: LockedWithdrawal) => Promise<void>;
}

async function transition(prisma: PrismaClient, spec: TransitionSpec): Promise<TransitionResult> {
  if (!uuid.safeParse(spec.withdrawalId).success)
    return { ok: false, code: "NOT_FOUND", message: "This withdrawal was not found." };
  // The withdrawal row is locked first, the ledger accounts after; another transaction holding
  // one of those accounts and then asking for this withdrawal makes a deadlock, and PostgreSQL
  // rolls one side back: the transition is run again rather than failing the admin's or the
  // processor's click.
  return retryOnDeadlock(() => transitionOnce(prisma, spec));
}

async function transitionOnce(prisma: PrismaClient, spec: TransitionSpec): Promise<TransitionResult> {
  return prisma.$transaction(async (tx) => {
    const row = await lockWithdrawal(tx, spec.withdrawalId);
    if (!row) return { ok: false as const, code: "NOT_FOUND" as const, message: "This withdrawal was not found." };
    const refused = spec.guard?.(row);
    if (refused) return { ok: false as const, ...refused };
    if (!spec.from.includes(row.status)) {
      return {
        ok: false as const,
        code: "ILLEGAL_TRANSITION" as const,
        message: `This withdrawal ${stateWords(row)}: it cannot be ${spec.verb}.`,
      };
    }
    await spec.apply(tx, row);
    const updated = await tx.withdrawal.findUniqueOrThrow({ where: { id: row.id } });
    return { ok: true as const, withdrawal: withdrawalView(updated) };
  });
}

/** Moves the held amount back to available (WITHDRAWAL_RELEASE, once per withdrawal). */
export async function releaseHold(tx: Tx, row: LockedWithdrawal, why: string): Promise<void> {
  const amount = BigInt(row.amount_base);
  await postJournal(tx, {
    kind: "WITHDRAWAL_RELEASE",
    description: `Withdrawal ${why}: hold released`,
    referenceType: "withdrawal",
    referenceId: row.id,
    postings: [
      { account: userAccount("USER_HELD", row.coin, row.user_id), amount: -amount },
      { account: userAccount("USER_AVAILABLE", row.coin, row.user_id), amount },
    ],
  });
}

/** The audit row of one step of a withdrawal ("withdrawal.<step>"). */
export function auditStep(
  tx: Tx,
  row: LockedWithdrawal,
  entry: { actorId: string | null; step: string; ip?: string | null; details: AuditEntry["details"] },
): Promise<void> {
  return appendAudit(tx, {
    actorId: entry.actorId,
    action: `withdrawal.${entry.step}`,
    entityType: "withdrawal",
    entityId: row.id,
    ip: entry.ip ?? null,
    details: entry.details,
  });
}

export interface ActorInput {
  withdrawalId: string;
  ip?: string | null;
  now?: Date;
}

/** The owner cancels while the withdrawal still waits for its email confirmation or for review (nothing is sent then). */
export function cancelWithdrawal(
  prisma: PrismaClient,
  input: ActorInput & { userId: string },
): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["REQUESTED"],
    verb: "cancelled",
    guard: (row) =>
      row.user_id === input.userId ? null : { code: "NOT_FOUND", message: "This withdrawal was not found." },
    apply: async (tx, row) => {
      await releaseHold(tx, row, "cancelled by the customer");
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "CANCELLED", closedAt: now } });
      await auditStep(tx, row, {
        actorId: input.userId,
        step: "cancelled",
        ip: input.ip,
        details: row.email_confirmed_at ? {} : { beforeEmailConfirmation: true },
      });
      await noticeWithdrawalStatus(tx, row, "cancelled");
    },
  });
}

/**
 * The expiry job's step (withdrawal-confirmation.ts): a withdrawal whose emailed link was not
 * used by confirm_by is cancelled and its hold released. Refused if it was confirmed, cancelled
 * or given a fresh link meanwhile (the row lock makes the job and a click queue).
 */
export function expireUnconfirmedWithdrawal(
  prisma: PrismaClient,
  input: { withdrawalId: string; now?: Date },
): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["REQUESTED"],
    verb: "expired",
    guard: (row) =>
      row.status !== "REQUESTED" || (!row.email_confirmed_at && row.confirm_by && row.confirm_by <= now)
        ? null
        : {
            code: "ILLEGAL_TRANSITION",
            message: `This withdrawal ${stateWords(row)} and its link has not expired: it cannot be expired.`,
          },
    apply: async (tx, row) => {
      await releaseHold(tx, row, "not confirmed by email in time");
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "CANCELLED", closedAt: now } });
      await auditStep(tx, row, {
        actorId: null,
        step: "expired",
        details: { confirmBy: row.confirm_by!.toISOString() },
      });
      await noticeWithdrawalStatus(tx, row, "expired");
    },
  });
}

function notOwnWithdrawal(adminId: string) {
  return (row: LockedWithdrawal) =>
    row.user_id === adminId
      ? { code: "FORBIDDEN" as const, message: "You cannot review your own withdrawal: another admin must." }
      : null;
}

/** An admin approves a withdrawal waiting for review (never their own; not for a frozen account). */
export function approveWithdrawal(
  prisma: PrismaClient,
  input: ActorInput & { adminId: string },
): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["REQUESTED"],
    verb: "approved",
    guard: (row) =>
      notOwnWithdrawal(input.adminId)(row) ??
      (row.frozen_at
        ? { code: "FORBIDDEN", message: "The account is frozen: unfreeze it first, or reject the withdrawal." }
        : null) ??
      (row.status === "REQUESTED" && !row.email_confirmed_at
        ? { code: "ILLEGAL_TRANSITION", message: `This withdrawal ${stateWords(row)}: it cannot be approved.` }
        : null),
    apply: async (tx, row) => {
      await tx.withdrawal.update({
        where: { id: row.id },
        data: { status: "APPROVED", approvedAt: now, reviewedById: input.adminId },
      });
      await auditStep(tx, row, {
        actorId: input.adminId,
        step: "approved",
        ip: input.ip,
        details: { automatic: false },
      });
      await noticeWithdrawalStatus(tx, row, "approved");
    },
  });
}

export const reviewReasonSchema = z
  .string({ error: "Give a reason." })
  .trim()
  .min(3, "Give a reason the customer will see (at least 3 characters).")
  .max(500, "Keep the reason under 500 characters.");

/** An admin rejects a withdrawal not yet sent, with a reason the customer sees; the hold is released. */
export function rejectWithdrawal(
  prisma: PrismaClient,
  input: ActorInput & { adminId: string; reason: string },
): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  const reason = reviewReasonSchema.safeParse(input.reason);
  if (!reason.success)
    return Promise.resolve({ ok: false, code: "INVALID", message: reason.error.issues[0]!.message, field: "reason" });
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["REQUESTED", "APPROVED"],
    verb: "rejected",
    guard: (row) =>
      notOwnWithdrawal(input.adminId)(row) ??
      (row.processor && row.processor !== MANUAL_PROCESSOR_NAME
        ? {
            code: "ILLEGAL_TRANSITION",
            message: `The ${row.processor} processor has taken this withdrawal: it may already be on its way.`,
          }
        : null),
    apply: async (tx, row) => {
      await releaseHold(tx, row, "rejected");
      await tx.withdrawal.update({
        where: { id: row.id },
        data: { status: "REJECTED", closedAt: now, reviewedById: input.adminId, reviewReason: reason.data },
      });
      await auditStep(tx, row, {
        actorId: input.adminId,
        step: "rejected",
        ip: input.ip,
        details: { reason: reason.data, from: row.status },
      });
      await noticeWithdrawalStatus(tx, row, "rejected", { reason: reason.data });
    },
  });
}

/** A transaction id: 64 hex digits (BTC family, KAS, XMR), with 0x for ETC. Stored lower-case. */
export function normalizeTxid(coin: Asset, text: string): string | null {
  const value = text.trim().toLowerCase();
  if (coin === "ETC") return /^0x[0-9a-f]{64}$/.test(value) ? value : null;
  return /^[0-9a-f]{64}$/.test(value) ? value : null;
}

export type SendActor = { adminId: string } | { processor: string };

/** Records that an approved withdrawal was broadcast with `txid`: held funds -> in flight. */
export function markWithdrawalSent(
  prisma: PrismaClient,
  input: ActorInput & { by: SendActor; txid: string },
): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["APPROVED"],
    verb: "marked sent",
    guard: (row) => {
      if ("adminId" in input.by) {
        const own = notOwnWithdrawal(input.by.adminId)(row);
        if (own) return own;
        if (row.processor && row.processor !== MANUAL_PROCESSOR_NAME) {
          return {
            code: "FORBIDDEN",
            message: `The ${row.processor} processor sends this withdrawal; it records the txid itself.`,
          };
        }
      } else if (row.processor !== input.by.processor) {
        return { code: "FORBIDDEN", message: `This withdrawal was not handed to the ${input.by.processor} processor.` };
      }
      return normalizeTxid(row.coin, input.txid)
        ? null
        : {
            code: "INVALID",
            message:
              row.coin === "ETC"
                ? "Enter the transaction id: 0x and 64 hex digits."
                : "Enter the transaction id: 64 hex digits.",
          };
    },
    apply: async (tx, row) => {
      const txid = normalizeTxid(row.coin, input.txid)!;
      const amount = BigInt(row.amount_base);
      await postJournal(tx, {
        kind: "WITHDRAWAL_SEND",
        description: `Withdrawal sent in ${txid}`,
        referenceType: "withdrawal",
        referenceId: row.id,
        postings: [
          { account: userAccount("USER_HELD", row.coin, row.user_id), amount: -amount },
          { account: platformAccount("WITHDRAWALS_IN_FLIGHT", row.coin), amount },
        ],
      });
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "SENT", txid, sentAt: now } });
      await auditStep(tx, row, {
        actorId: "adminId" in input.by ? input.by.adminId : null,
        step: "sent",
        ip: input.ip,
        details: { txid, ...("processor" in input.by ? { processor: input.by.processor } : {}) },
      });
      await noticeWithdrawalStatus(tx, row, "sent", { txid });
    },
  });
}

/** Records the on-chain confirmation: the net leaves the platform's custody, the fee is income. */
export function markWithdrawalConfirmed(
  prisma: PrismaClient,
  input: ActorInput & { adminId: string },
): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  return transition(prisma, {
    withdrawalId: input.withdrawalId,
    from: ["SENT"],
    verb: "marked confirmed",
    apply: async (tx, row) => {
      const amount = BigInt(row.amount_base);
      const fee = BigInt(row.network_fee_base);
      const net = BigInt(row.net_base);
      await postJournal(tx, {
        kind: "WITHDRAWAL_CONFIRM",
        description: "Withdrawal confirmed on chain",
        referenceType: "withdrawal",
        referenceId: row.id,
        postings: [
          { account: platformAccount("WITHDRAWALS_IN_FLIGHT", row.coin), amount: -amount },
          { account: platformAccount("MINING_CLEARING", row.coin), amount: net },
          ...(fee > 0n ? [{ account: platformAccount("PLATFORM_FEES", row.coin), amount: fee }] : []),
        ],
      });
      await tx.withdrawal.update({ where: { id: row.id }, data: { status: "CONFIRMED", confirmedAt: now } });
      await auditStep(tx, row, { actorId: input.adminId, step: "confirmed", ip: input.ip, details: {} });
      await noticeWithdrawalStatus(tx, row, "confirmed", { txid: row.txid });
    },
  });
}
