-- Per customer, coin and UTC day: the sums of that customer's daily payouts (the dashboard's
-- charts and totals read a few hundred of these rows instead of aggregating 100,000+ payouts
-- per request). A cache of daily_payouts, kept in the same transaction by statement-level
-- triggers over the transition tables (one set-based upsert per statement, so the payout
-- run's single INSERT ... SELECT adds one grouped upsert, not a per-row trigger).
-- lib/dashboard/rollup.ts checks it against the payouts.

-- CreateTable
CREATE TABLE "customer_payout_days" (
    "customer_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "day" DATE NOT NULL,
    "payouts" INTEGER NOT NULL,
    "curtailed" INTEGER NOT NULL,
    "allocated_hashrate_hs" DECIMAL(40,0) NOT NULL,
    "delivered_hashrate_hs" DECIMAL(40,0) NOT NULL,
    "gross_base" DECIMAL(40,0) NOT NULL,
    "pool_fee_base" DECIMAL(40,0) NOT NULL,
    "maintenance_fee_base" DECIMAL(40,0) NOT NULL,
    "net_base" DECIMAL(40,0) NOT NULL,
    "under_delivery_credit_micro_usd" DECIMAL(40,0) NOT NULL,
    "usd_value_micro_usd" DECIMAL(40,0) NOT NULL,

    CONSTRAINT "customer_payout_days_pkey" PRIMARY KEY ("customer_id","coin","day")
);

CREATE FUNCTION customer_payout_days_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO customer_payout_days AS d (customer_id, coin, day, payouts, curtailed, allocated_hashrate_hs, delivered_hashrate_hs,
                                           gross_base, pool_fee_base, maintenance_fee_base, net_base,
                                           under_delivery_credit_micro_usd, usd_value_micro_usd)
    SELECT c.customer_id, o.coin, o.day, -count(*), -count(*) FILTER (WHERE o.curtailed),
           -sum(o.allocated_hashrate_hs), -sum(o.delivered_hashrate_hs), -sum(o.gross_base), -sum(o.pool_fee_base),
           -sum(o.maintenance_fee_base), -sum(o.net_base), -sum(o.under_delivery_credit_micro_usd), -sum(o.usd_value_at_receipt_micro_usd)
      FROM old_rows o JOIN contracts c ON c.id = o.contract_id
     GROUP BY c.customer_id, o.coin, o.day
     ORDER BY 1, 2, 3
    ON CONFLICT (customer_id, coin, day) DO UPDATE SET
      payouts = d.payouts + EXCLUDED.payouts,
      curtailed = d.curtailed + EXCLUDED.curtailed,
      allocated_hashrate_hs = d.allocated_hashrate_hs + EXCLUDED.allocated_hashrate_hs,
      delivered_hashrate_hs = d.delivered_hashrate_hs + EXCLUDED.delivered_hashrate_hs,
      gross_base = d.gross_base + EXCLUDED.gross_base,
      pool_fee_base = d.pool_fee_base + EXCLUDED.pool_fee_base,
      maintenance_fee_base = d.maintenance_fee_base + EXCLUDED.maintenance_fee_base,
      net_base = d.net_base + EXCLUDED.net_base,
      under_delivery_credit_micro_usd = d.under_delivery_credit_micro_usd + EXCLUDED.under_delivery_credit_micro_usd,
      usd_value_micro_usd = d.usd_value_micro_usd + EXCLUDED.usd_value_micro_usd;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO customer_payout_days AS d (customer_id, coin, day, payouts, curtailed, allocated_hashrate_hs, delivered_hashrate_hs,
                                           gross_base, pool_fee_base, maintenance_fee_base, net_base,
                                           under_delivery_credit_micro_usd, usd_value_micro_usd)
    SELECT c.customer_id, n.coin, n.day, count(*), count(*) FILTER (WHERE n.curtailed),
           sum(n.allocated_hashrate_hs), sum(n.delivered_hashrate_hs), sum(n.gross_base), sum(n.pool_fee_base),
           sum(n.maintenance_fee_base), sum(n.net_base), sum(n.under_delivery_credit_micro_usd), sum(n.usd_value_at_receipt_micro_usd)
      FROM new_rows n JOIN contracts c ON c.id = n.contract_id
     GROUP BY c.customer_id, n.coin, n.day
     ORDER BY 1, 2, 3
    ON CONFLICT (customer_id, coin, day) DO UPDATE SET
      payouts = d.payouts + EXCLUDED.payouts,
      curtailed = d.curtailed + EXCLUDED.curtailed,
      allocated_hashrate_hs = d.allocated_hashrate_hs + EXCLUDED.allocated_hashrate_hs,
      delivered_hashrate_hs = d.delivered_hashrate_hs + EXCLUDED.delivered_hashrate_hs,
      gross_base = d.gross_base + EXCLUDED.gross_base,
      pool_fee_base = d.pool_fee_base + EXCLUDED.pool_fee_base,
      maintenance_fee_base = d.maintenance_fee_base + EXCLUDED.maintenance_fee_base,
      net_base = d.net_base + EXCLUDED.net_base,
      under_delivery_credit_micro_usd = d.under_delivery_credit_micro_usd + EXCLUDED.under_delivery_credit_micro_usd,
      usd_value_micro_usd = d.usd_value_micro_usd + EXCLUDED.usd_value_micro_usd;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER daily_payouts_rollup_insert AFTER INSERT ON daily_payouts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_payout_days_apply();
CREATE TRIGGER daily_payouts_rollup_update AFTER UPDATE ON daily_payouts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_payout_days_apply();
CREATE TRIGGER daily_payouts_rollup_delete AFTER DELETE ON daily_payouts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_payout_days_apply();

-- Payouts that exist already.
INSERT INTO customer_payout_days (customer_id, coin, day, payouts, curtailed, allocated_hashrate_hs, delivered_hashrate_hs,
                                  gross_base, pool_fee_base, maintenance_fee_base, net_base,
                                  under_delivery_credit_micro_usd, usd_value_micro_usd)
SELECT c.customer_id, p.coin, p.day, count(*), count(*) FILTER (WHERE p.curtailed),
       sum(p.allocated_hashrate_hs), sum(p.delivered_hashrate_hs), sum(p.gross_base), sum(p.pool_fee_base),
       sum(p.maintenance_fee_base), sum(p.net_base), sum(p.under_delivery_credit_micro_usd), sum(p.usd_value_at_receipt_micro_usd)
  FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id
 GROUP BY c.customer_id, p.coin, p.day;
