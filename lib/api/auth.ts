// Authenticates one signed request (./hmac.ts), in this order, each refusal with its own code:
// header -> key (unknown, revoked) -> timestamp window -> signature (current secret, then the
// previous one while its rotation grace lasts) -> account frozen -> IP allowlist -> scope ->
// rate limit -> nonce. The nonce is claimed last, so requests refused earlier (forged,
// unauthorised, throttled) never write to the database. The only database work of a request
// whose key is cached is its nonce insert, group-committed with the concurrent requests' ones
// (NonceBatcher below), which also refreshes last_used_at/ip at most once a minute per key and
// process.
import type { PrismaClient } from "../db/client";
import type { KeyRing } from "../secrets";
import { API_ERROR_CODES, ApiError } from "./errors";
import { canonicalString, parseAuthorization, SIGNATURE_WINDOW_SECONDS, signatureMatches } from "./hmac";
import { resolveApiKey, type ResolvedApiKey } from "./keys";
import { rateLimitFromEnv, TokenBuckets } from "./rate-limit";
import type { ApiScopeName } from "./scopes";

export const LAST_USED_EVERY_MS = 60_000;

const globalForApi = globalThis as unknown as {
  hashleaseApiBuckets?: TokenBuckets;
  hashleaseApiLastUsed?: Map<string, { atMs: number; ip: string | null }>;
};

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

export async function authenticateRequest(
  prisma: PrismaClient,
  request: SignedRequest,
  options: AuthenticateOptions,
): Promise<ResolvedApiKey> {
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
    (key.previousSecret !== null &&
      key.previousValidUntilMs !== null &&
      nowMs < key.previousValidUntilMs &&
      signatureMatches(key.previousSecret, canonical, auth.signature));
  if (!valid) {
    throw new ApiError(
      401,
      API_ERROR_CODES.badSignature,
      "The signature does not match the request (check the canonical string: method, path, sorted query, body hash, timestamp, nonce).",
    );
  }

  if (key.userFrozen) throw new ApiError(403, API_ERROR_CODES.accountFrozen, "This account is frozen.");
  if (key.ipAllowed && !key.ipAllowed(request.ip)) {
    throw new ApiError(
      403,
      API_ERROR_CODES.ipNotAllowed,
      `This key may not be used from ${request.ip ?? "an unknown address"}.`,
    );
  }
  if (!key.scopes.includes(options.scope)) {
    throw new ApiError(403, API_ERROR_CODES.missingScope, `This key lacks the "${options.scope}" scope.`);
  }
  const decision = rateLimiter().take(key.id, nowMs);
  if (!decision.ok) {
    throw new ApiError(
      429,
      API_ERROR_CODES.rateLimited,
      `Rate limit of this key exceeded; retry in ${decision.retryAfterSeconds} s.`,
      {
        "retry-after": String(decision.retryAfterSeconds),
      },
    );
  }

  const previous = lastUsed.get(key.id);
  const touch = !previous || nowMs - previous.atMs >= LAST_USED_EVERY_MS || previous.ip !== request.ip;
  if (touch) {
    if (lastUsed.size > 10_000) lastUsed.clear();
    lastUsed.set(key.id, { atMs: nowMs, ip: request.ip });
  }
  const fresh = await nonceBatcher(prisma).claim({
    apiKeyId: key.id,
    nonce: auth.nonce,
    at: new Date(nowMs),
    ip: request.ip,
    touch,
  });
  if (!fresh) {
    throw new ApiError(
      401,
      API_ERROR_CODES.nonceReused,
      "This nonce was already used with this key; send a fresh nonce with every request.",
    );
  }
  return key;
}

interface NonceClaim {
  apiKeyId: string;
  nonce: string;
  at: Date;
  ip: string | null;
  /** Also refresh the key's last_used_at/last_used_ip. */
  touch: boolean;
}

interface PendingClaim extends NonceClaim {
  resolve: (fresh: boolean) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 500;
const MAX_IN_FLIGHT = 2;

/**
 * Group commit of nonce claims: the claims that arrive while earlier statements are in flight
 * go to the database together in one INSERT ... ON CONFLICT DO NOTHING over unnest(), so under
 * load many requests share one round trip (at most MAX_IN_FLIGHT statements at a time), and a
 * lone request still costs exactly one. Each claim learns whether its nonce was new.
 */
export class NonceBatcher {
  private pending: PendingClaim[] = [];
  private pendingKeys = new Set<string>();
  private inFlight = 0;

  constructor(private readonly prisma: PrismaClient) {}

  claim(claim: NonceClaim): Promise<boolean> {
    const id = `${claim.apiKeyId}:${claim.nonce}`;
    // The same nonce twice in one batch: the second is a replay of the first.
    if (this.pendingKeys.has(id)) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ ...claim, resolve, reject });
      this.pendingKeys.add(id);
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      for (const c of batch) this.pendingKeys.delete(`${c.apiKeyId}:${c.nonce}`);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async flush(batch: PendingClaim[]): Promise<void> {
    const touches = new Map<string, PendingClaim>();
    for (const c of batch) if (c.touch) touches.set(c.apiKeyId, c);
    const touched = [...touches.values()];
    try {
      const rows = await this.prisma.$queryRaw<{ id: string }[]>`
        WITH claimed AS (
          INSERT INTO api_nonces (api_key_id, nonce, created_at)
          SELECT k, n, a::timestamptz
            FROM unnest(${batch.map((c) => c.apiKeyId)}::uuid[], ${batch.map((c) => c.nonce)}::text[], ${batch.map((c) => c.at.toISOString())}::text[]) AS i(k, n, a)
          ON CONFLICT DO NOTHING
          RETURNING api_key_id::text || ':' || nonce AS id
        ), used AS (
          UPDATE api_keys SET last_used_at = u.a::timestamptz, last_used_ip = u.ip
            FROM unnest(${touched.map((c) => c.apiKeyId)}::uuid[], ${touched.map((c) => c.at.toISOString())}::text[], ${touched.map((c) => c.ip)}::text[]) AS u(k, a, ip)
           WHERE api_keys.id = u.k
          RETURNING 1
        )
        SELECT id FROM claimed`;
      const fresh = new Set(rows.map((r) => r.id));
      for (const c of batch) c.resolve(fresh.has(`${c.apiKeyId}:${c.nonce}`));
    } catch (error) {
      for (const c of batch) c.reject(error);
    }
  }
}

const batchers = new WeakMap<PrismaClient, NonceBatcher>();

function nonceBatcher(prisma: PrismaClient): NonceBatcher {
  let batcher = batchers.get(prisma);
  if (!batcher) {
    batcher = new NonceBatcher(prisma);
    batchers.set(prisma, batcher);
  }
  return batcher;
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
