// Freezing accounts: a frozen account cannot sign in (lib/auth), request a withdrawal
// (withdrawal-request.ts), have a withdrawal approved (withdrawal-transitions.ts) or an
// approved one handed to a processor (withdrawal-processor.ts). Freezing and unfreezing are
// each one transaction with the user's row locked and one audit line (the freeze's reason in
// both); an admin cannot freeze their own account. Freezing ends every session of the account.
// Lifting a customer's own withdrawals freeze (the "this wasn't me" link,
// lib/wallet/withdrawal-freeze.ts) is the same shape: the admin checked in the transaction
// (./actor.ts), never their own account, a required note, the audit line withdrawals.unfrozen
// and the customer's security.withdrawals_unfrozen notice.
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import { revokeOtherSessions } from "../auth/sessions";
import type { PrismaClient } from "../db/client";
import { notify } from "../notifications/notify";
import { formatInstantUtc } from "../shared/days";
import { refuse, refuseField, type Result } from "../shared/result";
import { reviewReasonSchema } from "../wallet/withdrawal-transitions";
import { checkAdmin } from "./actor";

const uuid = z.uuid();

export interface FreezeInput {
  adminId: string;
  userId: string;
  ip?: string | null;
  now?: Date;
}

export type FreezeResult =
  | { ok: true }
  | { ok: false; code: "NOT_FOUND" | "INVALID" | "FORBIDDEN" | "UNCHANGED"; message: string; field?: string };

/** Freezes an account: no sign-in, no withdrawal request, approved ones are not processed. */
export async function freezeAccount(
  prisma: PrismaClient,
  input: FreezeInput & { reason: string },
): Promise<FreezeResult> {
  const reason = reviewReasonSchema.safeParse(input.reason);
  if (!reason.success) return { ok: false, code: "INVALID", message: reason.error.issues[0]!.message, field: "reason" };
  if (input.adminId === input.userId)
    return { ok: false, code: "FORBIDDEN", message: "You cannot freeze your own account." };
  if (!uuid.safeParse(input.userId).success)
    return { ok: false, code: "NOT_FOUND", message: "This account was not found." };
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { frozen_at: Date | null }[]
    >`SELECT frozen_at FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`;
    if (!row) return { ok: false as const, code: "NOT_FOUND" as const, message: "This account was not found." };
    if (row.frozen_at)
      return { ok: false as const, code: "UNCHANGED" as const, message: "This account is already frozen." };
    await tx.user.update({ where: { id: input.userId }, data: { frozenAt: now, frozenReason: reason.data } });
    // A frozen account is signed out everywhere; unfreezing does not bring the sessions back.
    await revokeOtherSessions(tx, input.userId, null, "account_frozen", {
      actorId: input.adminId,
      ip: input.ip ?? null,
      now,
    });
    await appendAudit(tx, {
      actorId: input.adminId,
      action: "account.frozen",
      entityType: "user",
      entityId: input.userId,
      ip: input.ip ?? null,
      details: { reason: reason.data },
    });
    return { ok: true as const };
  });
}

export async function unfreezeAccount(prisma: PrismaClient, input: FreezeInput): Promise<FreezeResult> {
  if (!uuid.safeParse(input.userId).success)
    return { ok: false, code: "NOT_FOUND", message: "This account was not found." };
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ frozen_at: Date | null; frozen_reason: string | null }[]>`
      SELECT frozen_at, frozen_reason FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`;
    if (!row) return { ok: false as const, code: "NOT_FOUND" as const, message: "This account was not found." };
    if (!row.frozen_at)
      return { ok: false as const, code: "UNCHANGED" as const, message: "This account is not frozen." };
    await tx.user.update({ where: { id: input.userId }, data: { frozenAt: null, frozenReason: null } });
    await appendAudit(tx, {
      actorId: input.adminId,
      action: "account.unfrozen",
      entityType: "user",
      entityId: input.userId,
      ip: input.ip ?? null,
      details: { frozenAt: row.frozen_at.toISOString(), frozenReason: row.frozen_reason },
    });
    return { ok: true as const };
  });
}

export const liftNoteSchema = z
  .string({ error: "Write a note." })
  .trim()
  .min(3, "Write what you checked before lifting the freeze (at least 3 characters); it is kept in the audit log.")
  .max(500, "Keep the note under 500 characters.");

export type LiftWithdrawalsFreezeResult = Result<object, "NOT_FOUND" | "INVALID" | "FORBIDDEN" | "UNCHANGED">;

/** Lifts a customer's withdrawals freeze after an admin looked at the account, with a note for the audit log. */
export async function liftWithdrawalsFreeze(
  prisma: PrismaClient,
  input: FreezeInput & { note: string },
): Promise<LiftWithdrawalsFreezeResult> {
  const note = liftNoteSchema.safeParse(input.note);
  if (!note.success) return refuseField("INVALID", "note", note.error.issues[0]!.message);
  if (input.adminId === input.userId)
    return refuse("FORBIDDEN", "You cannot lift a freeze of your own account: another admin must.");
  if (!uuid.safeParse(input.userId).success) return refuse("NOT_FOUND", "This account was not found.");
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx): Promise<LiftWithdrawalsFreezeResult> => {
    const admin = await checkAdmin(tx, input.adminId);
    if (!admin.ok) return admin;
    const [row] = await tx.$queryRaw<
      { withdrawals_frozen_at: Date | null; withdrawals_frozen_reason: string | null }[]
    >`
      SELECT withdrawals_frozen_at, withdrawals_frozen_reason FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`;
    if (!row) return refuse("NOT_FOUND", "This account was not found.");
    if (!row.withdrawals_frozen_at) return refuse("UNCHANGED", "Withdrawals from this account are not frozen.");
    await tx.user.update({
      where: { id: input.userId },
      data: { withdrawalsFrozenAt: null, withdrawalsFrozenReason: null },
    });
    await appendAudit(tx, {
      actorId: input.adminId,
      action: "withdrawals.unfrozen",
      entityType: "user",
      entityId: input.userId,
      ip: input.ip ?? null,
      details: {
        note: note.data,
        frozenAt: row.withdrawals_frozen_at.toISOString(),
        frozenReason: row.withdrawals_frozen_reason,
      },
    });
    await notify(tx, {
      userId: input.userId,
      kind: "security.withdrawals_unfrozen",
      params: { at: formatInstantUtc(now) },
    });
    return { ok: true };
  });
}
