// The password step of signing in, framework-free so it is tested without a server.
// Rate limits: per account and per IP, failures within a sliding window. Every attempt
// is recorded before it is judged, so concurrent guesses count against each other.
// Errors are generic: an unknown email and a wrong password look the same.
import type { PrismaClient } from "../db/client";
import type { Role } from "../generated/prisma/enums";
import type { KeyRing } from "../secrets/key-ring";
import { refuse, type Refusal } from "../shared/result";
import { loginErrorMessages, type LoginError } from "./messages";
import { burnPasswordCheck, verifyPassword } from "./password";
import { looksLikeRecoveryCode, matchRecoveryCode, verifySecondFactor } from "./two-factor";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

export type { LoginError };

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

export type LoginResult = { ok: true; user: AuthenticatedUser } | Refusal<LoginError>;

/** A sign-in refusal: its code, and the words shown for it (lib/auth/messages.ts). */
function loginRefusal(code: LoginError): Refusal<LoginError> {
  return refuse(code, loginErrorMessages[code]);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Second factor hook: called after the password matched for a user with 2FA enabled.
 * Until TOTP enrolment exists nobody has 2FA enabled, and a user who has it is refused
 * without a verifier rather than let through.
 */
export type SecondFactorVerifier = (userId: string, code: string) => Promise<boolean>;

export async function authenticate(
  prisma: PrismaClient,
  input: { email: string; password: string; ip: string; secondFactorCode?: string },
  verifySecondFactor?: SecondFactorVerifier,
): Promise<LoginResult> {
  const email = normalizeEmail(input.email);
  const ip = input.ip || "unknown";
  const attempt = await prisma.loginAttempt.create({ data: { email, ip, succeeded: false } });
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);

  const [lastSuccess] = await prisma.loginAttempt.findMany({
    where: { email, succeeded: true, createdAt: { gte: since } },
    orderBy: { createdAt: "desc" },
    take: 1,
    select: { createdAt: true },
  });
  const accountFailures = await prisma.loginAttempt.count({
    where: { email, succeeded: false, createdAt: { gte: lastSuccess?.createdAt ?? since } },
  });
  const ipFailures = await prisma.loginAttempt.count({ where: { ip, succeeded: false, createdAt: { gte: since } } });
  if (accountFailures > MAX_FAILURES_PER_ACCOUNT || ipFailures > MAX_FAILURES_PER_IP) {
    await burnPasswordCheck(input.password);
    return loginRefusal("RATE_LIMITED");
  }

  const user = await prisma.user.findUnique({ where: { email } });
  if (!user) {
    await burnPasswordCheck(input.password);
    return loginRefusal("INVALID_CREDENTIALS");
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    return loginRefusal("INVALID_CREDENTIALS");
  }
  if (user.frozenAt) return loginRefusal("ACCOUNT_FROZEN");
  if (user.totpEnabledAt) {
    if (!input.secondFactorCode || !verifySecondFactor) {
      // The password was right: not a failure against the account or the IP (20 complete 2FA
      // sign-ins from one office must not lock out everyone behind it). Wrong codes have their
      // own 15-minute lock per account (lib/auth/totp.ts).
      await prisma.loginAttempt.update({ where: { id: attempt.id }, data: { succeeded: true } });
      return loginRefusal("SECOND_FACTOR_REQUIRED");
    }
    if (!(await verifySecondFactor(user.id, input.secondFactorCode))) {
      return loginRefusal("SECOND_FACTOR_REQUIRED");
    }
  }

  await prisma.loginAttempt.update({ where: { id: attempt.id }, data: { succeeded: true } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, roles: user.roles } };
}

const SECOND_FACTOR_ERRORS = {
  NOT_ENABLED: "SECOND_FACTOR_EXPIRED",
  INVALID: "SECOND_FACTOR_INVALID",
  REPLAYED: "SECOND_FACTOR_REPLAYED",
  LOCKED: "SECOND_FACTOR_LOCKED",
} as const satisfies Record<string, LoginError>;

export type SecondStepResult = (LoginResult & { ok: true; method: "totp" | "recovery" }) | Refusal<LoginError>;

/**
 * The code step of a 2FA sign-in, after the password step vouched for `userId` (the signed
 * login ticket). One transaction: the second factor is checked with the user row locked
 * (a TOTP code once, a recovery code once, wrong codes towards the 15-minute lock) and a
 * successful sign-in is recorded, which also resets the account's password-failure window.
 */
export async function completeSecondFactor(
  prisma: PrismaClient,
  input: { userId: string; code: string; ip: string; now?: Date },
  keyRing?: KeyRing,
): Promise<SecondStepResult> {
  const now = input.now ?? new Date();
  const code = input.code.slice(0, 64);
  const recoveryMatch = looksLikeRecoveryCode(code) ? await matchRecoveryCode(prisma, input.userId, code) : undefined;
  return prisma.$transaction(async (tx) => {
    const check = await verifySecondFactor(tx, input.userId, code, now, keyRing, recoveryMatch);
    if (!check.ok) return loginRefusal(SECOND_FACTOR_ERRORS[check.reason]);
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    if (user.frozenAt) return loginRefusal("ACCOUNT_FROZEN");
    await tx.loginAttempt.create({ data: { email: user.email, ip: input.ip || "unknown", succeeded: true } });
    return {
      ok: true,
      method: check.method,
      user: { id: user.id, email: user.email, name: user.name, roles: user.roles },
    };
  });
}
