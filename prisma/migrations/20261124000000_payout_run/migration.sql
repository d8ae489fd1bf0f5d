-- AlterTable
ALTER TABLE "payout_runs" ADD COLUMN "contracts_unsettled" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "daily_payouts" ADD COLUMN "credit_journal_id" UUID;

-- Hand-written: a payout's coin figures add up exactly (mined = customer net + pool fee +
-- maintenance fee, per contract-day), so a run's rounding is zero by construction.
ALTER TABLE "daily_payouts" ADD CONSTRAINT "daily_payouts_figures_add_up" CHECK ("gross_base" = "net_base" + "pool_fee_base" + "maintenance_fee_base");
ALTER TABLE "payout_runs" ADD CONSTRAINT "payout_runs_counts_nonnegative" CHECK ("contracts_settled" >= 0 AND "contracts_unsettled" >= 0);
