// Per-key rate limit: a token bucket per API key, kept in process memory. Default 20 requests
// per second with bursts of 40 (API_RATE_PER_SECOND, API_RATE_BURST). In-process because the
// check sits on every request's hot path and must cost no database round trip; with several
// app instances behind a load balancer each keeps its own buckets, so a key's ceiling is the
// per-instance limit times the number of instances (the limit protects the service from a
// runaway program; it is not a billing quota). Buckets idle for a minute are dropped.

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

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweepMs = 0;

  constructor(readonly config: RateLimitConfig) {}

  take(key: string, nowMs = Date.now()): RateDecision {
    const { perSecond, burst } = this.config;
    this.sweep(nowMs);
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedMs: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.updatedMs) / 1000) * perSecond);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }

  reset(): void {
    this.buckets.clear();
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = nowMs;
    for (const [key, bucket] of this.buckets) if (nowMs - bucket.updatedMs > 60_000) this.buckets.delete(key);
  }
}
