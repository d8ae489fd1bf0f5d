// The encryption key ring: every key that may still have sealed data at rest, plus the one
// used for new encryptions. Rotation = add a new key and make it active; old values keep
// decrypting under their stored key id until they are re-encrypted (see needsReencryption).
import { randomBytes } from "node:crypto";
import { SecretsConfigError } from "./errors";

export interface KeyRing {
  /** Key id used for new encryptions. */
  readonly activeKeyId: string;
  /** Key id -> 32-byte AES-256 key. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const KEY_LENGTH_BYTES = 32;
// Standard or URL-safe base64, optional padding; Buffer.from(…, "base64") accepts both.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses ENCRYPTION_KEYS ("keyId:base64key,keyId:base64key") and ENCRYPTION_ACTIVE_KEY_ID
 * (default: the last key listed, so appending a key rotates to it).
 */
export function parseKeyRing(
  encryptionKeys: string,
  activeKeyId?: string | null,
  names: { keys: string; active: string } = { keys: "ENCRYPTION_KEYS", active: "ENCRYPTION_ACTIVE_KEY_ID" },
): KeyRing {
  const keys = new Map<string, Buffer>();
  const entries = encryptionKeys.split(",").map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const position = `${names.keys} entry ${index + 1}`;
    const colon = entry.indexOf(":");
    if (colon < 0) throw new SecretsConfigError(`${position} must look like "keyId:base64key".`);
    const keyId = entry.slice(0, colon).trim();
    const keyB64 = entry.slice(colon + 1).trim();
    if (!KEY_ID_PATTERN.test(keyId)) {
      throw new SecretsConfigError(`${position}: key id must match ${KEY_ID_PATTERN} (1-32 of A-Z a-z 0-9 _ -).`);
    }
    if (keys.has(keyId)) throw new SecretsConfigError(`${names.keys} lists key id "${keyId}" twice.`);
    const key = BASE64.test(keyB64) ? Buffer.from(keyB64, "base64") : null;
    if (!key || key.length !== KEY_LENGTH_BYTES) {
      throw new SecretsConfigError(
        `${names.keys} key "${keyId}" must be base64 of exactly ${KEY_LENGTH_BYTES} bytes` +
          (key ? ` (got ${key.length}).` : " (not valid base64).") +
          ` Generate one with: openssl rand -base64 ${KEY_LENGTH_BYTES}`,
      );
    }
    keys.set(keyId, key);
  });

  const active = activeKeyId?.trim() || [...keys.keys()].at(-1);
  if (active === undefined) throw new SecretsConfigError(`${names.keys} holds no key.`);
  if (!keys.has(active)) {
    throw new SecretsConfigError(`${names.active} "${active}" is not one of the ids in ${names.keys}.`);
  }
  return { activeKeyId: active, keys };
}

/** A fresh "keyId:base64key" entry for ENCRYPTION_KEYS. */
export function generateKeyRingEntry(keyId: string): string {
  if (!KEY_ID_PATTERN.test(keyId)) throw new SecretsConfigError(`Key id must match ${KEY_ID_PATTERN}.`);
  return `${keyId}:${randomBytes(KEY_LENGTH_BYTES).toString("base64")}`;
}
