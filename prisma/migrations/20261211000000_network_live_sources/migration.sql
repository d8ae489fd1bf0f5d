-- Live network data (lib/network/live/): each value a provider fetched keeps its source (provider
-- name and the URL asked) and fetch time, one row per coin, day and field; and a snapshot whose
-- fetched figures moved more than the configured threshold from the day before is held for an
-- admin's review: the payout run does not settle that coin-day until an admin approves it.
-- NOT_NEEDED: no review (entered by hand, imported, or fetched within the threshold).
-- HELD: waiting for an admin (review_reason says which figure moved how far).
-- APPROVED: an admin approved the held figures (who and when); the job no longer updates the row.
CREATE TYPE "snapshot_review" AS ENUM ('NOT_NEEDED', 'HELD', 'APPROVED');

ALTER TABLE "network_snapshots"
    ADD COLUMN "review" "snapshot_review" NOT NULL DEFAULT 'NOT_NEEDED',
    ADD COLUMN "review_reason" TEXT,
    ADD COLUMN "reviewed_by_id" UUID,
    ADD COLUMN "reviewed_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "network_snapshots_review_consistent" CHECK (
        ("review" = 'NOT_NEEDED' AND "reviewed_by_id" IS NULL AND "reviewed_at" IS NULL)
        OR ("review" = 'HELD' AND "review_reason" IS NOT NULL AND "reviewed_by_id" IS NULL AND "reviewed_at" IS NULL)
        OR ("review" = 'APPROVED' AND "review_reason" IS NOT NULL AND "reviewed_by_id" IS NOT NULL AND "reviewed_at" IS NOT NULL)
    ),
    ADD CONSTRAINT "network_snapshots_reviewed_by_id_fkey"
        FOREIGN KEY ("reviewed_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "network_value_sources" (
    "id" BIGSERIAL NOT NULL,
    "coin" "asset" NOT NULL,
    "day" DATE NOT NULL,
    "field" TEXT NOT NULL,
    "value" DECIMAL(40, 0) NOT NULL,
    "provider" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "network_value_sources_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "network_value_sources_field_known" CHECK (
        "field" IN ('difficulty', 'network_hashrate_hs', 'block_subsidy_base', 'avg_fees_per_block_base', 'price_micro_usd')
    ),
    CONSTRAINT "network_value_sources_value_not_negative" CHECK ("value" >= 0)
);

CREATE UNIQUE INDEX "network_value_sources_coin_day_field_key" ON "network_value_sources"("coin", "day", "field");

ALTER TABLE "network_value_sources" ADD CONSTRAINT "network_value_sources_coin_day_fkey"
    FOREIGN KEY ("coin", "day") REFERENCES "network_snapshots"("coin", "day") ON DELETE CASCADE ON UPDATE CASCADE;
