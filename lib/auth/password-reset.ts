// Forgotten passwords (issue 15): a reset link by email, single use, stored hashed, 30 minutes.
// The request answers the same whether or not the address has an account. Using the link sets the
// new password, voids every session (sessionsValidAfter, and every device row), proves the address
// (whoever read the mail controls it) and sends the security notice; two-factor authentication
// stays on, so the next sign-in still asks for the code.
import { appendAudit, appendUserAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { notify } from "../notifications/notify";
import { getSecrets } from "../secrets";
import { retryAfterText, takeRateLimit } from "../security/rate-limit";
import { invalid, refuse, type Refusal } from "../shared/result";
import { consumeAccountToken, mailAccountLink, peekAccountToken } from "./account-tokens";
import { normalizeEmail } from "./login";
import { hashPassword } from "./password";
import { passwordProblem } from "./password-policy";
import { revokeOtherSessions } from "./sessions";

export const RESET_PASSWORD_TTL_MS = 30 * 60_000;

export type ResetRequestResult = { ok: true } | Refusal<"RATE_LIMITED">;

export async function requestPasswordReset(
  prisma: PrismaClient,
  input: { email: string; ip: string | null; browser?: string | null },
): Promise<ResetRequestResult> {
  const email = normalizeEmail(input.email).slice(0, 254);
  for (const [name, who] of [
    ["reset-ip", input.ip],
    ["reset-email", email],
  ] as const) {
    if (!who) continue;
    const limit = await takeRateLimit(prisma, name, who);
    if (!limit.ok) {
      return refuse(
        "RATE_LIMITED",
        `Too many reset requests. Check your inbox for the last link, or try again ${retryAfterText(limit.retryAfterSeconds)}.`,
      );
    }
  }
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, frozenAt: true } });
  if (!user || user.frozenAt) return { ok: true };
  const { authSecret } = await getSecrets();
  await prisma.$transaction(async (tx) => {
    await mailAccountLink(tx, authSecret, {
      userId: user.id,
      to: user.email,
      purpose: "RESET_PASSWORD",
      ttlMs: RESET_PASSWORD_TTL_MS,
      kind: "account.reset_password",
      params: { ip: input.ip, browser: input.browser ?? null },
    });
    await appendAudit(tx, {
      actorId: null,
      action: "auth.password_reset_requested",
      entityType: "user",
      entityId: user.id,
      ip: input.ip,
    });
  });
  return { ok: true };
}

const INVALID_LINK =
  "This reset link is no longer valid: it was used already, it expired, or a newer one was sent. Ask for a new one.";

/** Whose reset link this is, without using it (the form shows the address). */
export async function resetLinkAccount(prisma: PrismaClient, token: string): Promise<{ email: string } | null> {
  const found = await peekAccountToken(prisma, token, "RESET_PASSWORD");
  if (!found) return null;
  return prisma.user.findUnique({ where: { id: found.userId }, select: { email: true } });
}

export type ResetResult = { ok: true; email: string } | Refusal<"INVALID_LINK" | "INVALID">;

export async function resetPassword(
  prisma: PrismaClient,
  input: { token: string; password: string; ip: string | null },
): Promise<ResetResult> {
  const account = await resetLinkAccount(prisma, input.token);
  if (!account) return refuse("INVALID_LINK", INVALID_LINK);
  const weak = passwordProblem(input.password, { email: account.email });
  if (weak) return invalid(weak, { password: weak });
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const used = await consumeAccountToken(tx, input.token, "RESET_PASSWORD");
    if (!used) return refuse("INVALID_LINK", INVALID_LINK);
    const now = new Date();
    // The new password, the cut-off for every signed token, and the address proven, in one write.
    const [user] = await tx.$queryRaw<{ email: string }[]>`
      UPDATE users
      SET password_hash = ${passwordHash}, sessions_valid_after = ${now},
          email_verified_at = COALESCE(email_verified_at, ${now})
      WHERE id = ${used.userId}::uuid
      RETURNING email`;
    await revokeOtherSessions(tx, used.userId, null, "password_reset", { actorId: used.userId, ip: input.ip, now });
    // Any other reset link still out there dies with this one.
    await tx.accountToken.updateMany({
      where: { userId: used.userId, purpose: "RESET_PASSWORD", usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    await notify(tx, { userId: used.userId, kind: "security.password_changed", params: { reset: true, ip: input.ip } });
    await appendUserAudit(tx, used.userId, {
      action: "auth.password_reset",
      ip: input.ip,
      details: { sessionsValidAfter: now.toISOString() },
    });
    return { ok: true, email: user!.email };
  });
}
