-- Money fidelity in payouts (issue 22; lib/payouts/README.md):
--  1. a payout keeps the day's COMPUTED figures (would-be gross, pool fee, maintenance fee, what
--     the delivered hashrate earned) beside the POSTED ones (gross/pool/maintenance/net_base: what
--     the ledger moved, 0 on a curtailed day), so a curtailment can be recomputed and explained;
--  2. the run's totals record the maintenance fees credited to the operators' payables (the fee
--     now goes to the operator; platform share 0) and the would-be gross of curtailed days;
--  3. a payout keeps its per-allocation inputs (daily_payout_allocations), so it can be
--     recomputed from its own rows alone.

-- 1. Computed figures. Added nullable, backfilled, then NOT NULL.
ALTER TABLE "daily_payouts"
  ADD COLUMN "computed_gross_base" DECIMAL(40,0),
  ADD COLUMN "computed_pool_fee_base" DECIMAL(40,0),
  ADD COLUMN "computed_maintenance_fee_base" DECIMAL(40,0);

-- Existing rows: a day that was not curtailed posted exactly what it computed; a curtailed day's
-- figures are recomputed from the inputs stored on its row (formula.ts steps 2-4, every operand
-- >= 0 so div() is floor and ceil is div(a + b - 1, b)).
UPDATE "daily_payouts" SET
  "computed_gross_base" = "gross_base",
  "computed_pool_fee_base" = "pool_fee_base",
  "computed_maintenance_fee_base" = "maintenance_fee_base"
 WHERE NOT "curtailed";

UPDATE "daily_payouts" p SET
  "computed_gross_base" = g.gross,
  "computed_pool_fee_base" = div(g.gross * p.pool_fee_bps + 9999, 10000),
  "computed_maintenance_fee_base" = div(p.maintenance_fee_micro_usd_per_unit_day::numeric * p.delivered_hashrate_hs
                                          * power(10::numeric, p.decimals)::numeric(40, 0)
                                          + p.unit_hs::numeric * p.price_micro_usd - 1,
                                        p.unit_hs::numeric * p.price_micro_usd)
  FROM (SELECT id, div(delivered_hashrate_hs::numeric * 86400 * (block_subsidy_base + avg_fees_per_block_base) * 1000,
                       network_hashrate_hs * block_time_ms) AS gross
          FROM "daily_payouts" WHERE "curtailed") g
 WHERE p.id = g.id;

ALTER TABLE "daily_payouts"
  ALTER COLUMN "computed_gross_base" SET NOT NULL,
  ALTER COLUMN "computed_pool_fee_base" SET NOT NULL,
  ALTER COLUMN "computed_maintenance_fee_base" SET NOT NULL;

-- The decision is the computed figures' (step 5), and what was posted follows from it: a
-- curtailed day posts nothing, any other day posts exactly what it computed.
ALTER TABLE "daily_payouts" ADD CONSTRAINT "daily_payouts_curtailment_decided"
  CHECK ("curtailed" = ("computed_gross_base" - "computed_pool_fee_base" < "computed_maintenance_fee_base"));
ALTER TABLE "daily_payouts" ADD CONSTRAINT "daily_payouts_posted_follow_computed"
  CHECK (CASE WHEN "curtailed"
              THEN "gross_base" = 0 AND "pool_fee_base" = 0 AND "maintenance_fee_base" = 0 AND "net_base" = 0
              ELSE "gross_base" = "computed_gross_base" AND "pool_fee_base" = "computed_pool_fee_base"
                   AND "maintenance_fee_base" = "computed_maintenance_fee_base" END);

-- 2. Run totals: what reached the operators' payables (read back from the postings the run made)
-- and what curtailed days would have mined. Runs before this migration credited no operator.
ALTER TABLE "payout_run_totals"
  ADD COLUMN "operator_maintenance_base" DECIMAL(40,0) NOT NULL DEFAULT 0,
  ADD COLUMN "curtailed_gross_base" DECIMAL(40,0) NOT NULL DEFAULT 0;
ALTER TABLE "payout_run_totals" ADD CONSTRAINT "payout_run_totals_operator_maintenance_bounded"
  CHECK ("operator_maintenance_base" >= 0 AND "operator_maintenance_base" <= "maintenance_fees_base");

-- 3. Per-allocation inputs of a payout, written by the run's statement with the payout. No foreign
-- key to allocations or rigs (a snapshot of inputs; an RI check is a per-row trigger; allocations
-- and rigs are never deleted anyway); the one to the payout stays.
CREATE TABLE "daily_payout_allocations" (
    "payout_id" BIGINT NOT NULL,
    "allocation_id" UUID NOT NULL,
    "rig_id" UUID NOT NULL,
    "allocated_hashrate_hs" BIGINT NOT NULL,
    "nominal_hashrate_hs" BIGINT NOT NULL,
    -- rep as the run counted it: floor(accepted_work / 86400) when measured, else telemetry; NULL: no data.
    "reported_hashrate_hs" BIGINT,
    -- The operator's telemetry for the rig-day, also when measured shares won over it.
    "telemetry_hashrate_hs" BIGINT,
    "accepted_work" DECIMAL(40,0),
    "source" "hashrate_source" NOT NULL,
    -- floor(alloc * min(rep, nom) / nom); 0 without data.
    "delivered_hashrate_hs" BIGINT NOT NULL,

    CONSTRAINT "daily_payout_allocations_pkey" PRIMARY KEY ("payout_id", "allocation_id"),
    CONSTRAINT "daily_payout_allocations_source" CHECK (
      CASE "source"
        WHEN 'SHARES' THEN "accepted_work" IS NOT NULL AND "reported_hashrate_hs" IS NOT NULL
        WHEN 'TELEMETRY' THEN "accepted_work" IS NULL AND "reported_hashrate_hs" = "telemetry_hashrate_hs"
        WHEN 'NONE' THEN "accepted_work" IS NULL AND "reported_hashrate_hs" IS NULL AND "telemetry_hashrate_hs" IS NULL
        ELSE false END),
    CONSTRAINT "daily_payout_allocations_delivered" CHECK (
      "delivered_hashrate_hs" >= 0 AND "delivered_hashrate_hs" <= "allocated_hashrate_hs")
);
ALTER TABLE "daily_payout_allocations" ADD CONSTRAINT "daily_payout_allocations_payout_id_fkey"
  FOREIGN KEY ("payout_id") REFERENCES "daily_payouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
