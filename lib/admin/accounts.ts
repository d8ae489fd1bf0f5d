// Freezing accounts: a frozen account cannot sign in (lib/auth), request a withdrawal
// (withdrawal-request.ts), have a withdrawal approved (withdrawal-transitions.ts) or an
// approved one handed to a processor (withdrawal-processor.ts). Freezing and unfreezing are
// each one transaction with the user's row locked and one audit line (the freeze's reason in
// both); an admin cannot freeze their own account. Freezing ends every session of the account.
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import { revokeOtherSessions } from "../auth/sessions";
import type { PrismaClient } from "../db/client";
import { reviewReasonSchema } from "../wallet/withdrawal-transitions";

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
