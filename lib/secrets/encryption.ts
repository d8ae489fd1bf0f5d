// AES-256-GCM for secrets at rest (TOTP secrets, API key secrets), node:crypto only.
// Stored form: "v1.<iv>.<ciphertext>.<tag>" (base64url, 12-byte random IV, 16-byte tag) with
// the key id in its own column beside it. The optional AAD binds a value to its owner
// (e.g. "totp:<userId>") so a ciphertext copied to another row does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { SecretDecryptionError } from "./errors";
import type { KeyRing } from "./key-ring";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export interface EncryptedSecret {
  ciphertext: string;
  /** Id of the key that sealed it; store it beside the ciphertext. */
  keyId: string;
}

export function encryptSecret(plaintext: string, ring: KeyRing, aad?: string): EncryptedSecret {
  const keyId = ring.activeKeyId;
  const key = ring.keys.get(keyId);
  if (!key) throw new SecretDecryptionError(`Active key "${keyId}" is not in the key ring.`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  const ciphertext = [VERSION, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(
    ".",
  );
  return { ciphertext, keyId };
}

export function decryptSecret(ciphertext: string, keyId: string, ring: KeyRing, aad?: string): string {
  const key = ring.keys.get(keyId);
  if (!key) {
    throw new SecretDecryptionError(
      `Cannot decrypt: key id "${keyId}" is not in ENCRYPTION_KEYS (was a retired key removed too early?).`,
    );
  }
  const parts = ciphertext.split(".");
  const [version, ivB64, bodyB64, tagB64] = parts;
  if (
    parts.length !== 4 ||
    version !== VERSION ||
    ivB64 === undefined ||
    bodyB64 === undefined ||
    tagB64 === undefined
  ) {
    throw new SecretDecryptionError(`Cannot decrypt: not a "${VERSION}.<iv>.<ciphertext>.<tag>" value.`);
  }
  if (![ivB64, bodyB64, tagB64].every((part) => BASE64URL.test(part))) {
    throw new SecretDecryptionError("Cannot decrypt: ciphertext is not base64url.");
  }
  const iv = Buffer.from(ivB64, "base64url");
  const tag = Buffer.from(tagB64, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretDecryptionError("Cannot decrypt: IV or authentication tag has the wrong length.");
  }
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(bodyB64, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError(
      `Cannot decrypt with key "${keyId}": authentication failed (tampered data, wrong AAD or wrong key material).`,
    );
  }
}

/** True when a value was sealed with a key other than the active one and should be re-sealed. */
export function needsReencryption(keyId: string, ring: KeyRing): boolean {
  return keyId !== ring.activeKeyId;
}
