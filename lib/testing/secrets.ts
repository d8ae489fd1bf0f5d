// The secrets a test file's code reads (session signing, the key ring that seals TOTP and API key
// secrets), from the environment and never from Secrets Manager, whatever the shell exports. Call
// `withTestSecrets()` at the top level of a test file, before its own hooks: the values are set
// before the file's beforeAll and restored after its afterAll (Vitest runs after-hooks in reverse).
import { afterAll, beforeAll, vi } from "vitest";
import type { PrismaClient } from "../db/client";
import { clearSecretsCache } from "../secrets";
import { AUTH_SECRET, keyB64 } from "../secrets/test-helpers";

export function withTestSecrets(encryptionKeys = `k1:${keyB64()}`): { authSecret: string; encryptionKeys: string } {
  beforeAll(() => {
    vi.stubEnv("SECRETS_MANAGER_SECRET_ID", undefined);
    vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
    vi.stubEnv("ENCRYPTION_KEYS", encryptionKeys);
    vi.stubEnv("ENCRYPTION_ACTIVE_KEY_ID", undefined);
    clearSecretsCache();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    clearSecretsCache();
  });
  return { authSecret: AUTH_SECRET, encryptionKeys };
}

/** Points the app's `db()` (route handlers, the API pipeline) at a test file's database; undefined undoes it. */
export function setAppDatabase(prisma: PrismaClient | undefined): void {
  (globalThis as unknown as { hashleasePrisma?: PrismaClient }).hashleasePrisma = prisma;
}
