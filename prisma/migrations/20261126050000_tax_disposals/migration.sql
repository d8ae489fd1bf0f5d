-- Paying a contract from a coin balance ("reinvest": payment_method BALANCE_COIN) disposes of
-- those coins (DESIGN.md "Tax ledger"; lib/tax/README.md "Disposals"): a taxable sale at the
-- fair market value of what they bought, the contract's price. The coins leave the user's lots
-- of that coin first in, first out, exactly as a withdrawal's do (tax_lots_transfer), and each
-- part becomes a disposal row with its share of the basis and of the proceeds.
--  - tax_disposals: one row per lot part (lot_id NULL: coins no lot accounts for, basis 0),
--    append-only. acquired_on is the lot's day (short or long term).
--  - tax_lots_dispose: the FIFO move, under the same per-(user, coin) advisory lock as
--    tax_lots_transfer, so a send and a purchase of one user's coin never take the same part.
--    A part p taken from a lot (amount A, basis B) holding r carries
--    floor(r B / A) - floor((r - p) B / A) of basis (a lot's parts add up to B exactly); the
--    proceeds P of an amount N are split by the coins disposed before the part, c:
--    floor((c + p) P / N) - floor(c P / N), so the parts add up to P exactly.
--  - A row trigger on contracts (AFTER INSERT of a coin-paid contract) calls it in the
--    purchase's own transaction: purchase_contract is unchanged.

-- CreateTable
CREATE TABLE "tax_disposals" (
    "id" BIGSERIAL NOT NULL,
    "contract_id" UUID NOT NULL,
    "lot_id" BIGINT,
    "user_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "disposed_at" TIMESTAMPTZ(3) NOT NULL,
    "acquired_on" DATE,
    "amount_base" DECIMAL(40,0) NOT NULL,
    "proceeds_micro_usd" BIGINT NOT NULL,
    "basis_micro_usd" BIGINT NOT NULL,

    CONSTRAINT "tax_disposals_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tax_disposals_amounts" CHECK ("amount_base" > 0 AND "proceeds_micro_usd" >= 0 AND "basis_micro_usd" >= 0
      AND ("lot_id" IS NOT NULL OR ("basis_micro_usd" = 0 AND "acquired_on" IS NULL))
      AND ("lot_id" IS NULL OR "acquired_on" IS NOT NULL))
);

-- CreateIndex
CREATE INDEX "tax_disposals_user_id_disposed_at_idx" ON "tax_disposals"("user_id", "disposed_at");
CREATE INDEX "tax_disposals_contract_id_idx" ON "tax_disposals"("contract_id");
CREATE INDEX "tax_disposals_lot_id_idx" ON "tax_disposals"("lot_id");

-- AddForeignKey
ALTER TABLE "tax_disposals" ADD CONSTRAINT "tax_disposals_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "tax_disposals" ADD CONSTRAINT "tax_disposals_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "tax_lots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TRIGGER "tax_disposals_append_only" BEFORE UPDATE OR DELETE ON "tax_disposals" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();

CREATE FUNCTION "tax_lots_dispose"(p_contract_id uuid, p_user_id uuid, p_coin asset, p_amount numeric, p_proceeds bigint, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_covered numeric;
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 OR p_proceeds IS NULL OR p_proceeds < 0 THEN
    RAISE EXCEPTION 'tax_lots_dispose: a disposal takes a positive amount and proceeds >= 0 (got %, %)', p_amount, p_proceeds
      USING ERRCODE = '22023';
  END IF;
  -- The same key as tax_lots_transfer: sends and purchases of one user's coin queue together.
  PERFORM pg_advisory_xact_lock(hashtextextended('tax_lots:' || p_user_id::text || ':' || p_coin::text, 0));
  WITH open_lots AS (
    SELECT id, acquired_on, amount_base, basis_micro_usd, remaining_base,
           COALESCE(sum(remaining_base) OVER (ORDER BY acquired_on, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM tax_lots
     WHERE user_id = p_user_id AND coin = p_coin AND remaining_base > 0
  ), taking AS (
    SELECT id, acquired_on, amount_base, basis_micro_usd, remaining_base, before, least(remaining_base, p_amount - before) AS part
      FROM open_lots WHERE before < p_amount
  ), moved AS (
    UPDATE tax_lots l SET remaining_base = l.remaining_base - t.part
      FROM taking t WHERE l.id = t.id
    RETURNING l.id, t.acquired_on, t.part, t.before,
              div(t.remaining_base * t.basis_micro_usd, t.amount_base) - div((t.remaining_base - t.part) * t.basis_micro_usd, t.amount_base) AS basis
  ), recorded AS (
    INSERT INTO tax_disposals (contract_id, lot_id, user_id, coin, disposed_at, acquired_on, amount_base, proceeds_micro_usd, basis_micro_usd)
    SELECT p_contract_id, id, p_user_id, p_coin, p_at, acquired_on, part,
           (div((before + part) * p_proceeds, p_amount) - div(before * p_proceeds, p_amount))::bigint, basis::bigint
      FROM moved
    RETURNING amount_base
  )
  SELECT COALESCE(sum(amount_base), 0) INTO v_covered FROM recorded;
  IF v_covered < p_amount THEN
    INSERT INTO tax_disposals (contract_id, lot_id, user_id, coin, disposed_at, acquired_on, amount_base, proceeds_micro_usd, basis_micro_usd)
    VALUES (p_contract_id, NULL, p_user_id, p_coin, p_at, NULL, p_amount - v_covered,
            (p_proceeds - div(v_covered * p_proceeds, p_amount))::bigint, 0);
  END IF;
END $$;

CREATE FUNCTION "tax_contract_coin_payment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tax_lots_dispose(NEW.id, NEW.customer_id, NEW.paid_asset, NEW.paid_amount_base, NEW.total_price_micro_usd,
                           COALESCE(NEW.activated_at, now()));
  RETURN NULL;
END $$;

CREATE TRIGGER "contracts_tax_coin_payment" AFTER INSERT ON "contracts"
  FOR EACH ROW WHEN (NEW.payment_method = 'BALANCE_COIN' AND NEW.paid_amount_base > 0)
  EXECUTE FUNCTION "tax_contract_coin_payment"();

-- Contracts paid in coin already, oldest first. (Their lots may already have been taken by
-- withdrawals sent since; the purchases then take what is left, FIFO.)
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT id, customer_id, paid_asset, paid_amount_base, total_price_micro_usd, COALESCE(activated_at, created_at) AS at
             FROM contracts
            WHERE payment_method = 'BALANCE_COIN' AND paid_amount_base > 0
            ORDER BY COALESCE(activated_at, created_at), id LOOP
    PERFORM tax_lots_dispose(c.id, c.customer_id, c.paid_asset, c.paid_amount_base, c.total_price_micro_usd, c.at);
  END LOOP;
END $$;
