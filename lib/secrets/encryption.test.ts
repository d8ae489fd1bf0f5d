import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, needsReencryption } from "./encryption";
import { SecretDecryptionError } from "./errors";
import { parseKeyRing } from "./key-ring";
import { keyB64 } from "./test-helpers";

const ring = parseKeyRing(`k1:${keyB64()}`);

/** Flips one bit in the given base64url part (1 = iv, 2 = ciphertext, 3 = tag) of a v1 value. */
function flipBit(ciphertext: string, part: 1 | 2 | 3): string {
  const parts = ciphertext.split(".");
  const bytes = Buffer.from(parts[part] ?? "", "base64url");
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("encryptSecret / decryptSecret", () => {
  it("round-trips, with and without AAD, including empty and non-ASCII text", () => {
    for (const plaintext of ["JBSWY3DPEHPK3PXP", "", "pässwörd ✓ 🔑", "x".repeat(10_000)]) {
      const sealed = encryptSecret(plaintext, ring);
      expect(decryptSecret(sealed.ciphertext, sealed.keyId, ring)).toBe(plaintext);
      const bound = encryptSecret(plaintext, ring, "totp:user-1");
      expect(decryptSecret(bound.ciphertext, bound.keyId, ring, "totp:user-1")).toBe(plaintext);
    }
  });

  it("produces v1.<iv>.<ct>.<tag> with a 12-byte IV, a 16-byte tag and a fresh IV each time", () => {
    const a = encryptSecret("same", ring);
    const b = encryptSecret("same", ring);
    expect(a.keyId).toBe("k1");
    const [version, iv, ct, tag] = a.ciphertext.split(".");
    expect(version).toBe("v1");
    expect(Buffer.from(iv ?? "", "base64url").length).toBe(12);
    expect(Buffer.from(ct ?? "", "base64url").toString("utf8")).not.toBe("same");
    expect(Buffer.from(tag ?? "", "base64url").length).toBe(16);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it.each([
    ["the ciphertext", 2],
    ["the tag", 3],
    ["the IV", 1],
  ] as const)("detects a flipped bit in %s", (_label, part) => {
    const sealed = encryptSecret("secret value", ring, "aad");
    const tampered = flipBit(sealed.ciphertext, part);
    expect(() => decryptSecret(tampered, "k1", ring, "aad")).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(tampered, "k1", ring, "aad")).toThrow(/authentication failed/);
  });

  it("refuses the wrong AAD, a missing AAD and an unexpected AAD", () => {
    const bound = encryptSecret("secret", ring, "totp:user-1");
    expect(() => decryptSecret(bound.ciphertext, "k1", ring, "totp:user-2")).toThrow(/authentication failed/);
    expect(() => decryptSecret(bound.ciphertext, "k1", ring)).toThrow(/authentication failed/);
    const unbound = encryptSecret("secret", ring);
    expect(() => decryptSecret(unbound.ciphertext, "k1", ring, "totp:user-1")).toThrow(/authentication failed/);
  });

  it("refuses other key material under the same id", () => {
    const sealed = encryptSecret("secret", ring);
    const impostor = parseKeyRing(`k1:${keyB64()}`);
    expect(() => decryptSecret(sealed.ciphertext, "k1", impostor)).toThrow(/authentication failed/);
  });

  it("names an unknown key id", () => {
    const sealed = encryptSecret("secret", ring);
    expect(() => decryptSecret(sealed.ciphertext, "gone", ring)).toThrow(/key id "gone" is not in ENCRYPTION_KEYS/);
  });

  it.each([
    ["an unknown version", (c: string) => c.replace(/^v1\./, "v2.")],
    ["a missing part", (c: string) => c.split(".").slice(0, 3).join(".")],
    ["an extra part", (c: string) => `${c}.AAAA`],
    ["a truncated tag", (c: string) => c.slice(0, -4)],
    ["non-base64url characters", (c: string) => c.replace(/\.[^.]+$/, ".++++")],
    ["an empty string", () => ""],
  ])("rejects %s", (_label, mangle) => {
    const sealed = encryptSecret("secret", ring);
    expect(() => decryptSecret(mangle(sealed.ciphertext), "k1", ring)).toThrow(SecretDecryptionError);
  });
});

describe("key rotation", () => {
  it("keeps old values readable after a new active key is added, and flags them for re-encryption", () => {
    const oldKey = keyB64();
    const before = parseKeyRing(`k2024:${oldKey}`);
    const sealed = encryptSecret("totp-secret", before, "totp:u1");
    expect(needsReencryption(sealed.keyId, before)).toBe(false);

    const after = parseKeyRing(`k2024:${oldKey},k2025:${keyB64()}`);
    expect(after.activeKeyId).toBe("k2025");
    expect(decryptSecret(sealed.ciphertext, sealed.keyId, after, "totp:u1")).toBe("totp-secret");
    expect(needsReencryption(sealed.keyId, after)).toBe(true);

    const resealed = encryptSecret(decryptSecret(sealed.ciphertext, sealed.keyId, after, "totp:u1"), after, "totp:u1");
    expect(resealed.keyId).toBe("k2025");
    expect(needsReencryption(resealed.keyId, after)).toBe(false);
    expect(decryptSecret(resealed.ciphertext, resealed.keyId, after, "totp:u1")).toBe("totp-secret");
  });
});
