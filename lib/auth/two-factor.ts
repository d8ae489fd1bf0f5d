// Two-factor enrolment and management: start (a pending secret, sealed at rest), confirm
// with a code (2FA on, ten one-time recovery codes, other sessions void), disable and
// regenerate recovery codes (each behind a fresh code). Every change is one transaction
// with its audit line; turning 2FA on or off also writes the security.two_factor_changed
// notice and mail in that transaction (it cannot be switched off). Recovery codes are
// stored as scrypt hashes; the plaintext is returned once, to be shown once.
import { randomInt } from "node:crypto";
import { appendAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import { notify } from "../notifications/notify";
import { getSecrets } from "../secrets";
import type { KeyRing } from "../secrets/key-ring";
import { refuse, type Result } from "../shared/result";
import { hashPassword, verifyPassword } from "./password";
import { revokeOtherSessions } from "./sessions";
import {
  generateTotpSecret,
  lockTotpRow,
  normalizeTotpCode,
  NOT_ENABLED,
  openTotpSecret,
  recordWrongCode,
  refuseIfLocked,
  sealTotpSecret,
  verifyUserTotp,
  type TotpFailure,
  type TotpRefusal,
} from "./totp";

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32 (no i, l, o, u): 10 characters = 50 bits per code.
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RECOVERY_LENGTH = 10;

export function generateRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < RECOVERY_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Canonical form of a typed recovery code ("ABCDE 12345" -> "abcde-12345"), or null. */
export function normalizeRecoveryCode(input: string): string | null {
  const raw = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  if (raw.length !== RECOVERY_LENGTH || ![...raw].every((c) => RECOVERY_ALPHABET.includes(c))) return null;
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

async function newRecoveryCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  // Hashed before the transaction opens: scrypt is slow and the user row is locked inside.
  const hashes = await Promise.all(codes.map((code) => hashPassword(code)));
  return { codes, hashes };
}

async function replaceRecoveryCodes(tx: Tx, userId: string, hashes: string[]): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
}

export type SecondFactorCheck =
  TotpRefusal | { ok: true; method: "totp" } | { ok: true; method: "recovery"; remaining: number };

/**
 * Which unused recovery code of the user this input is (its row id), or null. Runs the
 * scrypt comparisons (slow by design) without any lock, so callers do it BEFORE opening
 * their transaction and pass the answer to redeemRecoveryCode / verifySecondFactor.
 */
export async function matchRecoveryCode(
  prisma: PrismaClient | Tx,
  userId: string,
  input: string,
): Promise<string | null> {
  const code = normalizeRecoveryCode(input);
  if (!code) return null;
  const unused = await prisma.recoveryCode.findMany({
    where: { userId, usedAt: null },
    select: { id: true, codeHash: true },
  });
  const matches = await Promise.all(unused.map((r) => verifyPassword(code, r.codeHash)));
  return unused[matches.indexOf(true)]?.id ?? null;
}

/**
 * A recovery code in place of a TOTP code: used once, counted with wrong TOTP codes
 * towards the lock. Locks the user row and marks the code used only if it is still
 * unused, so one code cannot be spent twice concurrently. `matchedId` is
 * matchRecoveryCode's answer when the caller ran it before the transaction.
 */
export async function redeemRecoveryCode(
  tx: Tx,
  userId: string,
  input: string,
  now: Date = new Date(),
  matchedId?: string | null,
): Promise<SecondFactorCheck> {
  const row = await lockTotpRow(tx, userId);
  if (!row?.totp_enabled_at) return NOT_ENABLED;
  const locked = refuseIfLocked(row, now);
  if (locked) return locked;
  const wrong = { what: "That recovery code is not right or was already used", hint: "each recovery code works once" };
  const id = matchedId === undefined ? await matchRecoveryCode(tx, userId, input) : matchedId;
  const spent = id
    ? await tx.recoveryCode.updateMany({ where: { id, userId, usedAt: null }, data: { usedAt: now } })
    : { count: 0 };
  if (spent.count !== 1) return recordWrongCode(tx, userId, row, now, wrong);
  await tx.user.update({ where: { id: userId }, data: { totpFailedCount: 0 } });
  const remaining = await tx.recoveryCode.count({ where: { userId, usedAt: null } });
  await appendAudit(tx, {
    actorId: userId,
    action: "auth.recovery_code_used",
    entityType: "user",
    entityId: userId,
    details: { remaining },
  });
  return { ok: true, method: "recovery", remaining };
}

/** True when the input is tried as a recovery code rather than a TOTP code. */
export function looksLikeRecoveryCode(input: string): boolean {
  return !normalizeTotpCode(input) && normalizeRecoveryCode(input) !== null;
}

/**
 * A recovery-code-shaped input is tried as one; anything else is a TOTP code. Pass
 * `recoveryMatch` (matchRecoveryCode, run before the transaction) to keep the row lock short.
 */
export async function verifySecondFactor(
  tx: Tx,
  userId: string,
  input: string,
  now: Date = new Date(),
  keyRing?: KeyRing,
  recoveryMatch?: string | null,
): Promise<SecondFactorCheck> {
  if (looksLikeRecoveryCode(input)) return redeemRecoveryCode(tx, userId, input, now, recoveryMatch);
  const check = await verifyUserTotp(tx, userId, input, now, { keyRing });
  return check.ok ? { ok: true, method: "totp" } : check;
}

export type TwoFactorRefusalCode = "NOT_FOUND" | "CONFLICT" | "INVALID" | `TOTP_${TotpFailure}`;
export type TwoFactorResult<T extends object = object> = Result<T, TwoFactorRefusalCode>;

interface Actor {
  userId: string;
  ip: string | null;
  now?: Date;
  keyRing?: KeyRing;
}

async function ringOf(actor: Actor): Promise<KeyRing> {
  return actor.keyRing ?? (await getSecrets()).keyRing;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  /** Base32 secret of an enrolment waiting for its first code, else null. */
  pendingSecret: string | null;
  recoveryCodesLeft: number;
  lockedUntil: Date | null;
}

export async function twoFactorStatus(
  prisma: PrismaClient,
  userId: string,
  keyRing?: KeyRing,
): Promise<TwoFactorStatus> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpSecretEnc: true, totpKeyId: true, totpEnabledAt: true, totpLockedUntil: true },
  });
  const recoveryCodesLeft = await prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  const pending = !user.totpEnabledAt && user.totpSecretEnc && user.totpKeyId;
  return {
    enabled: !!user.totpEnabledAt,
    enabledAt: user.totpEnabledAt,
    pendingSecret: pending
      ? openTotpSecret(user.totpSecretEnc!, user.totpKeyId!, userId, keyRing ?? (await getSecrets()).keyRing)
      : null,
    recoveryCodesLeft: user.totpEnabledAt ? recoveryCodesLeft : 0,
    lockedUntil: user.totpLockedUntil && user.totpLockedUntil > new Date() ? user.totpLockedUntil : null,
  };
}

const ALREADY_ON = "Two-factor authentication is already on. Turn it off first to set up a new authenticator.";

/**
 * A new pending secret (replacing any earlier unconfirmed one); 2FA stays off until confirmed.
 * `secret` is for the demo seed only (lib/demo/withdrawer.ts): its withdrawer's key is fixed so
 * npm start can print it; everyone else gets a fresh random one.
 */
export async function startTotpEnrolment(
  prisma: PrismaClient,
  actor: Actor,
  options: { secret?: string } = {},
): Promise<TwoFactorResult<{ secret: string }>> {
  const ring = await ringOf(actor);
  const secret = options.secret ?? generateTotpSecret();
  const sealed = sealTotpSecret(secret, actor.userId, ring);
  return prisma.$transaction(async (tx) => {
    const row = await lockTotpRow(tx, actor.userId);
    if (!row) return refuse("NOT_FOUND", "This account no longer exists.");
    if (row.totp_enabled_at) return refuse("CONFLICT", ALREADY_ON);
    await tx.user.update({
      where: { id: actor.userId },
      data: { totpSecretEnc: sealed.ciphertext, totpKeyId: sealed.keyId, totpLastStep: null },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      action: "auth.2fa_enrolment_started",
      entityType: "user",
      entityId: actor.userId,
      ip: actor.ip,
      details: { keyId: sealed.keyId },
    });
    return { ok: true, secret };
  });
}

/** Forgets an unconfirmed enrolment. */
export async function cancelTotpEnrolment(prisma: PrismaClient, actor: Actor): Promise<TwoFactorResult> {
  return prisma.$transaction(async (tx) => {
    const row = await lockTotpRow(tx, actor.userId);
    if (!row) return refuse("NOT_FOUND", "This account no longer exists.");
    if (row.totp_enabled_at) return refuse("CONFLICT", ALREADY_ON);
    if (!row.totp_secret_enc) return { ok: true };
    await tx.user.update({
      where: { id: actor.userId },
      data: { totpSecretEnc: null, totpKeyId: null, totpLastStep: null },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      action: "auth.2fa_enrolment_cancelled",
      entityType: "user",
      entityId: actor.userId,
      ip: actor.ip,
    });
    return { ok: true };
  });
}

/**
 * The first right code turns 2FA on: ten recovery codes replace any old ones, and every
 * session issued before now is void (sessionsValidAfter) and every other session row is
 * revoked (all but `sessionId`, the one confirming), so a session someone else may hold
 * does not outlive the new factor.
 */
export async function confirmTotpEnrolment(
  prisma: PrismaClient,
  actor: Actor & { code: string; sessionId?: string | null },
): Promise<TwoFactorResult<{ recoveryCodes: string[]; sessionsValidAfter: Date }>> {
  const now = actor.now ?? new Date();
  if (!normalizeTotpCode(actor.code)) return refuse("INVALID", "Enter the 6-digit code your authenticator app shows.");
  const ring = await ringOf(actor);
  const { codes, hashes } = await newRecoveryCodes();
  return prisma.$transaction(async (tx) => {
    const row = await lockTotpRow(tx, actor.userId);
    if (row?.totp_enabled_at) return refuse("CONFLICT", ALREADY_ON);
    if (!row?.totp_secret_enc)
      return refuse("CONFLICT", "Start the set-up first: no authenticator is waiting for confirmation.");
    const check = await verifyUserTotp(tx, actor.userId, actor.code, now, { allowPending: true, keyRing: ring });
    if (!check.ok) return refuse(`TOTP_${check.reason}` as const, check.message);
    await tx.user.update({ where: { id: actor.userId }, data: { totpEnabledAt: now, sessionsValidAfter: now } });
    await revokeOtherSessions(tx, actor.userId, actor.sessionId ?? null, "two_factor_enabled", {
      actorId: actor.userId,
      ip: actor.ip,
      now,
    });
    // The confirming session just typed a right code: it counts as signed in with one
    // (two-factor-guard.ts), as a sign-in with the code would.
    if (actor.sessionId)
      await tx.userSession.updateMany({
        where: { id: actor.sessionId, userId: actor.userId },
        data: { secondFactor: "totp" },
      });
    await replaceRecoveryCodes(tx, actor.userId, hashes);
    await notify(tx, { userId: actor.userId, kind: "security.two_factor_changed", params: { enabled: true } });
    await appendAudit(tx, {
      actorId: actor.userId,
      action: "auth.2fa_enabled",
      entityType: "user",
      entityId: actor.userId,
      ip: actor.ip,
      details: { keyId: row.totp_key_id, recoveryCodes: codes.length, sessionsValidAfter: now.toISOString() },
    });
    return { ok: true, recoveryCodes: codes, sessionsValidAfter: now };
  });
}

/** Turns 2FA off behind a fresh TOTP code or an unused recovery code (a lost phone). */
export async function disableTwoFactor(
  prisma: PrismaClient,
  actor: Actor & { code: string },
): Promise<TwoFactorResult> {
  const now = actor.now ?? new Date();
  const ring = await ringOf(actor);
  const recoveryMatch = looksLikeRecoveryCode(actor.code)
    ? await matchRecoveryCode(prisma, actor.userId, actor.code)
    : undefined;
  return prisma.$transaction(async (tx) => {
    const check = await verifySecondFactor(tx, actor.userId, actor.code, now, ring, recoveryMatch);
    if (!check.ok) return refuse(`TOTP_${check.reason}` as const, check.message);
    await tx.user.update({
      where: { id: actor.userId },
      data: {
        totpSecretEnc: null,
        totpKeyId: null,
        totpEnabledAt: null,
        totpLastStep: null,
        totpFailedCount: 0,
        totpLockedUntil: null,
      },
    });
    await tx.recoveryCode.deleteMany({ where: { userId: actor.userId } });
    await notify(tx, { userId: actor.userId, kind: "security.two_factor_changed", params: { enabled: false } });
    await appendAudit(tx, {
      actorId: actor.userId,
      action: "auth.2fa_disabled",
      entityType: "user",
      entityId: actor.userId,
      ip: actor.ip,
      details: { confirmedWith: check.method },
    });
    return { ok: true };
  });
}

/** Ten new recovery codes (the old ones stop working) behind a fresh TOTP code. */
export async function regenerateRecoveryCodes(
  prisma: PrismaClient,
  actor: Actor & { code: string },
): Promise<TwoFactorResult<{ recoveryCodes: string[] }>> {
  const now = actor.now ?? new Date();
  if (!normalizeTotpCode(actor.code)) return refuse("INVALID", "Enter the 6-digit code your authenticator app shows.");
  const ring = await ringOf(actor);
  const { codes, hashes } = await newRecoveryCodes();
  return prisma.$transaction(async (tx) => {
    const check = await verifyUserTotp(tx, actor.userId, actor.code, now, { keyRing: ring });
    if (!check.ok) return refuse(`TOTP_${check.reason}` as const, check.message);
    await replaceRecoveryCodes(tx, actor.userId, hashes);
    await appendAudit(tx, {
      actorId: actor.userId,
      action: "auth.recovery_codes_regenerated",
      entityType: "user",
      entityId: actor.userId,
      ip: actor.ip,
      details: { recoveryCodes: codes.length },
    });
    return { ok: true, recoveryCodes: codes };
  });
}
