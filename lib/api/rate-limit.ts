// Per-key rate limit: a token bucket per API key, default 20 requests per second with bursts of 40
// (API_RATE_PER_SECOND, API_RATE_BURST), kept in PostgreSQL (api_rate_buckets) so every app
// instance takes from the same bucket: N instances allow a key the limit once, not N times. The
// bucket is taken in the request's one database statement, the nonce claim (./auth.ts), so the
// limit costs no extra round trip; the upsert's row lock orders one key's concurrent requests
// across instances. takeTokens below is the arithmetic that statement does, in TypeScript: the
// tests prove the two agree. Every instance must run with the same two settings.
import type { PrismaClient } from "../db/client";

export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

export function rateLimitFromEnv(env: Record<string, string | undefined> = process.env): RateLimitConfig {
  const perSecond = Number(env.API_RATE_PER_SECOND ?? 20);
  const burst = Number(env.API_RATE_BURST ?? 40);
  if (!(perSecond > 0) || !(burst >= 1)) throw new Error("API_RATE_PER_SECOND must be > 0 and API_RATE_BURST >= 1.");
  return { perSecond, burst };
}

export interface Bucket {
  tokens: number;
  /** ms since the epoch. */
  updatedMs: number;
}

export interface BucketTake {
  bucket: Bucket;
  /** How many of the `wanted` requests were admitted (the first ones, in arrival order). */
  granted: number;
}

/**
 * Takes up to `wanted` tokens at `nowMs` from `bucket` (null: a key not seen yet, a full bucket).
 * The bucket refills at perSecond up to burst; time never runs backwards (an instance whose clock
 * is behind another's gets no refill until it catches up, never extra tokens).
 */
export function takeTokens(bucket: Bucket | null, wanted: number, nowMs: number, config: RateLimitConfig): BucketTake {
  const { perSecond, burst } = config;
  const refilled = bucket
    ? Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.updatedMs) * perSecond) / 1000)
    : burst;
  const granted = Math.min(wanted, Math.floor(refilled));
  return {
    bucket: { tokens: refilled - granted, updatedMs: Math.max(bucket?.updatedMs ?? nowMs, nowMs) },
    granted,
  };
}

/** Whole seconds until a bucket left with `tokens` (< 1) holds a token again; at least 1 (Retry-After). */
export function retryAfterSeconds(tokens: number, config: RateLimitConfig): number {
  return Math.max(1, Math.ceil((1 - tokens) / config.perSecond));
}

/**
 * Housekeeping (the purge-rate-limits job): drops buckets idle for longer than a full refill (and a
 * minute), which are full again and so the same as no row.
 */
export async function purgeIdleRateBuckets(
  prisma: PrismaClient,
  nowMs = Date.now(),
  config = rateLimitFromEnv(),
): Promise<number> {
  const idleMs = Math.ceil((config.burst / config.perSecond) * 1000) + 60_000;
  const { count } = await prisma.apiRateBucket.deleteMany({ where: { updatedMs: { lt: BigInt(nowMs - idleMs) } } });
  return count;
}
