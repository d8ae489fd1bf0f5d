// Authenticates one signed request (./hmac.ts), in this order, each refusal with its own code:
// header -> key (unknown, revoked) -> timestamp window -> signature (current secret, then the
// previous one while its rotation grace lasts) -> account frozen -> IP allowlist -> scope ->
// rate limit -> nonce. Requests refused before the rate limit (forged, unauthorised) never write
// to the database. The only database work of a request whose key is cached is one statement,
// group-committed with the concurrent requests' ones (NonceBatcher below): it takes the key's
// token from its bucket in PostgreSQL (./rate-limit.ts, shared by every instance), claims the
// nonce of each request the bucket admitted (a throttled request claims none, so its retry may
// reuse it) and refreshes last_used_at/ip at most once a minute per key and process.
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { KeyRing } from "../secrets";
import { API_ERROR_CODES, ApiError } from "./errors";
import { canonicalString, parseAuthorization, SIGNATURE_WINDOW_SECONDS, signatureMatches } from "./hmac";
import { resolveApiKey, type ResolvedApiKey } from "./keys";
import { rateLimitFromEnv, retryAfterSeconds, type RateLimitConfig } from "./rate-limit";
import type { ApiScopeName } from "./scopes";

export const LAST_USED_EVERY_MS = 60_000;

const globalForApi = globalThis as unknown as {
  hashleaseApiRateLimit?: RateLimitConfig;
  hashleaseApiLastUsed?: Map<string, { atMs: number; ip: string | null }>;
};

/** The per-key limit this process applies (API_RATE_PER_SECOND, API_RATE_BURST). */
export function rateLimit(): RateLimitConfig {
  globalForApi.hashleaseApiRateLimit ??= rateLimitFromEnv();
  return globalForApi.hashleaseApiRateLimit;
}

/** Tests: other limits (or the env's again when called without one). The buckets stay in the database. */
export function resetRateLimiter(config = rateLimitFromEnv()): void {
  globalForApi.hashleaseApiRateLimit = config;
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
  const previous = lastUsed.get(key.id);
  const touch = !previous || nowMs - previous.atMs >= LAST_USED_EVERY_MS || previous.ip !== request.ip;
  if (touch) {
    if (lastUsed.size > 10_000) lastUsed.clear();
    lastUsed.set(key.id, { atMs: nowMs, ip: request.ip });
  }
  const claimed = await nonceBatcher(prisma).claim({
    apiKeyId: key.id,
    nonce: auth.nonce,
    at: new Date(nowMs),
    ip: request.ip,
    touch,
  });
  if (claimed.status === "throttled") {
    // Not used after all: the next admitted request records the use.
    if (touch) lastUsed.delete(key.id);
    throw new ApiError(
      429,
      API_ERROR_CODES.rateLimited,
      `Rate limit of this key exceeded; retry in ${claimed.retryAfterSeconds} s.`,
      {
        "retry-after": String(claimed.retryAfterSeconds),
      },
    );
  }
  if (claimed.status === "replayed") {
    throw new ApiError(
      401,
      API_ERROR_CODES.nonceReused,
      "This nonce was already used with this key; send a fresh nonce with every request.",
    );
  }
  return key;
}

export interface NonceClaim {
  apiKeyId: string;
  nonce: string;
  at: Date;
  ip: string | null;
  /** Also refresh the key's last_used_at/last_used_ip. */
  touch: boolean;
}

/** admitted: a token taken and the nonce new; replayed: a token taken, the nonce seen before. */
export type ClaimResult =
  { status: "admitted" } | { status: "replayed" } | { status: "throttled"; retryAfterSeconds: number };

interface PendingClaim extends NonceClaim {
  resolve: (result: ClaimResult) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 500;
const MAX_IN_FLIGHT = 2;

/**
 * Group commit of request claims: the claims that arrive while earlier statements are in flight
 * go to the database together in one statement, so under load many requests share one round trip
 * (at most MAX_IN_FLIGHT statements at a time), and a lone request still costs exactly one. The
 * statement takes each key's tokens (one upsert per key of the batch, in key order so concurrent
 * batches lock bucket rows in one order), inserts the nonces of the requests admitted (the first
 * `granted` of each key, in arrival order) with ON CONFLICT DO NOTHING, and refreshes last use.
 */
export class NonceBatcher {
  private pending: PendingClaim[] = [];
  private pendingKeys = new Set<string>();
  private inFlight = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly limit: () => RateLimitConfig = rateLimit,
  ) {}

  claim(claim: NonceClaim): Promise<ClaimResult> {
    const id = `${claim.apiKeyId}:${claim.nonce}`;
    // The same nonce twice in one batch: the second is a replay of the first.
    if (this.pendingKeys.has(id)) return Promise.resolve({ status: "replayed" });
    return new Promise<ClaimResult>((resolve, reject) => {
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
    try {
      const results = await claimBatch(this.prisma, batch, this.limit());
      batch.forEach((c, i) => c.resolve(results[i]!));
    } catch (error) {
      for (const c of batch) c.reject(error);
    }
  }
}

/**
 * One request statement for a batch of claims (distinct key + nonce pairs): each key's tokens
 * taken (one upsert per key, in key order so concurrent batches lock bucket rows in one order),
 * the nonces of the admitted claims (the first `granted` of each key, in batch order) inserted
 * with ON CONFLICT DO NOTHING, last use refreshed for keys with an admitted claim. The results
 * are in the batch's order.
 */
export async function claimBatch(
  prisma: PrismaClient,
  batch: readonly NonceClaim[],
  config: RateLimitConfig,
): Promise<ClaimResult[]> {
  const touches = new Map<string, NonceClaim>();
  for (const c of batch) if (c.touch) touches.set(c.apiKeyId, c);
  const touched = [...touches.values()];
  // The locked row's tokens refilled for the time since it was last taken, capped at the burst.
  const refilled = Prisma.sql`least(${config.burst}::float8, b.tokens + (greatest(0, EXCLUDED.updated_ms - b.updated_ms)::float8 * ${config.perSecond}::float8) / 1000)`;
  // The bucket arithmetic is takeTokens (./rate-limit.ts). A new row starts full; the proposed
  // row's `granted` carries the key's demand capped at the burst (no statement can grant more),
  // so the update needs nothing but EXCLUDED and the locked row.
  const rows = await prisma.$queryRaw<{ kind: string; id: string; tokens: number | null; granted: number | null }[]>`
      WITH req AS (
        SELECT k, n, a, o
          FROM unnest(${batch.map((c) => c.apiKeyId)}::uuid[], ${batch.map((c) => c.nonce)}::text[], ${batch.map((c) => c.at.getTime())}::bigint[])
               WITH ORDINALITY AS i(k, n, a, o)
      ), demand AS (
        SELECT k, least(count(*), floor(${config.burst}::float8))::int AS wanted, max(a) AS at_ms
          FROM req GROUP BY k ORDER BY k
      ), bucket AS (
        INSERT INTO api_rate_buckets AS b (api_key_id, tokens, granted, updated_ms)
        SELECT k, ${config.burst}::float8 - wanted, wanted, at_ms FROM demand ORDER BY k
        ON CONFLICT (api_key_id) DO UPDATE SET
          granted = least(EXCLUDED.granted, floor(${refilled})),
          tokens = ${refilled} - least(EXCLUDED.granted, floor(${refilled})),
          updated_ms = greatest(b.updated_ms, EXCLUDED.updated_ms)
        RETURNING api_key_id, tokens, granted
      ), claimed AS (
        INSERT INTO api_nonces (api_key_id, nonce, created_at)
        SELECT r.k, r.n, timestamptz 'epoch' + r.a * interval '1 millisecond'
          FROM (SELECT k, n, a, row_number() OVER (PARTITION BY k ORDER BY o) AS rank FROM req) r
          JOIN bucket ON bucket.api_key_id = r.k
         WHERE r.rank <= bucket.granted
        ON CONFLICT DO NOTHING
        RETURNING api_key_id::text || ':' || nonce AS id
      ), used AS (
        UPDATE api_keys SET last_used_at = u.a::timestamptz, last_used_ip = u.ip
          FROM unnest(${touched.map((c) => c.apiKeyId)}::uuid[], ${touched.map((c) => c.at.toISOString())}::text[], ${touched.map((c) => c.ip)}::text[]) AS u(k, a, ip)
          JOIN bucket ON bucket.api_key_id = u.k AND bucket.granted > 0
         WHERE api_keys.id = u.k
        RETURNING 1
      )
      SELECT 'nonce' AS kind, id, NULL::float8 AS tokens, NULL::int AS granted FROM claimed
      UNION ALL
      SELECT 'bucket', api_key_id::text, tokens, granted FROM bucket`;
  const fresh = new Set<string>();
  const buckets = new Map<string, { tokens: number; granted: number }>();
  for (const r of rows) {
    if (r.kind === "nonce") fresh.add(r.id);
    else buckets.set(r.id, { tokens: Number(r.tokens), granted: Number(r.granted) });
  }
  // The statement admitted the first `granted` claims of each key in batch order (its rank).
  const ranks = new Map<string, number>();
  return batch.map((c): ClaimResult => {
    const bucket = buckets.get(c.apiKeyId)!;
    const rank = (ranks.get(c.apiKeyId) ?? 0) + 1;
    ranks.set(c.apiKeyId, rank);
    if (rank > bucket.granted)
      return { status: "throttled", retryAfterSeconds: retryAfterSeconds(bucket.tokens, config) };
    return { status: fresh.has(`${c.apiKeyId}:${c.nonce}`) ? "admitted" : "replayed" };
  });
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
