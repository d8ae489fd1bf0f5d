// getSecrets(): the one way the app reads its secrets. Cached for SECRETS_CACHE_TTL_MS
// (default 5 minutes) so rotated values are picked up without a restart; callers arriving
// during a refresh share the one in-flight fetch. A failed fetch is not cached.
import { SecretsConfigError } from "./errors";
import {
  devSecretsAllowed,
  environmentHasSecrets,
  secretsFromDevFile,
  secretsFromEnvironment,
  secretsFromSecretsManager,
  type AppSecrets,
} from "./sources";

const DEFAULT_TTL_MS = 5 * 60 * 1000;

interface CacheState {
  value: AppSecrets | null;
  expiresAtMs: number;
  inFlight: Promise<AppSecrets> | null;
  /** Bumped by clearSecretsCache so a fetch started before the clear cannot repopulate it. */
  generation: number;
}

// On globalThis, like the Prisma client, so Next.js dev reloads and separately bundled
// server chunks share one cache.
const globalForSecrets = globalThis as unknown as { hashleaseSecretsCache?: CacheState };
const state: CacheState = (globalForSecrets.hashleaseSecretsCache ??= {
  value: null,
  expiresAtMs: 0,
  inFlight: null,
  generation: 0,
});

function cacheTtlMs(): number {
  const raw = process.env.SECRETS_CACHE_TTL_MS?.trim();
  if (!raw) return DEFAULT_TTL_MS;
  const ttl = Number(raw);
  if (!Number.isSafeInteger(ttl) || ttl < 0) {
    throw new SecretsConfigError("SECRETS_CACHE_TTL_MS must be a whole number of milliseconds (0 disables caching).");
  }
  return ttl;
}

async function loadSecrets(): Promise<AppSecrets> {
  const secretId = process.env.SECRETS_MANAGER_SECRET_ID?.trim();
  if (secretId) return secretsFromSecretsManager(secretId);
  if (environmentHasSecrets()) return secretsFromEnvironment();
  if (devSecretsAllowed()) return secretsFromDevFile();
  throw new SecretsConfigError(
    "No secrets configured for production. Set SECRETS_MANAGER_SECRET_ID (an AWS Secrets Manager secret " +
      "holding AUTH_SECRET, ENCRYPTION_KEYS, ...) or the environment variables AUTH_SECRET and ENCRYPTION_KEYS " +
      "(optionally ENCRYPTION_ACTIVE_KEY_ID, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PUBLISHABLE_KEY). " +
      "Only a demo may set HASHLEASE_ALLOW_DEV_SECRETS=1 to generate them.",
  );
}

export function getSecrets(): Promise<AppSecrets> {
  if (state.value && Date.now() < state.expiresAtMs) return Promise.resolve(state.value);
  if (state.inFlight) return state.inFlight;
  const generation = state.generation;
  const pending = (async () => {
    const ttlMs = cacheTtlMs();
    const value = await loadSecrets();
    if (state.generation === generation) {
      state.value = value;
      state.expiresAtMs = Date.now() + ttlMs;
    }
    return value;
  })();
  state.inFlight = pending;
  const forget = () => {
    if (state.inFlight === pending) state.inFlight = null;
  };
  pending.then(forget, forget);
  return pending;
}

/** Forgets cached secrets and any fetch in progress (tests, or after a forced rotation). */
export function clearSecretsCache(): void {
  state.value = null;
  state.expiresAtMs = 0;
  state.inFlight = null;
  state.generation += 1;
}
