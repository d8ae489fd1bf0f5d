// getSecrets(): the one way the app reads its secrets. Cached for SECRETS_CACHE_TTL_MS
// (default 5 minutes) so rotated values are picked up without a restart; callers arriving
// during a refresh share the one in-flight fetch. A failed fetch is not cached. Instances
// refresh on their own clocks, so one may sign with a rotated auth secret before another knows
// it: refreshSecrets lets the one behind read early when such a token arrives.
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
/** refreshSecrets re-reads at most this often: a flood of foreign tokens costs one read per 10 s. */
export const SECRETS_REFRESH_MIN_INTERVAL_MS = 10_000;

interface CacheState {
  value: AppSecrets | null;
  expiresAtMs: number;
  loadedAtMs: number;
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
  loadedAtMs: 0,
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
      state.loadedAtMs = Date.now();
      state.expiresAtMs = state.loadedAtMs + ttlMs;
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

/**
 * The secrets read again before their TTL runs out, unless they were read less than
 * SECRETS_REFRESH_MIN_INTERVAL_MS ago. For a token signed under an auth secret this instance
 * does not know: another instance may have read a rotated secret first (each reads on its own
 * clock), and this one should not refuse the token until its own TTL runs out.
 */
export async function refreshSecrets(): Promise<AppSecrets> {
  const cached = state.value;
  if (!cached || state.inFlight || Date.now() - state.loadedAtMs < SECRETS_REFRESH_MIN_INTERVAL_MS) return getSecrets();
  const expiresAtMs = state.expiresAtMs;
  state.expiresAtMs = 0;
  try {
    return await getSecrets();
  } catch {
    // The service is out: keep serving what is cached until its own TTL, and try again later.
    if (state.value === cached) {
      state.expiresAtMs = expiresAtMs;
      state.loadedAtMs = Date.now();
    }
    return cached;
  }
}

/** Forgets cached secrets and any fetch in progress (tests, or after a forced rotation). */
export function clearSecretsCache(): void {
  state.value = null;
  state.expiresAtMs = 0;
  state.loadedAtMs = 0;
  state.inFlight = null;
  state.generation += 1;
}
