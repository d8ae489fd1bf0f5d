-- Tax ledger (DESIGN.md "Tax ledger"; lib/tax/README.md): estimates, not advice.
--  - tax_year_parameters: the per-year figures of the self-employment tax (Schedule SE), in
--    one table; reports read them, nothing is hard-coded per year in the code.
--  - tax_lines: per credited payout, mining income (at the day's price), the pool fee and the
--    maintenance fee, written by a statement-level trigger on daily_payouts in the payout
--    run's own transaction (one set-based INSERT per run statement, no per-row trigger).
--  - tax_lots: per credited payout, a lot of the net coins with cost basis = their income
--    value; tax_lot_transfers: lots leaving the platform FIFO when a withdrawal is sent.
-- No foreign keys on tax_lines / tax_lots: an RI check is a per-row trigger, and the payout
-- run must stay set-based; the trigger is their only writer and takes every id from the
-- payout row it records.

-- CreateEnum
CREATE TYPE "tax_line_kind" AS ENUM ('MINING_INCOME', 'POOL_FEE', 'MAINTENANCE_FEE');

-- CreateTable
CREATE TABLE "tax_year_parameters" (
    "year" INTEGER NOT NULL,
    "social_security_wage_base_micro_usd" BIGINT NOT NULL,
    "se_earnings_factor_bps" INTEGER NOT NULL,
    "social_security_rate_bps" INTEGER NOT NULL,
    "medicare_rate_bps" INTEGER NOT NULL,
    "se_minimum_micro_usd" BIGINT NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "tax_year_parameters_pkey" PRIMARY KEY ("year"),
    CONSTRAINT "tax_year_parameters_sane" CHECK (
      "social_security_wage_base_micro_usd" > 0 AND "se_minimum_micro_usd" >= 0
      AND "se_earnings_factor_bps" BETWEEN 1 AND 10000
      AND "social_security_rate_bps" BETWEEN 0 AND 10000 AND "medicare_rate_bps" BETWEEN 0 AND 10000)
);

-- CreateTable
CREATE TABLE "tax_lines" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "kind" "tax_line_kind" NOT NULL,
    "coin" "asset" NOT NULL,
    "amount_base" DECIMAL(40,0) NOT NULL,
    "price_micro_usd" BIGINT NOT NULL,
    "value_micro_usd" BIGINT NOT NULL,
    "payout_id" BIGINT NOT NULL,
    "contract_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tax_lines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tax_lines_amounts" CHECK ("amount_base" > 0 AND "value_micro_usd" >= 0 AND "price_micro_usd" > 0)
);

-- CreateTable
CREATE TABLE "tax_lots" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "acquired_on" DATE NOT NULL,
    "amount_base" DECIMAL(40,0) NOT NULL,
    "basis_micro_usd" BIGINT NOT NULL,
    "remaining_base" DECIMAL(40,0) NOT NULL,
    "payout_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tax_lots_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tax_lots_amounts" CHECK ("amount_base" > 0 AND "basis_micro_usd" >= 0
                                         AND "remaining_base" >= 0 AND "remaining_base" <= "amount_base")
);

-- CreateTable
CREATE TABLE "tax_lot_transfers" (
    "id" BIGSERIAL NOT NULL,
    "withdrawal_id" UUID NOT NULL,
    "lot_id" BIGINT,
    "user_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "transferred_at" TIMESTAMPTZ(3) NOT NULL,
    "amount_base" DECIMAL(40,0) NOT NULL,
    "basis_micro_usd" BIGINT NOT NULL,

    CONSTRAINT "tax_lot_transfers_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tax_lot_transfers_amounts" CHECK ("amount_base" > 0 AND "basis_micro_usd" >= 0 AND ("lot_id" IS NOT NULL OR "basis_micro_usd" = 0))
);

-- CreateIndex
CREATE UNIQUE INDEX "tax_lines_payout_id_kind_key" ON "tax_lines"("payout_id", "kind");
CREATE INDEX "tax_lines_user_id_day_idx" ON "tax_lines"("user_id", "day");
CREATE UNIQUE INDEX "tax_lots_payout_id_key" ON "tax_lots"("payout_id");
CREATE INDEX "tax_lots_user_id_coin_acquired_on_id_idx" ON "tax_lots"("user_id", "coin", "acquired_on", "id");
CREATE INDEX "tax_lot_transfers_withdrawal_id_idx" ON "tax_lot_transfers"("withdrawal_id");
CREATE INDEX "tax_lot_transfers_lot_id_idx" ON "tax_lot_transfers"("lot_id");
CREATE INDEX "tax_lot_transfers_user_id_transferred_at_idx" ON "tax_lot_transfers"("user_id", "transferred_at");

-- AddForeignKey
ALTER TABLE "tax_lot_transfers" ADD CONSTRAINT "tax_lot_transfers_withdrawal_id_fkey" FOREIGN KEY ("withdrawal_id") REFERENCES "withdrawals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "tax_lot_transfers" ADD CONSTRAINT "tax_lot_transfers_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "tax_lots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Schedule SE figures: wage base (SSA), 92.35 %, 12.4 %, 2.9 %, and the $400 floor below which
-- no SE tax is due. A new year is one INSERT.
INSERT INTO "tax_year_parameters" VALUES
  (2024, 168600000000, 9235, 1240, 290, 400000000, 'SSA 2024 contribution and benefit base $168,600; Schedule SE (Form 1040) 2024'),
  (2025, 176100000000, 9235, 1240, 290, 400000000, 'SSA 2025 contribution and benefit base $176,100; Schedule SE (Form 1040) 2025'),
  (2026, 184500000000, 9235, 1240, 290, 400000000, 'SSA 2026 contribution and benefit base $184,500; Schedule SE (Form 1040) 2026');

-- Lines and lots are records of what was received; fixed once written. A lot's remaining
-- amount is the only thing that moves (FIFO transfers), and only downwards.
CREATE TRIGGER "tax_lines_append_only" BEFORE UPDATE OR DELETE ON "tax_lines" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "tax_lot_transfers_append_only" BEFORE UPDATE OR DELETE ON "tax_lot_transfers" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE FUNCTION "tax_lots_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'tax_lots rows are kept: DELETE refused' USING ERRCODE = '42501';
  END IF;
  IF (NEW.user_id, NEW.coin, NEW.acquired_on, NEW.amount_base, NEW.basis_micro_usd, NEW.payout_id)
     IS DISTINCT FROM (OLD.user_id, OLD.coin, OLD.acquired_on, OLD.amount_base, OLD.basis_micro_usd, OLD.payout_id)
     OR NEW.remaining_base > OLD.remaining_base THEN
    RAISE EXCEPTION 'tax lot %: only its remaining amount may go down', OLD.id USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "tax_lots_guard" BEFORE UPDATE OR DELETE ON "tax_lots" FOR EACH ROW EXECUTE FUNCTION "tax_lots_guard"();

-- The lines and the lot of every credited payout (not curtailed, gross > 0), in the payout
-- run's transaction: one set-based statement over the statement's inserted rows. Values, with
-- s = 10^decimals and P the day's price (micro-USD per whole coin), each rounded down:
--   pool fee value = floor(Fp * P / s), maintenance value = floor(M * P / s),
--   net value = the payout's usd_value_at_receipt = floor(net * P / s) (the lot's basis),
--   income value = net value + pool fee value + maintenance value (the gross coins' value,
--   within 2 micro-USD of floor(G * P / s); chosen so income - fees = net value exactly and
--   the lines reconcile with the payouts to the micro-dollar).
CREATE FUNCTION "tax_record_payouts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH credited AS MATERIALIZED (
    SELECT n.id, n.contract_id, n.day, n.coin, c.customer_id, n.price_micro_usd,
           n.gross_base, n.pool_fee_base, n.maintenance_fee_base, n.net_base,
           n.usd_value_at_receipt_micro_usd AS net_value,
           div(n.pool_fee_base * n.price_micro_usd, power(10::numeric, n.decimals)) AS pool_value,
           div(n.maintenance_fee_base * n.price_micro_usd, power(10::numeric, n.decimals)) AS maintenance_value
      FROM new_rows n JOIN contracts c ON c.id = n.contract_id
     WHERE NOT n.curtailed AND n.gross_base > 0
  ), lines AS (
    INSERT INTO tax_lines (user_id, day, kind, coin, amount_base, price_micro_usd, value_micro_usd, payout_id, contract_id)
    SELECT k.customer_id, k.day, v.kind, k.coin, v.amount, k.price_micro_usd, v.value::bigint, k.id, k.contract_id
      FROM credited k
      CROSS JOIN LATERAL (VALUES
        ('MINING_INCOME'::tax_line_kind, k.gross_base, k.net_value + k.pool_value + k.maintenance_value),
        ('POOL_FEE'::tax_line_kind, k.pool_fee_base, k.pool_value),
        ('MAINTENANCE_FEE'::tax_line_kind, k.maintenance_fee_base, k.maintenance_value)
      ) AS v(kind, amount, value)
     WHERE v.amount > 0
  )
  INSERT INTO tax_lots (user_id, coin, acquired_on, amount_base, basis_micro_usd, remaining_base, payout_id)
  SELECT customer_id, coin, day, net_base, net_value, net_base, id FROM credited WHERE net_base > 0;
  RETURN NULL;
END $$;

CREATE TRIGGER "daily_payouts_tax_lines" AFTER INSERT ON "daily_payouts"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "tax_record_payouts"();

-- A withdrawal to the user's own address is a transfer, not a disposal: when it is SENT (the
-- coins leave custody; from SENT it can only be confirmed, never cancelled or rejected) its
-- whole amount (what reaches the address plus the network fee) leaves the user's lots of that
-- coin FIFO (acquired_on, id), each part carrying its share of the basis. The basis attached to
-- a remaining amount r of a lot (amount A, basis B) is floor(r * B / A): a part taken from r
-- carries basis(r) - basis(r - part), so the parts of a lot always add up to B exactly.
-- Coins not covered by lots (none recorded for them) leave as one part without a lot (basis
-- unknown, 0). One row-level trigger per withdrawal, in its own transaction.
CREATE FUNCTION "tax_lots_transfer"(p_withdrawal_id uuid, p_user_id uuid, p_coin asset, p_amount numeric, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_covered numeric;
BEGIN
  -- Concurrent sends of one user's coin queue here, in FIFO order.
  PERFORM 1 FROM tax_lots WHERE user_id = p_user_id AND coin = p_coin AND remaining_base > 0
    ORDER BY acquired_on, id FOR UPDATE;
  WITH open_lots AS (
    SELECT id, amount_base, basis_micro_usd, remaining_base,
           COALESCE(sum(remaining_base) OVER (ORDER BY acquired_on, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM tax_lots
     WHERE user_id = p_user_id AND coin = p_coin AND remaining_base > 0
  ), taking AS (
    SELECT id, amount_base, basis_micro_usd, remaining_base, least(remaining_base, p_amount - before) AS part
      FROM open_lots WHERE before < p_amount
  ), moved AS (
    UPDATE tax_lots l SET remaining_base = l.remaining_base - t.part
      FROM taking t WHERE l.id = t.id
    RETURNING l.id, t.part,
              div(t.remaining_base * t.basis_micro_usd, t.amount_base) - div((t.remaining_base - t.part) * t.basis_micro_usd, t.amount_base) AS basis
  ), recorded AS (
    INSERT INTO tax_lot_transfers (withdrawal_id, lot_id, user_id, coin, transferred_at, amount_base, basis_micro_usd)
    SELECT p_withdrawal_id, id, p_user_id, p_coin, p_at, part, basis::bigint FROM moved
    RETURNING amount_base
  )
  SELECT COALESCE(sum(amount_base), 0) INTO v_covered FROM recorded;
  IF v_covered < p_amount THEN
    INSERT INTO tax_lot_transfers (withdrawal_id, lot_id, user_id, coin, transferred_at, amount_base, basis_micro_usd)
    VALUES (p_withdrawal_id, NULL, p_user_id, p_coin, p_at, p_amount - v_covered, 0);
  END IF;
END $$;

CREATE FUNCTION "tax_lots_transfer_out"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tax_lots_transfer(NEW.id, NEW.user_id, NEW.coin, NEW.amount_base, COALESCE(NEW.sent_at, now()));
  RETURN NULL;
END $$;

CREATE TRIGGER "withdrawals_tax_lots_transfer" AFTER UPDATE OF "status" ON "withdrawals"
  FOR EACH ROW WHEN (NEW.status = 'SENT' AND OLD.status IS DISTINCT FROM 'SENT')
  EXECUTE FUNCTION "tax_lots_transfer_out"();

-- Payouts that exist already (the same statement as the trigger, over the table).
WITH credited AS MATERIALIZED (
  SELECT n.id, n.contract_id, n.day, n.coin, c.customer_id, n.price_micro_usd,
         n.gross_base, n.pool_fee_base, n.maintenance_fee_base, n.net_base,
         n.usd_value_at_receipt_micro_usd AS net_value,
         div(n.pool_fee_base * n.price_micro_usd, power(10::numeric, n.decimals)) AS pool_value,
         div(n.maintenance_fee_base * n.price_micro_usd, power(10::numeric, n.decimals)) AS maintenance_value
    FROM daily_payouts n JOIN contracts c ON c.id = n.contract_id
   WHERE NOT n.curtailed AND n.gross_base > 0
), lines AS (
  INSERT INTO tax_lines (user_id, day, kind, coin, amount_base, price_micro_usd, value_micro_usd, payout_id, contract_id)
  SELECT k.customer_id, k.day, v.kind, k.coin, v.amount, k.price_micro_usd, v.value::bigint, k.id, k.contract_id
    FROM credited k
    CROSS JOIN LATERAL (VALUES
      ('MINING_INCOME'::tax_line_kind, k.gross_base, k.net_value + k.pool_value + k.maintenance_value),
      ('POOL_FEE'::tax_line_kind, k.pool_fee_base, k.pool_value),
      ('MAINTENANCE_FEE'::tax_line_kind, k.maintenance_fee_base, k.maintenance_value)
    ) AS v(kind, amount, value)
   WHERE v.amount > 0
)
INSERT INTO tax_lots (user_id, coin, acquired_on, amount_base, basis_micro_usd, remaining_base, payout_id)
SELECT customer_id, coin, day, net_base, net_value, net_base, id FROM credited WHERE net_base > 0;

-- Withdrawals sent already, oldest first.
DO $$
DECLARE
  w record;
BEGIN
  FOR w IN SELECT id, user_id, coin, amount_base, sent_at FROM withdrawals
            WHERE status IN ('SENT', 'CONFIRMED') ORDER BY sent_at, id LOOP
    PERFORM tax_lots_transfer(w.id, w.user_id, w.coin, w.amount_base, w.sent_at);
  END LOOP;
END $$;
