// Authenticates one signed request (./hmac.ts), in this order, each refusal with its own code:
// header -> key (unknown, revoked) -> timestamp window -> signature (current secret, then the
// previous one while its rotation grace lasts) -> account frozen -> IP allowlist -> scope ->
// rate limit -> nonce. The nonce is claimed last, so requests refused earlier (forged,
// unauthorised, throttled) never write to the database. The only database round trip of a
// request whose key is cached is the nonce insert, which also refreshes last_used_at/ip at
// most once a minute per key and process.
import type { PrismaClient } from "../db/client";
import type { KeyRing } from "../secrets";
import { ApiError, API_ERROR_CODES } from "./errors";
import { canonicalString, parseAuthorization, signatureMatches, SIGNATURE_WINDOW_SECONDS } from "./hmac";
import { resolveApiKey, type ResolvedApiKey } from "./keys";
import { rateLimitFromEnv, TokenBuckets } from "./rate-limit";
import type { ApiScopeName } from "./scopes";

export const LAST_USED_EVERY_MS = 60_000;

const globalForApi = globalThis as unknown as { hashleaseApiBuckets?: TokenBuckets; hashleaseApiLastUsed?: Map<string, { atMs: number; ip: string | null }> };

export function rateLimiter(): TokenBuckets {
  globalForApi.hashleaseApiBuckets ??= new TokenBuckets(rateLimitFromEnv());
  return globalForApi.hashleaseApiBuckets;
}

/** Tests: a limiter with other limits (or the env's again when called without one). */
export function resetRateLimiter(config = rateLimitFromEnv()): void {
  globalForApi.hashleaseApiBuckets = new TokenBuckets(config);
}

const lastUsed = (globalForApi.hashleaseApiLastUsed ??= new Map());

export interface SignedRequest {
  method: string;
  path: string;
  search: string;
  authorization: string | null;
  bodySha256: string;
  ip: string | null;
}

export interface AuthenticateOptions {
  scope: ApiScopeName;
  now?: Date;
  keyRing?: KeyRing;
}

export async function authenticateRequest(prisma: PrismaClient, request: SignedRequest, options: AuthenticateOptions): Promise<ResolvedApiKey> {
  const auth = parseAuthorization(request.authorization);
  const key = await resolveApiKey(prisma, auth.apiKey, options.keyRing);
  if (!key) throw new ApiError(401, API_ERROR_CODES.unknownApiKey, "Unknown API key.");
  if (key.revoked) throw new ApiError(401, API_ERROR_CODES.revokedApiKey, "This API key has been revoked.");

  const nowMs = options.now?.getTime() ?? Date.now();
  const skew = Math.abs(nowMs / 1000 - auth.timestamp);
  if (skew > SIGNATURE_WINDOW_SECONDS) {
    throw new ApiError(
      401,
      API_ERROR_CODES.timestampOutOfWindow,
      `The timestamp is ${Math.round(skew)} s away from the server's clock (${Math.floor(nowMs / 1000)}); at most ${SIGNATURE_WINDOW_SECONDS} s is accepted.`,
    );
  }

  const canonical = canonicalString({
    method: request.method,
    path: request.path,
    query: request.search,
    bodySha256: request.bodySha256,
    timestamp: auth.timestamp,
    nonce: auth.nonce,
  });
  const valid =
    signatureMatches(key.secret, canonical, auth.signature) ||
    (key.previousSecret !== null && key.previousValidUntilMs !== null && nowMs < key.previousValidUntilMs && signatureMatches(key.previousSecret, canonical, auth.signature));
  if (!valid) {
    throw new ApiError(401, API_ERROR_CODES.badSignature, "The signature does not match the request (check the canonical string: method, path, sorted query, body hash, timestamp, nonce).");
  }

  if (key.userFrozen) throw new ApiError(403, API_ERROR_CODES.accountFrozen, "This account is frozen.");
  if (key.ipAllowed && !key.ipAllowed(request.ip)) {
    throw new ApiError(403, API_ERROR_CODES.ipNotAllowed, `This key may not be used from ${request.ip ?? "an unknown address"}.`);
  }
  if (!key.scopes.includes(options.scope)) {
    throw new ApiError(403, API_ERROR_CODES.missingScope, `This key lacks the "${options.scope}" scope.`);
  }
  const decision = rateLimiter().take(key.id, nowMs);
  if (!decision.ok) {
    throw new ApiError(429, API_ERROR_CODES.rateLimited, `Rate limit of this key exceeded; retry in ${decision.retryAfterSeconds} s.`, {
      "retry-after": String(decision.retryAfterSeconds),
    });
  }

  const previous = lastUsed.get(key.id);
  const touch = !previous || nowMs - previous.atMs >= LAST_USED_EVERY_MS || previous.ip !== request.ip;
  const now = new Date(nowMs);
  const rows = await prisma.$queryRaw<{ fresh: number }[]>`
    WITH n AS (
      INSERT INTO api_nonces (api_key_id, nonce, created_at) VALUES (${key.id}::uuid, ${auth.nonce}, ${now})
      ON CONFLICT DO NOTHING RETURNING 1
    ), u AS (
      UPDATE api_keys SET last_used_at = ${now}, last_used_ip = ${request.ip}
       WHERE id = ${key.id}::uuid AND ${touch} AND EXISTS (SELECT 1 FROM n) RETURNING 1
    )
    SELECT (SELECT count(*) FROM n)::int AS fresh, (SELECT count(*) FROM u)::int AS touched`;
  if (rows[0]?.fresh !== 1) {
    throw new ApiError(401, API_ERROR_CODES.nonceReused, "This nonce was already used with this key; send a fresh nonce with every request.");
  }
  if (touch) {
    if (lastUsed.size > 10_000) lastUsed.clear();
    lastUsed.set(key.id, { atMs: nowMs, ip: request.ip });
  }
  return key;
}

/**
 * Housekeeping (jobs worker): forget nonces older than twice the signature window. A request
 * is accepted only within SIGNATURE_WINDOW_SECONDS of its timestamp, and its timestamp is within
 * that window of the nonce's insertion, so a nonce older than 2x the window can never match.
 */
export async function purgeOldNonces(prisma: PrismaClient, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - 2 * SIGNATURE_WINDOW_SECONDS * 1000 - 60_000);
  const { count } = await prisma.apiNonce.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
