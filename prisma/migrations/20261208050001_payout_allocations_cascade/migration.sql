-- A payout's per-allocation inputs (20261208050000) are part of the payout: they go with it.
-- Payouts are never deleted by the application; a hand-made correction (or a test) that deletes
-- one must not be stopped by its own inputs.
ALTER TABLE "daily_payout_allocations" DROP CONSTRAINT "daily_payout_allocations_payout_id_fkey";
ALTER TABLE "daily_payout_allocations" ADD CONSTRAINT "daily_payout_allocations_payout_id_fkey"
  FOREIGN KEY ("payout_id") REFERENCES "daily_payouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
