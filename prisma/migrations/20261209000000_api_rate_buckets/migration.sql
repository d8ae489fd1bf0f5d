-- The API's per-key token bucket (lib/api/rate-limit.ts), shared by every app instance: one row
-- per key, upserted by the same statement that claims the request's nonce (lib/api/auth.ts), so
-- the row lock of the upsert orders concurrent requests of one key across all instances.
-- tokens = what was left after the last statement, granted = how many requests that statement
-- admitted (read back through RETURNING), updated_ms = when (ms since the epoch). A row idle long
-- enough to be full again says nothing a missing row does not: the purge-rate-limits job drops it.
CREATE TABLE "api_rate_buckets" (
    "api_key_id" UUID NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "granted" INTEGER NOT NULL,
    "updated_ms" BIGINT NOT NULL,
    CONSTRAINT "api_rate_buckets_pkey" PRIMARY KEY ("api_key_id")
);

CREATE INDEX "api_rate_buckets_updated_ms_idx" ON "api_rate_buckets"("updated_ms");

ALTER TABLE "api_rate_buckets" ADD CONSTRAINT "api_rate_buckets_api_key_id_fkey"
  FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
