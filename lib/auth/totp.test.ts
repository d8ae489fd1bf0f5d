import { describe, expect, it } from "vitest";
import { parseKeyRing } from "../secrets/key-ring";
import { keyB64 } from "../secrets/test-helpers";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestDatabase } from "../testing/test-database";
import { enrollTotp } from "../testing/totp";
import {
  generateTotpSecret,
  matchTotpStep,
  normalizeTotpCode,
  openTotpSecret,
  sealTotpSecret,
  TOTP_LOCK_MS,
  TOTP_MAX_FAILURES,
  totpCodeFor,
  totpStepAt,
  totpUri,
  verifyUserTotp,
  type TotpCheck,
} from "./totp";

// RFC 6238 Appendix B, SHA-1 rows: seed "12345678901234567890" (ASCII), 8 digits.
const RFC_SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

const keys = `k1:${keyB64()}`;
withTestSecrets(keys);
const t = withTestDatabase({ poolMax: 8 });

/** A user with 2FA enabled on a fresh secret sealed with the test key ring. */
async function enrolledUser(lastStep: bigint | null = null) {
  const user = await createUser(t.prisma);
  const secret = await enrollTotp(t.prisma, user.id, keys, { enabledAt: new Date(), lastStep });
  return { userId: user.id, secret };
}

function check(userId: string, code: string, now: Date): Promise<TotpCheck> {
  return t.prisma.$transaction((tx) => verifyUserTotp(tx, userId, code, now));
}

describe("TOTP codes (RFC 6238)", () => {
  it.each(RFC_VECTORS)(
    "SHA-1 test vector at T=%i s is %s (8 digits), its last 6 digits with 6",
    (seconds, expected) => {
      const at = new Date(seconds * 1000);
      expect(totpCodeFor(RFC_SEED_BASE32, at, 8)).toBe(expected);
      expect(totpCodeFor(RFC_SEED_BASE32, at)).toBe(expected.slice(2));
    },
  );

  it("accepts one step of drift either side and nothing further", () => {
    const at = new Date(1_234_567_890_000);
    const step = totpStepAt(at);
    for (const delta of [-1, 0, 1]) {
      const code = totpCodeFor(RFC_SEED_BASE32, new Date(at.getTime() + delta * 30_000));
      expect(matchTotpStep(RFC_SEED_BASE32, code, at)).toBe(step + delta);
    }
    for (const delta of [-2, 2]) {
      const code = totpCodeFor(RFC_SEED_BASE32, new Date(at.getTime() + delta * 30_000));
      expect(matchTotpStep(RFC_SEED_BASE32, code, at)).toBeNull();
    }
  });

  it("takes spaces and dashes between digits, refuses anything but six digits", () => {
    expect(normalizeTotpCode(" 123 456 ")).toBe("123456");
    expect(normalizeTotpCode("123-456")).toBe("123456");
    for (const bad of ["", "12345", "1234567", "12345a", "abcdef"]) expect(normalizeTotpCode(bad)).toBeNull();
  });

  it("generates 160-bit base32 secrets and an otpauth URI for the QR code", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, "ada@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Hashlease");
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(decodeURIComponent(uri.pathname)).toContain("ada@example.com");
  });

  it("seals the secret bound to its user", () => {
    const ring = parseKeyRing(keys);
    const sealed = sealTotpSecret("JBSWY3DPEHPK3PXP", "user-a", ring);
    expect(sealed.ciphertext).not.toContain("JBSWY3DPEHPK3PXP");
    expect(openTotpSecret(sealed.ciphertext, sealed.keyId, "user-a", ring)).toBe("JBSWY3DPEHPK3PXP");
    expect(() => openTotpSecret(sealed.ciphertext, sealed.keyId, "user-b", ring)).toThrow(/authentication failed/);
  });
});

describe("verifyUserTotp", () => {
  it("accepts the current code once and records its step", async () => {
    const { userId, secret } = await enrolledUser();
    const now = new Date();
    expect(await check(userId, totpCodeFor(secret, now), now)).toEqual({ ok: true });
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.totpLastStep).toBe(BigInt(totpStepAt(now)));
  });

  it("refuses a replay of the same step and of an earlier step, accepts the next step", async () => {
    const { userId, secret } = await enrolledUser();
    const now = new Date(1_800_000_000_000);
    expect(await check(userId, totpCodeFor(secret, now), now)).toEqual({ ok: true });
    const replay = await check(userId, totpCodeFor(secret, now), now);
    expect(replay).toMatchObject({ ok: false, reason: "REPLAYED", message: expect.stringMatching(/already used/) });
    // The previous step's code is still inside the drift window but older than the accepted one.
    const earlier = await check(userId, totpCodeFor(secret, new Date(now.getTime() - 30_000)), now);
    expect(earlier).toMatchObject({ ok: false, reason: "REPLAYED" });
    const later = new Date(now.getTime() + 30_000);
    expect(await check(userId, totpCodeFor(secret, later), later)).toEqual({ ok: true });
    // A replay is not a wrong guess: it does not count towards the lock.
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpFailedCount).toBe(0);
  });

  it("counts wrong codes, says how many tries are left, and a right code resets the count", async () => {
    const { userId, secret } = await enrolledUser();
    const now = new Date(1_800_000_100_000);
    const wrong = String((Number(totpCodeFor(secret, now)) + 1) % 1_000_000).padStart(6, "0");
    expect(await check(userId, wrong, now)).toEqual({
      ok: false,
      reason: "INVALID",
      message:
        "That code is not right: enter the current 6-digit code from your authenticator app (4 tries left before a 15-minute lock).",
    });
    expect(await check(userId, "not a code", now)).toMatchObject({
      reason: "INVALID",
      message: expect.stringMatching(/3 tries left/),
    });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpFailedCount).toBe(2);
    expect(await check(userId, totpCodeFor(secret, now), now)).toEqual({ ok: true });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpFailedCount).toBe(0);
  });

  it("locks after five wrong codes for 15 minutes, even for the right code, then accepts again", async () => {
    const { userId, secret } = await enrolledUser();
    const now = new Date(1_800_000_200_000);
    const wrong = String((Number(totpCodeFor(secret, now)) + 7) % 1_000_000).padStart(6, "0");
    for (let i = 1; i < TOTP_MAX_FAILURES; i++)
      expect(await check(userId, wrong, now)).toMatchObject({ reason: "INVALID" });
    const fifth = await check(userId, wrong, now);
    expect(fifth).toMatchObject({ ok: false, reason: "LOCKED" });
    expect(!fifth.ok && fifth.message).toMatch(
      /^That code is not right\. Too many wrong codes: .* locked until \d\d:\d\d UTC/,
    );
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.totpLockedUntil?.getTime()).toBe(now.getTime() + TOTP_LOCK_MS);

    const during = new Date(now.getTime() + TOTP_LOCK_MS - 1000);
    expect(await check(userId, totpCodeFor(secret, during), during)).toMatchObject({ ok: false, reason: "LOCKED" });
    // The lock refused the code before using it: after the lock the same step is still fresh.
    const after = new Date(now.getTime() + TOTP_LOCK_MS);
    expect(await check(userId, totpCodeFor(secret, after), after)).toEqual({ ok: true });
  });

  it("says when 2FA is not enabled, and checks a pending enrolment only when asked", async () => {
    const plain = await createUser(t.prisma);
    expect(await check(plain.id, "123456", new Date())).toMatchObject({ ok: false, reason: "NOT_ENABLED" });

    const { userId, secret } = await enrolledUser();
    await t.prisma.user.update({ where: { id: userId }, data: { totpEnabledAt: null } });
    const now = new Date();
    expect(await check(userId, totpCodeFor(secret, now), now)).toMatchObject({ reason: "NOT_ENABLED" });
    const pending = await t.prisma.$transaction((tx) =>
      verifyUserTotp(tx, userId, totpCodeFor(secret, now), now, { allowPending: true }),
    );
    expect(pending).toEqual({ ok: true });
  });

  it("rolls back with the caller's transaction: a code used in a failed operation is not burnt", async () => {
    const { userId, secret } = await enrolledUser();
    const now = new Date(1_800_000_300_000);
    await expect(
      t.prisma.$transaction(async (tx) => {
        expect(await verifyUserTotp(tx, userId, totpCodeFor(secret, now), now)).toEqual({ ok: true });
        throw new Error("the business operation failed");
      }),
    ).rejects.toThrow("the business operation failed");
    expect(await check(userId, totpCodeFor(secret, now), now)).toEqual({ ok: true });
  });

  it("races one code from several connections: exactly one is accepted", async () => {
    const { userId, secret } = await enrolledUser();
    for (let round = 0; round < 3; round++) {
      const now = new Date(1_800_001_000_000 + round * 30_000);
      const code = totpCodeFor(secret, now);
      const results = await Promise.all(Array.from({ length: 6 }, () => check(userId, code, now)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(5).fill("REPLAYED"));
    }
  });

  it("opens a secret sealed under a key that is no longer the active one", async () => {
    const user = await createUser(t.prisma);
    const secret = generateTotpSecret();
    const oldRing = parseKeyRing(keys);
    const sealed = sealTotpSecret(secret, user.id, oldRing);
    await t.prisma.user.update({
      where: { id: user.id },
      data: { totpSecretEnc: sealed.ciphertext, totpKeyId: sealed.keyId, totpEnabledAt: new Date() },
    });
    const rotated = parseKeyRing(`${keys},k2:${keyB64()}`);
    expect(rotated.activeKeyId).toBe("k2");
    const now = new Date();
    const result = await t.prisma.$transaction((tx) =>
      verifyUserTotp(tx, user.id, totpCodeFor(secret, now), now, { keyRing: rotated }),
    );
    expect(result).toEqual({ ok: true });
  });
});
