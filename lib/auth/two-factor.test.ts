import { describe, expect, it } from "vitest";
import { decryptSecret } from "../secrets/encryption";
import { parseKeyRing } from "../secrets/key-ring";
import { keyB64 } from "../secrets/test-helpers";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestDatabase } from "../testing/test-database";
import { listActiveSessions, startSession } from "./sessions";
import { totpCodeFor, totpStepAt, verifyUserTotp } from "./totp";
import {
  cancelTotpEnrolment,
  confirmTotpEnrolment,
  disableTwoFactor,
  generateRecoveryCode,
  matchRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  redeemRecoveryCode,
  regenerateRecoveryCodes,
  startTotpEnrolment,
  twoFactorStatus,
} from "./two-factor";

const keys = `k1:${keyB64()}`;
withTestSecrets(keys);
const t = withTestDatabase({ poolMax: 6 });

/** As the sign-in does it: the scrypt match before the transaction, the spend inside it. */
async function redeem(userId: string, code: string) {
  const matched = await matchRecoveryCode(t.prisma, userId, code);
  return t.prisma.$transaction((tx) => redeemRecoveryCode(tx, userId, code, undefined, matched));
}

async function auditActions(userId: string): Promise<string[]> {
  const lines = await t.prisma.auditLog.findMany({
    where: { entityId: userId },
    orderBy: { id: "asc" },
    select: { action: true },
  });
  return lines.map((l) => l.action);
}

/** Enrols and confirms 2FA for a new user at `at`; returns the secret and recovery codes. */
async function enabledUser(at = new Date()) {
  const user = await createUser(t.prisma);
  const started = await startTotpEnrolment(t.prisma, { userId: user.id, ip: "10.0.0.1" });
  if (!started.ok) throw new Error(started.message);
  const confirmed = await confirmTotpEnrolment(t.prisma, {
    userId: user.id,
    ip: "10.0.0.1",
    code: totpCodeFor(started.secret, at),
    now: at,
  });
  if (!confirmed.ok) throw new Error(confirmed.message);
  return { userId: user.id, secret: started.secret, recoveryCodes: confirmed.recoveryCodes };
}

describe("recovery code format", () => {
  it("is ten Crockford base32 characters in two groups, read forgivingly", () => {
    const code = generateRecoveryCode();
    expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    expect(normalizeRecoveryCode(code.toUpperCase().replace("-", " "))).toBe(code);
    expect(normalizeRecoveryCode("ABCDE-FGH1O")).toBe("abcde-fgh10");
    expect(normalizeRecoveryCode("abcde-fghI0")).toBe("abcde-fgh10");
    for (const bad of ["", "abcde", "abcde-fghjk1", "abcde-fghj!", "123456"])
      expect(normalizeRecoveryCode(bad)).toBeNull();
  });
});

describe("enrolment", () => {
  it("stores a pending secret sealed at rest with its key id, 2FA still off", async () => {
    const user = await createUser(t.prisma);
    const started = await startTotpEnrolment(t.prisma, { userId: user.id, ip: "10.0.0.1" });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpKeyId).toBe("k1");
    expect(row.totpSecretEnc).toMatch(/^v1\./);
    expect(row.totpSecretEnc).not.toContain(started.secret);
    expect(decryptSecret(row.totpSecretEnc!, row.totpKeyId!, parseKeyRing(keys), `totp:${user.id}`)).toBe(
      started.secret,
    );

    const status = await twoFactorStatus(t.prisma, user.id);
    expect(status).toMatchObject({ enabled: false, pendingSecret: started.secret, recoveryCodesLeft: 0 });
    expect(await auditActions(user.id)).toEqual(["auth.2fa_enrolment_started"]);
  });

  it("a wrong code does not enable; the right one enables, gives ten hashed codes and voids older sessions", async () => {
    const user = await createUser(t.prisma);
    const before = (await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).sessionsValidAfter;
    const started = await startTotpEnrolment(t.prisma, { userId: user.id, ip: "10.0.0.1" });
    if (!started.ok) throw new Error(started.message);
    const now = new Date(Date.now() + 1000);
    const wrongCode = String((Number(totpCodeFor(started.secret, now)) + 1) % 1_000_000).padStart(6, "0");

    const wrong = await confirmTotpEnrolment(t.prisma, { userId: user.id, ip: "10.0.0.1", code: wrongCode, now });
    expect(wrong).toEqual({
      ok: false,
      code: "TOTP_INVALID",
      message: expect.stringMatching(/^That code is not right: .*4 tries left/),
    });
    expect(await confirmTotpEnrolment(t.prisma, { userId: user.id, ip: null, code: "12ab", now })).toEqual({
      ok: false,
      code: "INVALID",
      message: "Enter the 6-digit code your authenticator app shows.",
    });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();

    const here = await startSession(t.prisma, { userId: user.id, ip: "10.0.0.1", userAgent: "here" });
    const elsewhere = await startSession(t.prisma, { userId: user.id, ip: "10.0.0.2", userAgent: "elsewhere" });
    const confirmed = await confirmTotpEnrolment(t.prisma, {
      userId: user.id,
      ip: "10.0.0.1",
      code: totpCodeFor(started.secret, now),
      now,
      sessionId: here.sessionId,
    });
    expect(confirmed.ok).toBe(true);
    if (!confirmed.ok) return;
    // The session that confirmed stays; every other one of the user's is revoked.
    expect((await listActiveSessions(t.prisma, user.id)).map((s) => s.id)).toEqual([here.sessionId]);
    expect(await t.prisma.userSession.findUniqueOrThrow({ where: { id: elsewhere.sessionId } })).toMatchObject({
      revokedAt: now,
      revokedReason: "two_factor_enabled",
    });
    expect(confirmed.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(confirmed.recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);

    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpEnabledAt).toEqual(now);
    expect(row.sessionsValidAfter).toEqual(now);
    expect(row.sessionsValidAfter > before).toBe(true);
    expect(row.totpLastStep).toBe(BigInt(totpStepAt(now)));
    expect(row.totpFailedCount).toBe(0);

    const stored = await t.prisma.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(RECOVERY_CODE_COUNT);
    for (const r of stored) {
      expect(r.codeHash).toMatch(/^scrypt\$/);
      expect(
        confirmed.recoveryCodes.some((c) => r.codeHash.includes(c) || r.codeHash.includes(c.replace("-", ""))),
      ).toBe(false);
    }
    expect(await auditActions(user.id)).toEqual([
      "auth.2fa_enrolment_started",
      "auth.login",
      "auth.login",
      "auth.sessions_revoked",
      "auth.2fa_enabled",
    ]);
    const enabledLine = await t.prisma.auditLog.findFirstOrThrow({
      where: { entityId: user.id, action: "auth.2fa_enabled" },
    });
    expect(enabledLine).toMatchObject({
      actorId: user.id,
      ip: "10.0.0.1",
      details: { keyId: "k1", recoveryCodes: 10 },
    });
    expect(JSON.stringify(enabledLine.details)).not.toContain(confirmed.recoveryCodes[0]);

    expect(await twoFactorStatus(t.prisma, user.id)).toMatchObject({
      enabled: true,
      pendingSecret: null,
      recoveryCodesLeft: 10,
    });
  });

  it("refuses to start or confirm again while on, and to confirm without a started enrolment", async () => {
    const { userId, secret } = await enabledUser();
    expect(await startTotpEnrolment(t.prisma, { userId, ip: null })).toEqual({
      ok: false,
      code: "CONFLICT",
      message: expect.stringMatching(/already on/),
    });
    const later = new Date(Date.now() + 60_000);
    expect(
      await confirmTotpEnrolment(t.prisma, { userId, ip: null, code: totpCodeFor(secret, later), now: later }),
    ).toMatchObject({ ok: false });
    const fresh = await createUser(t.prisma);
    expect(await confirmTotpEnrolment(t.prisma, { userId: fresh.id, ip: null, code: "123456" })).toEqual({
      ok: false,
      code: "CONFLICT",
      message: "Start the set-up first: no authenticator is waiting for confirmation.",
    });
  });

  it("starting again replaces the pending secret; cancelling forgets it", async () => {
    const user = await createUser(t.prisma);
    const a = await startTotpEnrolment(t.prisma, { userId: user.id, ip: null });
    const b = await startTotpEnrolment(t.prisma, { userId: user.id, ip: null });
    if (!a.ok || !b.ok) throw new Error("start failed");
    expect(b.secret).not.toBe(a.secret);
    const now = new Date();
    expect(
      await confirmTotpEnrolment(t.prisma, { userId: user.id, ip: null, code: totpCodeFor(a.secret, now), now }),
    ).toMatchObject({ ok: false });
    expect(await cancelTotpEnrolment(t.prisma, { userId: user.id, ip: null })).toEqual({ ok: true });
    expect(await twoFactorStatus(t.prisma, user.id)).toMatchObject({ enabled: false, pendingSecret: null });
    expect(await auditActions(user.id)).toEqual([
      "auth.2fa_enrolment_started",
      "auth.2fa_enrolment_started",
      "auth.2fa_enrolment_cancelled",
    ]);
  });

  it("keeps working after a key rotation, the secret still sealed under its original key id", async () => {
    const { userId, secret } = await enabledUser();
    const rotated = parseKeyRing(`${keys},k2:${keyB64()}`);
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(row.totpKeyId).toBe("k1");
    const later = new Date(Date.now() + 30_000);
    const check = await t.prisma.$transaction((tx) =>
      verifyUserTotp(tx, userId, totpCodeFor(secret, later), later, { keyRing: rotated }),
    );
    expect(check).toEqual({ ok: true });
    // A new enrolment after rotation seals under the new active key.
    const user = await createUser(t.prisma);
    const started = await startTotpEnrolment(t.prisma, { userId: user.id, ip: null, keyRing: rotated });
    expect(started.ok).toBe(true);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).totpKeyId).toBe("k2");
  });
});

describe("recovery codes", () => {
  it("each works once, in any casing, and a used one then counts as a wrong code", async () => {
    const { userId, recoveryCodes } = await enabledUser();
    const [first, second] = recoveryCodes as [string, string];
    const used = await redeem(userId, first.toUpperCase());
    expect(used).toEqual({ ok: true, method: "recovery", remaining: 9 });
    const again = await redeem(userId, first);
    expect(again).toMatchObject({
      ok: false,
      reason: "INVALID",
      message: expect.stringMatching(/^That recovery code is not right or was already used/),
    });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpFailedCount).toBe(1);
    expect(await redeem(userId, second)).toEqual({ ok: true, method: "recovery", remaining: 8 });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpFailedCount).toBe(0);
    expect(await t.prisma.recoveryCode.count({ where: { userId, usedAt: { not: null } } })).toBe(2);
    expect((await auditActions(userId)).filter((a) => a === "auth.recovery_code_used")).toHaveLength(2);
  });

  it("one code raced from several connections is accepted once", async () => {
    const { userId, recoveryCodes } = await enabledUser();
    const raced = await Promise.all(Array.from({ length: 4 }, () => redeem(userId, recoveryCodes[1]!)));
    expect(raced.filter((r) => r.ok)).toHaveLength(1);
    // Also when the match runs inside each transaction (a caller without the pre-match).
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.prisma.$transaction((tx) => redeemRecoveryCode(tx, userId, recoveryCodes[0]!), {
          timeout: 60_000,
          maxWait: 60_000,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("regenerating needs a fresh TOTP code and voids all the old codes", async () => {
    const enabledAt = new Date();
    const { userId, secret, recoveryCodes } = await enabledUser(enabledAt);
    const replay = await regenerateRecoveryCodes(t.prisma, {
      userId,
      ip: null,
      code: totpCodeFor(secret, enabledAt),
      now: enabledAt,
    });
    expect(replay).toEqual({ ok: false, code: "TOTP_REPLAYED", message: expect.stringMatching(/already used/) });
    expect(await regenerateRecoveryCodes(t.prisma, { userId, ip: null, code: recoveryCodes[0]! })).toEqual({
      ok: false,
      code: "INVALID",
      message: "Enter the 6-digit code your authenticator app shows.",
    });

    const later = new Date(enabledAt.getTime() + 30_000);
    const fresh = await regenerateRecoveryCodes(t.prisma, {
      userId,
      ip: "10.0.0.9",
      code: totpCodeFor(secret, later),
      now: later,
    });
    expect(fresh.ok).toBe(true);
    if (!fresh.ok) return;
    expect(fresh.recoveryCodes).toHaveLength(10);
    expect(fresh.recoveryCodes.some((c) => recoveryCodes.includes(c))).toBe(false);
    expect(await t.prisma.recoveryCode.count({ where: { userId } })).toBe(10);
    expect(await redeem(userId, recoveryCodes[1]!)).toMatchObject({ ok: false });
    expect(await redeem(userId, fresh.recoveryCodes[1]!)).toMatchObject({ ok: true });
    expect(await auditActions(userId)).toContain("auth.recovery_codes_regenerated");
  });
});

describe("disabling", () => {
  it("needs a fresh code, then clears the secret and the recovery codes", async () => {
    const enabledAt = new Date();
    const { userId, secret } = await enabledUser(enabledAt);
    expect(await disableTwoFactor(t.prisma, { userId, ip: null, code: "000000", now: enabledAt })).toMatchObject({
      ok: false,
    });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpEnabledAt).not.toBeNull();

    const later = new Date(enabledAt.getTime() + 30_000);
    expect(
      await disableTwoFactor(t.prisma, { userId, ip: "10.0.0.3", code: totpCodeFor(secret, later), now: later }),
    ).toEqual({ ok: true });
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(row).toMatchObject({
      totpEnabledAt: null,
      totpSecretEnc: null,
      totpKeyId: null,
      totpLastStep: null,
      totpFailedCount: 0,
    });
    expect(await t.prisma.recoveryCode.count({ where: { userId } })).toBe(0);
    const line = await t.prisma.auditLog.findFirstOrThrow({ where: { entityId: userId, action: "auth.2fa_disabled" } });
    expect(line).toMatchObject({ actorId: userId, ip: "10.0.0.3", details: { confirmedWith: "totp" } });
    expect(await disableTwoFactor(t.prisma, { userId, ip: null, code: "123456" })).toEqual({
      ok: false,
      code: "TOTP_NOT_ENABLED",
      message: "Two-factor authentication is not enabled on this account.",
    });
  });

  it("accepts a recovery code instead (a lost phone)", async () => {
    const { userId, recoveryCodes } = await enabledUser();
    expect(await disableTwoFactor(t.prisma, { userId, ip: null, code: recoveryCodes[3]! })).toEqual({ ok: true });
    const line = await t.prisma.auditLog.findFirstOrThrow({ where: { entityId: userId, action: "auth.2fa_disabled" } });
    expect(line.details).toEqual({ confirmedWith: "recovery" });
  });

  it("is refused while locked after five wrong codes", async () => {
    const { userId, secret } = await enabledUser();
    const now = new Date(Date.now() + 30_000);
    const wrong = String((Number(totpCodeFor(secret, now)) + 3) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 5; i++) await disableTwoFactor(t.prisma, { userId, ip: null, code: wrong, now });
    const locked = await disableTwoFactor(t.prisma, { userId, ip: null, code: totpCodeFor(secret, now), now });
    expect(locked).toEqual({ ok: false, code: "TOTP_LOCKED", message: expect.stringMatching(/locked until/) });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpEnabledAt).not.toBeNull();
  });
});
