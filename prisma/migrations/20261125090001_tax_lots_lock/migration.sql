-- tax_lots_transfer (migration 20261125090000_tax_ledger) serialised concurrent sends of one
-- user's coin by locking every open lot of it (FOR UPDATE): a row lock writes each locked
-- tuple, so a user with many small lots paid for one withdrawal in proportion to all of them.
-- A transaction-scoped advisory lock per (user, coin) queues the sends just the same; the
-- UPDATE then locks only the lots it actually takes from. Payouts never change an existing
-- lot, so they need no part in it.
CREATE OR REPLACE FUNCTION "tax_lots_transfer"(p_withdrawal_id uuid, p_user_id uuid, p_coin asset, p_amount numeric, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_covered numeric;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('tax_lots:' || p_user_id::text || ':' || p_coin::text, 0));
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
