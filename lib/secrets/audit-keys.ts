// The audit trail's keys (lib/audit): AUDIT_HMAC_KEYS keys the hash chain (HMAC-SHA256, same
// "keyId:base64" ring as ENCRYPTION_KEYS; the active one seals new lines, retired ones stay listed
// as long as lines sealed under them exist), AUDIT_SIGNING_KEYS signs the checkpoints published
// outside the database (Ed25519, "keyId:base64 of the PKCS#8 DER private key"; the last, or
// AUDIT_SIGNING_ACTIVE_KEY_ID, signs, every listed key's public half verifies). Neither lives
// in the database, so someone who can only rewrite the database cannot forge either.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { SecretsConfigError } from "./errors";
import { KEY_ID_PATTERN, parseKeyRing, type KeyRing } from "./key-ring";

/** Lines sealed before the chain was keyed: plain SHA-256, accepted only below the first checkpoint. */
export const LEGACY_AUDIT_KEY_ID = "legacy-sha256";

export interface AuditSigningKeys {
  readonly activeKeyId: string;
  /** Key id -> Ed25519 private key (the active one signs). */
  readonly privateKeys: ReadonlyMap<string, KeyObject>;
  /** Key id -> Ed25519 public key (any of them verifies a checkpoint signed under its id). */
  readonly publicKeys: ReadonlyMap<string, KeyObject>;
}

export interface AuditKeys {
  readonly hmac: KeyRing;
  readonly signing: AuditSigningKeys;
}

export function parseAuditHmacKeys(spec: string, activeKeyId?: string | null): KeyRing {
  const ring = parseKeyRing(spec, activeKeyId, { keys: "AUDIT_HMAC_KEYS", active: "AUDIT_HMAC_ACTIVE_KEY_ID" });
  if (ring.keys.has(LEGACY_AUDIT_KEY_ID)) {
    throw new SecretsConfigError(`AUDIT_HMAC_KEYS may not use the reserved key id "${LEGACY_AUDIT_KEY_ID}".`);
  }
  return ring;
}

export function parseAuditSigningKeys(spec: string, activeKeyId?: string | null): AuditSigningKeys {
  const privateKeys = new Map<string, KeyObject>();
  const publicKeys = new Map<string, KeyObject>();
  spec
    .split(",")
    .map((entry) => entry.trim())
    .forEach((entry, index) => {
      const position = `AUDIT_SIGNING_KEYS entry ${index + 1}`;
      const colon = entry.indexOf(":");
      if (colon < 0) throw new SecretsConfigError(`${position} must look like "keyId:base64 PKCS#8 Ed25519 key".`);
      const keyId = entry.slice(0, colon).trim();
      if (!KEY_ID_PATTERN.test(keyId)) {
        throw new SecretsConfigError(`${position}: key id must match ${KEY_ID_PATTERN} (1-32 of A-Z a-z 0-9 _ -).`);
      }
      if (privateKeys.has(keyId)) throw new SecretsConfigError(`AUDIT_SIGNING_KEYS lists key id "${keyId}" twice.`);
      let key: KeyObject;
      try {
        key = createPrivateKey({
          key: Buffer.from(entry.slice(colon + 1).trim(), "base64"),
          format: "der",
          type: "pkcs8",
        });
      } catch {
        throw new SecretsConfigError(
          `AUDIT_SIGNING_KEYS key "${keyId}" is not a base64 PKCS#8 private key (generate one with: npm run audit:keygen).`,
        );
      }
      if (key.asymmetricKeyType !== "ed25519") {
        throw new SecretsConfigError(`AUDIT_SIGNING_KEYS key "${keyId}" must be an Ed25519 key.`);
      }
      privateKeys.set(keyId, key);
      publicKeys.set(keyId, createPublicKey(key));
    });
  const active = activeKeyId?.trim() || [...privateKeys.keys()].at(-1);
  if (active === undefined || !privateKeys.has(active)) {
    throw new SecretsConfigError(
      `AUDIT_SIGNING_ACTIVE_KEY_ID "${active ?? ""}" is not one of the ids in AUDIT_SIGNING_KEYS.`,
    );
  }
  return { activeKeyId: active, privateKeys, publicKeys };
}

/** A fresh "keyId:base64" entry for AUDIT_SIGNING_KEYS. */
export function generateAuditSigningKeyEntry(keyId: string): string {
  if (!KEY_ID_PATTERN.test(keyId)) throw new SecretsConfigError(`Key id must match ${KEY_ID_PATTERN}.`);
  const { privateKey } = generateKeyPairSync("ed25519");
  return `${keyId}:${privateKey.export({ format: "der", type: "pkcs8" }).toString("base64")}`;
}
