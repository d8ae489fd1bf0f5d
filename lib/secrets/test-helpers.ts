// Shared by the secrets tests: every variable the module reads starts unset in each test and
// is restored afterwards, whatever the developer's shell exports.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, vi } from "vitest";
import { clearSecretsCache } from "./secrets";

const VARIABLES = [
  "SECRETS_MANAGER_SECRET_ID",
  "SECRETS_CACHE_TTL_MS",
  "AUTH_SECRET",
  "NEXTAUTH_SECRET",
  "ENCRYPTION_KEYS",
  "ENCRYPTION_ACTIVE_KEY_ID",
  "AUDIT_HMAC_KEYS",
  "AUDIT_HMAC_ACTIVE_KEY_ID",
  "AUDIT_SIGNING_KEYS",
  "AUDIT_SIGNING_ACTIVE_KEY_ID",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_PUBLISHABLE_KEY",
  "HASHLEASE_ALLOW_DEV_SECRETS",
  "HASHLEASE_DATA_DIR",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
];

export function isolateSecretsEnvironment(): void {
  beforeEach(() => {
    for (const name of VARIABLES) vi.stubEnv(name, undefined);
    vi.stubEnv("NODE_ENV", "test");
    clearSecretsCache();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    clearSecretsCache();
  });
}

export function keyB64(bytes = 32): string {
  return randomBytes(bytes).toString("base64");
}

export const AUTH_SECRET = "test-auth-secret-0123456789abcdefghijklmnop";
