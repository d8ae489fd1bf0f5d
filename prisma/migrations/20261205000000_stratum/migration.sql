-- Verified delivery (DESIGN.md "Delivered hashrate: measured, not declared"): rigs mine through
-- the Stratum proxy (lib/stratum/), which verifies every share and records what it accepted.

-- Where a payout's delivered hashrate came from: every allocated rig measured by shares, every
-- one reported by its operator, a mix, or no data at all (delivered 0).
CREATE TYPE "hashrate_source" AS ENUM ('SHARES', 'TELEMETRY', 'MIXED', 'NONE');

-- Payouts settled before this migration used operator telemetry (or had none).
ALTER TABLE "daily_payouts" ADD COLUMN "hashrate_source" "hashrate_source" NOT NULL DEFAULT 'TELEMETRY';
UPDATE "daily_payouts" SET "hashrate_source" = 'NONE' WHERE "delivered_hashrate_hs" = 0;
ALTER TABLE "daily_payouts" ALTER COLUMN "hashrate_source" DROP DEFAULT;

-- One Stratum login per rig: the worker name is public, the secret is shown once and stored as
-- its SHA-256 (it is 192 random bits, so a slow hash adds nothing).
CREATE TABLE "rig_stratum_credentials" (
    "rig_id" UUID NOT NULL,
    "worker_name" TEXT NOT NULL,
    "secret_sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rig_stratum_credentials_pkey" PRIMARY KEY ("rig_id"),
    CONSTRAINT "rig_stratum_credentials_worker_name_shape" CHECK ("worker_name" ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    CONSTRAINT "rig_stratum_credentials_secret_shape" CHECK ("secret_sha256" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "rig_stratum_credentials_worker_name_key" ON "rig_stratum_credentials"("worker_name");
ALTER TABLE "rig_stratum_credentials" ADD CONSTRAINT "rig_stratum_credentials_rig_id_fkey"
    FOREIGN KEY ("rig_id") REFERENCES "rigs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Each running proxy process registers here; its id is the 2-byte prefix of every extranonce1
-- it hands out, so processes behind one load balancer never give two miners the same work.
-- The heartbeat carries the live figures the admin health page shows.
CREATE TABLE "stratum_instances" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMPTZ(3),
    "connections" INTEGER NOT NULL DEFAULT 0,
    "shares_accepted" BIGINT NOT NULL DEFAULT 0,
    "shares_rejected" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "stratum_instances_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stratum_instances_mode" CHECK ("mode" IN ('pool', 'upstream'))
);

-- Accepted work per rig per UTC minute of arrival (batched writes, never one row per share).
-- accepted_work = sum over accepted shares of difficulty x the algorithm's difficulty-1 work, in
-- hashes (an exact integer: difficulties are powers of two, lib/stratum/work.ts).
CREATE TABLE "rig_share_minutes" (
    "rig_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "accepted_shares" INTEGER NOT NULL DEFAULT 0,
    "accepted_work" DECIMAL(40,0) NOT NULL DEFAULT 0,
    "rejected_stale" INTEGER NOT NULL DEFAULT 0,
    "rejected_duplicate" INTEGER NOT NULL DEFAULT 0,
    "rejected_low_difficulty" INTEGER NOT NULL DEFAULT 0,
    "rejected_invalid" INTEGER NOT NULL DEFAULT 0,
    "upstream_accepted" INTEGER NOT NULL DEFAULT 0,
    "upstream_rejected" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "rig_share_minutes_pkey" PRIMARY KEY ("rig_id", "minute"),
    CONSTRAINT "rig_share_minutes_minute" CHECK (date_trunc('minute', "minute") = "minute"),
    CONSTRAINT "rig_share_minutes_values" CHECK ("accepted_shares" >= 0 AND "accepted_work" >= 0 AND "rejected_stale" >= 0
        AND "rejected_duplicate" >= 0 AND "rejected_low_difficulty" >= 0 AND "rejected_invalid" >= 0
        AND "upstream_accepted" >= 0 AND "upstream_rejected" >= 0)
);
ALTER TABLE "rig_share_minutes" ADD CONSTRAINT "rig_share_minutes_rig_id_fkey"
    FOREIGN KEY ("rig_id") REFERENCES "rigs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The same per UTC day, written in the same statement as the minutes; the payout run reads it:
-- a rig-day with a row here is measured, rep = floor(accepted_work / 86400).
CREATE TABLE "rig_share_days" (
    "rig_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "accepted_shares" INTEGER NOT NULL DEFAULT 0,
    "accepted_work" DECIMAL(40,0) NOT NULL DEFAULT 0,
    "rejected_stale" INTEGER NOT NULL DEFAULT 0,
    "rejected_duplicate" INTEGER NOT NULL DEFAULT 0,
    "rejected_low_difficulty" INTEGER NOT NULL DEFAULT 0,
    "rejected_invalid" INTEGER NOT NULL DEFAULT 0,
    "upstream_accepted" INTEGER NOT NULL DEFAULT 0,
    "upstream_rejected" INTEGER NOT NULL DEFAULT 0,
    "last_share_at" TIMESTAMPTZ(3),
    CONSTRAINT "rig_share_days_pkey" PRIMARY KEY ("rig_id", "day"),
    CONSTRAINT "rig_share_days_values" CHECK ("accepted_shares" >= 0 AND "accepted_work" >= 0 AND "rejected_stale" >= 0
        AND "rejected_duplicate" >= 0 AND "rejected_low_difficulty" >= 0 AND "rejected_invalid" >= 0
        AND "upstream_accepted" >= 0 AND "upstream_rejected" >= 0)
);
CREATE INDEX "rig_share_days_day_idx" ON "rig_share_days"("day");
ALTER TABLE "rig_share_days" ADD CONSTRAINT "rig_share_days_rig_id_fkey"
    FOREIGN KEY ("rig_id") REFERENCES "rigs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
