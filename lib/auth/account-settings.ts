// The signed-in account's own email and password (issue 15). Changing the email needs the
// password and a link sent to the new address (30 minutes, single use); when it is used the old
// address gets a notice. Changing the password needs the current one, voids every other session
// and sends a notice.
import { appendUserAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { notify } from "../notifications/notify";
import { getSecrets } from "../secrets";
import { invalid, refuse, refuseField, type Refusal } from "../shared/result";
import { consumeAccountToken, mailAccountLink } from "./account-tokens";
import { normalizeEmail } from "./login";
import { hashPassword, verifyPassword } from "./password";
import { passwordProblem } from "./password-policy";
import { revokeOtherSessions } from "./sessions";

export const CHANGE_EMAIL_TTL_MS = 30 * 60_000;
const WRONG_PASSWORD = "That is not your current password.";

async function checkPassword(prisma: PrismaClient, userId: string, password: string) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}

export type EmailChangeRequest = { ok: true; to: string } | Refusal<"WRONG_PASSWORD" | "INVALID">;

export async function requestEmailChange(
  prisma: PrismaClient,
  input: { userId: string; newEmail: string; password: string; ip: string | null },
): Promise<EmailChangeRequest> {
  const newEmail = normalizeEmail(input.newEmail);
  const user = await checkPassword(prisma, input.userId, input.password);
  if (!user) return refuseField("WRONG_PASSWORD", "password", WRONG_PASSWORD);
  if (newEmail === user.email) return refuseField("INVALID", "newEmail", "That is already your email address.");
  // A taken address is not revealed here either: the link is sent, and its use is refused.
  const { authSecret } = await getSecrets();
  await prisma.$transaction(async (tx) => {
    await mailAccountLink(tx, authSecret, {
      userId: user.id,
      to: newEmail,
      purpose: "CHANGE_EMAIL",
      ttlMs: CHANGE_EMAIL_TTL_MS,
      payload: { newEmail, oldEmail: user.email },
      kind: "account.confirm_email_change",
      params: { name: user.name },
    });
    await appendUserAudit(tx, user.id, { action: "auth.email_change_requested", ip: input.ip, details: { newEmail } });
  });
  return { ok: true, to: newEmail };
}

export type EmailChangeResult = { ok: true; email: string } | Refusal<"INVALID_LINK" | "EMAIL_TAKEN">;

export async function confirmEmailChange(
  prisma: PrismaClient,
  input: { token: string; ip: string | null },
): Promise<EmailChangeResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const used = await consumeAccountToken(tx, input.token, "CHANGE_EMAIL");
      if (!used) {
        return refuse(
          "INVALID_LINK",
          "This link is no longer valid: it was used already, it expired, or a newer one was sent.",
        );
      }
      const newEmail = String(used.payload.newEmail);
      const oldEmail = String(used.payload.oldEmail);
      const now = new Date();
      // The notice goes to the old address (written before the change, while it is the account's).
      await notify(tx, { userId: used.userId, kind: "security.email_changed", params: { newEmail } });
      const changed = await tx.user.updateMany({
        where: { id: used.userId, email: oldEmail },
        data: { email: newEmail, emailVerifiedAt: now },
      });
      if (changed.count === 0) {
        return refuse("INVALID_LINK", "Your email changed since this link was sent. Ask for a new one.");
      }
      await appendUserAudit(tx, used.userId, {
        action: "auth.email_changed",
        ip: input.ip,
        details: { from: oldEmail, to: newEmail },
      });
      return { ok: true, email: newEmail };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return refuse("EMAIL_TAKEN", "Another account uses that address now, so your email stays as it was.");
  }
}

export type PasswordChangeResult = { ok: true; sessionsValidAfter: Date } | Refusal<"WRONG_PASSWORD" | "INVALID">;

export async function changePassword(
  prisma: PrismaClient,
  input: { userId: string; current: string; next: string; ip: string | null; keepSessionId?: string | null },
): Promise<PasswordChangeResult> {
  const user = await checkPassword(prisma, input.userId, input.current);
  if (!user) return refuseField("WRONG_PASSWORD", "current", WRONG_PASSWORD);
  if (input.next === input.current) return refuseField("INVALID", "next", "Choose a password you have not used here.");
  const weak = passwordProblem(input.next, { email: user.email, name: user.name });
  if (weak) return invalid(weak, { next: weak });
  const passwordHash = await hashPassword(input.next);
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionsValidAfter: now } });
    await revokeOtherSessions(tx, user.id, input.keepSessionId ?? null, "password_changed", {
      actorId: user.id,
      ip: input.ip,
      now,
    });
    await notify(tx, { userId: user.id, kind: "security.password_changed", params: { reset: false, ip: input.ip } });
    await appendUserAudit(tx, user.id, { action: "auth.password_changed", ip: input.ip });
    return { ok: true, sessionsValidAfter: now };
  });
}
