// Sign-up and proving the address (issue 15). The answer never says whether an email has an
// account: a new address gets an account and a verification link; an address that has one gets
// nothing new, and its owner a "someone tried to register with your email" note (at most one an
// hour). Both paths hash the password first, so they also take the same time. Until the link is
// used the account browses but neither buys nor withdraws (users.email_verified_at). Signing up
// accepts the terms of service (with the risk disclosure and privacy notice): the version is
// stored on the account and in its audit line.
import { z } from "zod";
import { appendUserAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import { Role } from "../generated/prisma/enums";
import { TERMS_VERSION } from "../legal/documents";
import { enqueueMail } from "../mail/outbox";
import { getSecrets } from "../secrets";
import { retryAfterText, takeRateLimit } from "../security/rate-limit";
import { invalid, parseInput, refuse, type Refusal } from "../shared/result";
import { consumeAccountToken, mailAccountLink } from "./account-tokens";
import { normalizeEmail } from "./login";
import { hashPassword } from "./password";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from "./password-policy";

export const VERIFY_EMAIL_TTL_MS = 24 * 60 * 60_000;

export const passwordField = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters for your password.`)
  .max(PASSWORD_MAX_LENGTH, `Password is too long (${PASSWORD_MAX_LENGTH} characters at most).`);

export const emailField = z
  .string()
  .trim()
  .max(254, "Email is too long.")
  .pipe(z.email("Enter a valid email address."));

export const registrationSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Name is too long (100 characters at most)."),
  email: emailField,
  password: passwordField,
  /** People sign up to rent hashrate or to host rigs; admins are never self-registered. */
  accountType: z.enum(["CUSTOMER", "OPERATOR"], { error: "Choose an account type." }),
  /** The form's checkbox ("on") or an API caller's true: the terms, risk disclosure and privacy notice. */
  acceptTerms: z.preprocess(
    (v) => v === true || v === "on",
    z.literal(true, { error: "Accept the terms of service, the risk disclosure and the privacy notice to sign up." }),
  ),
});

export type RegistrationInput = z.input<typeof registrationSchema>;
/** Deliberately no user id: the same answer for a new and a taken address. */
export type RegistrationResult = { ok: true } | Refusal<"INVALID" | "RATE_LIMITED">;

/** Writes a fresh verification link for the user's current address (older ones stop working). */
async function sendVerificationLink(tx: Tx, user: { id: string; email: string; name: string }): Promise<void> {
  const { authSecret } = await getSecrets();
  await mailAccountLink(tx, authSecret, {
    userId: user.id,
    to: user.email,
    purpose: "VERIFY_EMAIL",
    ttlMs: VERIFY_EMAIL_TTL_MS,
    payload: { email: user.email },
    kind: "account.verify_email",
    params: { name: user.name },
  });
}

export async function registerUser(
  prisma: PrismaClient,
  raw: unknown,
  context: { ip?: string | null } = {},
): Promise<RegistrationResult> {
  const parsed = parseInput(registrationSchema, raw);
  if (!parsed.ok) return parsed;
  const { name, password, accountType } = parsed.value;
  const email = normalizeEmail(parsed.value.email);
  const weak = passwordProblem(password, { email, name });
  if (weak) return invalid("Check the field marked below.", { password: weak });
  // Per client address (a request without one, such as a script's, is not limited here).
  const limit = context.ip ? await takeRateLimit(prisma, "register-ip", context.ip) : ({ ok: true } as const);
  if (!limit.ok) {
    return refuse(
      "RATE_LIMITED",
      `Too many sign-ups from your network. Try again ${retryAfterText(limit.retryAfterSeconds)}.`,
    );
  }
  const passwordHash = await hashPassword(password);
  const roles: Role[] = accountType === "OPERATOR" ? [Role.OPERATOR, Role.CUSTOMER] : [Role.CUSTOMER];
  const created = await prisma.$transaction(async (tx) => {
    const [user] = await tx.user.createManyAndReturn({
      data: [{ name, email, passwordHash, roles, termsVersion: TERMS_VERSION, termsAcceptedAt: new Date() }],
      skipDuplicates: true,
      select: { id: true, email: true, name: true },
    });
    if (!user) return false;
    await sendVerificationLink(tx, user);
    await appendUserAudit(tx, user.id, {
      action: "auth.registered",
      ip: context.ip ?? null,
      details: { roles, termsVersion: TERMS_VERSION },
    });
    return true;
  });
  if (!created) {
    // The address has an account: tell its owner (not the person at the form), at most hourly.
    const owner = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true } });
    if (owner && (await takeRateLimit(prisma, "registration-attempt-mail", owner.id)).ok) {
      await prisma.$transaction((tx) =>
        enqueueMail(tx, {
          userId: owner.id,
          to: owner.email,
          kind: "account.registration_attempt",
          params: { ip: context.ip ?? null },
        }),
      );
    }
  }
  return { ok: true };
}

export type VerifyResult = { ok: true; userId: string } | Refusal<"INVALID_LINK">;

const INVALID_LINK = "This link is no longer valid: it was used already, it expired, or a newer one was sent.";

/** Redeems a verification link once; the address must still be the one the link was sent to. */
export async function verifyEmail(
  prisma: PrismaClient,
  token: string,
  ip: string | null = null,
): Promise<VerifyResult> {
  return prisma.$transaction(async (tx) => {
    const used = await consumeAccountToken(tx, token, "VERIFY_EMAIL");
    if (!used) return refuse("INVALID_LINK", INVALID_LINK);
    const updated = await tx.user.updateMany({
      where: { id: used.userId, email: String(used.payload.email ?? "") },
      data: { emailVerifiedAt: new Date() },
    });
    if (updated.count === 0) return refuse("INVALID_LINK", INVALID_LINK);
    await appendUserAudit(tx, used.userId, { action: "auth.email_verified", ip });
    return { ok: true, userId: used.userId };
  });
}

export type ResendResult = { ok: true; alreadyVerified: boolean } | Refusal<"RATE_LIMITED">;

/** Another verification link for a signed-in account that has not proven its address yet. */
export async function resendVerification(prisma: PrismaClient, userId: string): Promise<ResendResult> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, emailVerifiedAt: true },
  });
  if (user.emailVerifiedAt) return { ok: true, alreadyVerified: true };
  const limit = await takeRateLimit(prisma, "verify-resend", user.id);
  if (!limit.ok) {
    return refuse(
      "RATE_LIMITED",
      `We already sent several links. Check your inbox and spam folder, or ask again ${retryAfterText(limit.retryAfterSeconds)}.`,
    );
  }
  await prisma.$transaction((tx) => sendVerificationLink(tx, user));
  return { ok: true, alreadyVerified: false };
}
