// TOTP second factor (RFC 6238: HMAC-SHA-1, 30 s steps, 6 digits, +-1 step of clock drift)
// on the otpauth library. The secret is sealed at rest with the key ring (AES-256-GCM, the
// key id in its own column, AAD "totp:<userId>" so a ciphertext copied to another row does
// not open). verifyUserTotp runs inside the caller's transaction with the user row locked:
// a code is accepted once (its time step must be later than the last accepted one), five
// wrong codes lock the factor for 15 minutes, a right code resets the count.
//
// Callers: on { ok: false } let the transaction COMMIT (return a result, do not throw), or
// the wrong-code count is rolled back with it and the lockout never comes.
import { Secret, TOTP } from "otpauth";
import type { Tx } from "../db/client";
import { getSecrets } from "../secrets";
import { decryptSecret, encryptSecret, type EncryptedSecret } from "../secrets/encryption";
import type { KeyRing } from "../secrets/key-ring";

export const TOTP_ISSUER = "Hashlease";
export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ALGORITHM = "SHA1";
/** Steps of clock drift accepted either side of the current one. */
export const TOTP_WINDOW = 1;
/** 20 bytes = 160 bits, the HMAC-SHA-1 block-sized key RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;
export const TOTP_MAX_FAILURES = 5;
export const TOTP_LOCK_MS = 15 * 60 * 1000;

export type TotpFailure = "NOT_ENABLED" | "INVALID" | "REPLAYED" | "LOCKED";
export type TotpRefusal = { ok: false; reason: TotpFailure; message: string };
export type TotpCheck = { ok: true } | TotpRefusal;
/** A failed check as the refusal code a core returns (withdrawals, operator payouts, payout accounts). */
export type TotpRefusalCode = `TOTP_${TotpFailure}`;
export function totpRefusalCode(reason: TotpFailure): TotpRefusalCode {
  return `TOTP_${reason}`;
}

/** Six digits, spaces and dashes allowed between them ("123 456"). */
export function normalizeTotpCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A fresh random secret, base32 (what authenticator apps take as the manual key). */
export function generateTotpSecret(): string {
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

function totp(secretBase32: string, digits = TOTP_DIGITS, label = "account"): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: TOTP_ALGORITHM,
    digits,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URI an authenticator app scans (the QR code's content). */
export function totpUri(secretBase32: string, accountLabel: string): string {
  return totp(secretBase32, TOTP_DIGITS, accountLabel).toString();
}

/** RFC 6238 time step T = floor(unix seconds / 30). */
export function totpStepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_S);
}

/** The code an authenticator shows at `at` (tests, and the RFC vectors with digits = 8). */
export function totpCodeFor(secretBase32: string, at: Date = new Date(), digits = TOTP_DIGITS): string {
  return totp(secretBase32, digits).generate({ timestamp: at.getTime() });
}

/** The time step whose code this is, within +-TOTP_WINDOW of `at`; null when none matches. */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  const normalized = normalizeTotpCode(code);
  if (!normalized) return null;
  const delta = totp(secretBase32).validate({ token: normalized, timestamp: at.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : totpStepAt(at) + delta;
}

function aad(userId: string): string {
  return `totp:${userId}`;
}

export function sealTotpSecret(secretBase32: string, userId: string, ring: KeyRing): EncryptedSecret {
  return encryptSecret(secretBase32, ring, aad(userId));
}

export function openTotpSecret(ciphertext: string, keyId: string, userId: string, ring: KeyRing): string {
  return decryptSecret(ciphertext, keyId, ring, aad(userId));
}

/** The user's second-factor columns, read with the row locked (FOR NO KEY UPDATE). */
export interface LockedTotpRow {
  totp_secret_enc: string | null;
  totp_key_id: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: bigint | null;
  totp_failed_count: number;
  totp_locked_until: Date | null;
}

/**
 * Locks the user row for the rest of `tx`; undefined when there is no such user. FOR NO KEY
 * UPDATE: it serialises concurrent checks just as well, and unlike FOR UPDATE it does not wait
 * for (or deadlock with) a transaction that only references the user, such as a purchase
 * inserting a contract (its foreign key check takes FOR KEY SHARE).
 */
export async function lockTotpRow(tx: Tx, userId: string): Promise<LockedTotpRow | undefined> {
  const [row] = await tx.$queryRaw<LockedTotpRow[]>`
    SELECT totp_secret_enc, totp_key_id, totp_enabled_at, totp_last_step, totp_failed_count, totp_locked_until
      FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
  return row;
}

function utcTime(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

function lockedMessage(until: Date): string {
  return `Too many wrong codes: two-factor authentication is locked until ${utcTime(until)}. Try again after that.`;
}

export const NOT_ENABLED: TotpRefusal = {
  ok: false,
  reason: "NOT_ENABLED",
  message: "Two-factor authentication is not enabled on this account.",
};

/** The LOCKED refusal while a lock is running, else null. */
export function refuseIfLocked(row: LockedTotpRow, now: Date): TotpRefusal | null {
  if (row.totp_locked_until && row.totp_locked_until > now) {
    return { ok: false, reason: "LOCKED", message: lockedMessage(row.totp_locked_until) };
  }
  return null;
}

export interface WrongCodeText {
  what: string;
  hint: string;
}

export const WRONG_TOTP: WrongCodeText = {
  what: "That code is not right",
  hint: "enter the current 6-digit code from your authenticator app",
};

/**
 * Counts one wrong code (TOTP or recovery code: both share the count) on a locked row;
 * the fifth starts the 15-minute lock and resets the count for after it.
 */
export async function recordWrongCode(
  tx: Tx,
  userId: string,
  row: LockedTotpRow,
  now: Date,
  wrong: WrongCodeText,
): Promise<TotpRefusal> {
  const failures = row.totp_failed_count + 1;
  if (failures >= TOTP_MAX_FAILURES) {
    const until = new Date(now.getTime() + TOTP_LOCK_MS);
    await tx.user.update({ where: { id: userId }, data: { totpFailedCount: 0, totpLockedUntil: until } });
    return { ok: false, reason: "LOCKED", message: `${wrong.what}. ${lockedMessage(until)}` };
  }
  await tx.user.update({ where: { id: userId }, data: { totpFailedCount: failures } });
  const left = TOTP_MAX_FAILURES - failures;
  return {
    ok: false,
    reason: "INVALID",
    message: `${wrong.what}: ${wrong.hint} (${left} ${left === 1 ? "try" : "tries"} left before a 15-minute lock).`,
  };
}

export interface VerifyTotpOptions {
  /** Also check a secret whose enrolment is not confirmed yet (the confirm step). */
  allowPending?: boolean;
  /** Key ring to open the secret; default the app's secrets. */
  keyRing?: KeyRing;
}

/**
 * Checks a TOTP code for a user inside the caller's transaction. Locks the user row
 * (SELECT ... FOR NO KEY UPDATE), so concurrent checks of one code are serialised and only the
 * first is accepted. Updates the last accepted step and the failure count in `tx`.
 */
export async function verifyUserTotp(
  tx: Tx,
  userId: string,
  code: string,
  now: Date = new Date(),
  options: VerifyTotpOptions = {},
): Promise<TotpCheck> {
  const row = await lockTotpRow(tx, userId);
  if (!row?.totp_secret_enc || !row.totp_key_id || !(row.totp_enabled_at || options.allowPending)) return NOT_ENABLED;
  const locked = refuseIfLocked(row, now);
  if (locked) return locked;

  const ring = options.keyRing ?? (await getSecrets()).keyRing;
  const secret = openTotpSecret(row.totp_secret_enc, row.totp_key_id, userId, ring);
  const step = matchTotpStep(secret, code, now);
  if (step === null) return recordWrongCode(tx, userId, row, now, WRONG_TOTP);
  if (row.totp_last_step !== null && BigInt(step) <= row.totp_last_step) {
    return {
      ok: false,
      reason: "REPLAYED",
      message:
        "That code was already used. Wait for the next code in your authenticator app (a new one every 30 seconds).",
    };
  }
  await tx.user.update({
    where: { id: userId },
    data: { totpLastStep: BigInt(step), totpFailedCount: 0, totpLockedUntil: null },
  });
  return { ok: true };
}
