-- Balance purchases in any coin the customer holds (API: payWith "balance:<COIN>"), not only
-- the listing's coin. The contract keeps what was paid: the coin, the amount in its base units,
-- the rate used (micro-USD per whole coin, the coin's latest network snapshot price on or before
-- the purchase day) and that snapshot's day. All four are null (USD balance, card) or all set.
ALTER TABLE "contracts"
  ADD COLUMN "paid_asset" asset,
  ADD COLUMN "paid_amount_base" numeric(40,0),
  ADD COLUMN "paid_rate_micro_usd" bigint,
  ADD COLUMN "paid_rate_day" date,
  ADD CONSTRAINT "contracts_coin_payment_all_or_none" CHECK (
    (paid_asset IS NULL AND paid_amount_base IS NULL AND paid_rate_micro_usd IS NULL AND paid_rate_day IS NULL)
    OR (paid_asset IS NOT NULL AND paid_asset <> 'USD' AND paid_amount_base > 0 AND paid_rate_micro_usd > 0
        AND paid_rate_day IS NOT NULL));

-- purchase_contract gains a trailing p_pay_coin (NULL: the listing's coin). A new parameter is a
-- new signature, so the old function is dropped (callers passing 13 arguments still match).
DROP FUNCTION "purchase_contract"(uuid, timestamptz, text, text, interval, uuid, text, integer, payment_method,
  interval, integer, text, timestamptz);

-- The purchase. Returns {status, body, replayed}: body is the JSON answer the route sends.
--  p_session_auth_at: when not null, the caller's session is checked here, in the same
--    statement: the account exists, is not frozen, its sessions were not revoked after that
--    sign-in instant, and it has the CUSTOMER role (401/403 otherwise, nothing stored).
--  p_idempotency_key: when not null, the key is claimed for (customer, 'contract.purchase')
--    with p_request_hash, exactly as lib/idempotency runIdempotent does: a concurrent
--    duplicate waits on the uncommitted key row, then replays the stored answer; the same key
--    with another request hash is refused (422); an expired key is forgotten first. Refusals
--    (4xx) are stored answers too.
-- Rig locks are taken in id order (as every other writer does); the ledger rows last, just
-- before the postings, so the hot platform account is held for the shortest time.
CREATE FUNCTION "purchase_contract"(
  p_customer_id uuid,
  p_session_auth_at timestamptz,
  p_idempotency_key text,
  p_request_hash text,
  p_idempotency_ttl interval,
  p_listing_id uuid,
  p_hashrate text,
  p_days integer,
  p_payment_method payment_method,
  p_reservation interval,
  p_platform_fee_bps integer,
  p_ip text,
  p_now timestamptz,
  p_pay_coin asset DEFAULT NULL
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_user record;
  v_key_id uuid;
  v_key record;
  v_listing record;
  v_hs numeric;
  v_rig_ids uuid[];
  v_free bigint[];
  v_total_free numeric;
  v_plan_rigs uuid[];
  v_plan_hs bigint[];
  v_daily numeric;
  v_total numeric;
  v_fee numeric;
  v_balance numeric;
  v_coin_price bigint;
  v_pay_coin asset;
  v_pay_decimals integer;
  v_price_day date;
  v_paid_coin numeric;
  v_cents numeric;
  v_card boolean := p_payment_method = 'CARD';
  v_reserved_until timestamptz;
  v_start date;
  v_contract_id uuid;
  v_journal_id uuid;
  v_accounts uuid[];
  v_amounts numeric[];
  v_assets asset[];
  v_status integer;
  v_body jsonb;
BEGIN
  IF p_session_auth_at IS NOT NULL THEN
    SELECT roles, frozen_at, sessions_valid_after INTO v_user FROM users WHERE id = p_customer_id;
    IF NOT FOUND OR v_user.frozen_at IS NOT NULL OR v_user.sessions_valid_after > p_session_auth_at THEN
      RETURN jsonb_build_object('status', 401, 'replayed', false, 'body',
        jsonb_build_object('error', jsonb_build_object('code', 'UNAUTHENTICATED', 'message', 'Sign in to buy a contract.')));
    END IF;
    IF NOT COALESCE('CUSTOMER'::role = ANY (v_user.roles), false) THEN
      RETURN jsonb_build_object('status', 403, 'replayed', false, 'body',
        jsonb_build_object('error', jsonb_build_object('code', 'FORBIDDEN', 'message', 'Only customer accounts can buy contracts.')));
    END IF;
  END IF;

  IF p_idempotency_key IS NOT NULL THEN
    DELETE FROM idempotency_keys
     WHERE user_id = p_customer_id AND scope = 'contract.purchase' AND key = p_idempotency_key AND expires_at <= p_now;
    INSERT INTO idempotency_keys (user_id, scope, key, request_hash, expires_at)
    VALUES (p_customer_id, 'contract.purchase', p_idempotency_key, p_request_hash, p_now + p_idempotency_ttl)
    ON CONFLICT (user_id, scope, key) DO NOTHING
    RETURNING id INTO v_key_id;
    IF v_key_id IS NULL THEN
      SELECT request_hash, response_status, response_body INTO v_key FROM idempotency_keys
       WHERE user_id = p_customer_id AND scope = 'contract.purchase' AND key = p_idempotency_key;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'idempotency key % vanished while claimed', p_idempotency_key USING ERRCODE = '40001';
      END IF;
      IF v_key.request_hash <> p_request_hash THEN
        RETURN jsonb_build_object('status', 422, 'replayed', false, 'body', jsonb_build_object('error', jsonb_build_object(
          'code', 'IDEMPOTENCY_KEY_REUSED', 'message', 'This Idempotency-Key was already used for a different request.')));
      END IF;
      RETURN jsonb_build_object('status', COALESCE(v_key.response_status, 200), 'replayed', true, 'body', v_key.response_body);
    END IF;
  END IF;

  -- Terms. Every refusal sets v_status/v_body and falls through to the end (nothing written
  -- but the stored answer).
  SELECT l.id, l.operator_id, l.coin, l.title, l.status, l.price_micro_usd_per_unit_day, l.maintenance_fee_micro_usd_per_unit_day,
         l.min_days, l.max_days, l.min_hashrate_hs, c.hashrate_unit_hs, c.hashrate_unit_label, c.pool_fee_bps, c.decimals
    INTO v_listing
    FROM listings l JOIN coins c ON c.asset = l.coin
   WHERE l.id = p_listing_id;
  IF NOT FOUND OR v_listing.status <> 'PUBLISHED' THEN
    v_status := 404;
    v_body := jsonb_build_object('code', 'LISTING_UNAVAILABLE', 'message', 'This listing is not for sale.');
  ELSIF v_listing.operator_id = p_customer_id THEN
    v_status := 422;
    v_body := jsonb_build_object('code', 'INVALID_TERMS', 'message', 'You cannot buy capacity from your own listing.');
  ELSE
    IF p_hashrate ~ '^[0-9]{1,30}(\.[0-9]{1,30})?$' THEN
      v_hs := p_hashrate::numeric * v_listing.hashrate_unit_hs;
      v_hs := CASE WHEN v_hs = trunc(v_hs) THEN trunc(v_hs) END; -- whole H/s only
    END IF;
    IF v_hs IS NULL OR v_hs <= 0 THEN
      v_status := 422;
      v_body := jsonb_build_object('code', 'INVALID_TERMS', 'field', 'hashrate',
        'message', format('Enter the hashrate as a number of %s, e.g. 10 or 2.5.', v_listing.hashrate_unit_label));
    ELSIF v_hs < v_listing.min_hashrate_hs THEN
      v_status := 422;
      v_body := jsonb_build_object('code', 'INVALID_TERMS', 'field', 'hashrate', 'message', format('The minimum order is %s %s.',
        format_in_unit(v_listing.min_hashrate_hs, v_listing.hashrate_unit_hs), v_listing.hashrate_unit_label));
    ELSIF p_days < v_listing.min_days OR p_days > v_listing.max_days THEN
      v_status := 422;
      v_body := jsonb_build_object('code', 'INVALID_TERMS', 'field', 'days',
        'message', format('This listing runs %s to %s days.', v_listing.min_days, v_listing.max_days));
    END IF;
  END IF;

  -- Capacity: lock the listing's active rigs in id order, then plan over their free capacity.
  IF v_status IS NULL THEN
    SELECT array_agg(id) INTO v_rig_ids FROM (
      SELECT id FROM rigs WHERE listing_id = v_listing.id AND status = 'ACTIVE' ORDER BY id FOR UPDATE) k;
    -- A new statement, so a new snapshot: it sees what the buyers we queued behind committed.
    SELECT array_agg(r.id ORDER BY r.id), array_agg(r.nominal_hashrate_hs - COALESCE((
             SELECT sum(a.hashrate_hs) FROM allocations a
              WHERE a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')), 0) ORDER BY r.id)
      INTO v_rig_ids, v_free
      FROM rigs r WHERE r.id = ANY (v_rig_ids);
    SELECT array_agg(p.rig_id ORDER BY p.n), array_agg(p.hashrate_hs ORDER BY p.n) INTO v_plan_rigs, v_plan_hs
      FROM plan_allocation(COALESCE(v_rig_ids, '{}'), COALESCE(v_free, '{}'), v_hs) WITH ORDINALITY AS p(rig_id, hashrate_hs, n);
    IF v_plan_rigs IS NULL THEN
      SELECT COALESCE(sum(f), 0) INTO v_total_free FROM unnest(v_free) AS f WHERE f > 0;
      v_status := 409;
      v_body := jsonb_build_object('code', 'NOT_ENOUGH_CAPACITY', 'field', 'hashrate', 'message', format(
        'Not enough capacity: %s %s is available on this listing right now.',
        format_in_unit(v_total_free, v_listing.hashrate_unit_hs), v_listing.hashrate_unit_label));
    END IF;
  END IF;

  -- Price (lib/contracts/pricing.ts priceContract, cardCharge, coinAmountForUsd) and payment.
  IF v_status IS NULL THEN
    v_daily := div(v_hs * v_listing.price_micro_usd_per_unit_day + v_listing.hashrate_unit_hs - 1, v_listing.hashrate_unit_hs);
    v_total := v_daily * p_days;
    v_fee := div(v_total * p_platform_fee_bps + 9999, 10000);
    IF p_payment_method = 'BALANCE_USD' THEN
      SELECT balance INTO v_balance FROM ledger_accounts
       WHERE type = 'USER_AVAILABLE' AND asset = 'USD' AND user_id = p_customer_id FOR UPDATE;
      IF COALESCE(v_balance, 0) < v_total THEN
        v_status := 409;
        v_body := jsonb_build_object('code', 'INSUFFICIENT_FUNDS', 'field', 'paymentMethod', 'message', 'Your USD balance does not cover this contract.');
      ELSE
        v_accounts := ARRAY[ledger_account_id('USER_AVAILABLE', 'USD', p_customer_id),
                            ledger_account_id('OPERATOR_PAYABLE', 'USD', v_listing.operator_id),
                            ledger_account_id('PLATFORM_REVENUE', 'USD', NULL)];
        v_assets := ARRAY['USD', 'USD', 'USD']::asset[];
        v_amounts := ARRAY[-v_total, v_total - v_fee, v_fee];
      END IF;
    ELSIF p_payment_method = 'BALANCE_COIN' AND p_pay_coin = 'USD' THEN
      v_status := 422;
      v_body := jsonb_build_object('code', 'INVALID_TERMS', 'field', 'paymentMethod', 'message', 'Pay in USD from the USD balance, not as a coin.');
    ELSIF p_payment_method = 'BALANCE_COIN' THEN
      -- Any coin the customer holds (the listing's own coin when none is named), at that coin's
      -- latest network price on or before the day; the rate and its day are kept on the contract.
      v_pay_coin := COALESCE(p_pay_coin, v_listing.coin);
      SELECT s.price_micro_usd, s.day, c.decimals INTO v_coin_price, v_price_day, v_pay_decimals
        FROM network_snapshots s JOIN coins c ON c.asset = s.coin
       WHERE s.coin = v_pay_coin AND s.day <= (p_now AT TIME ZONE 'UTC')::date AND s.price_micro_usd > 0
       ORDER BY s.day DESC LIMIT 1;
      IF v_coin_price IS NULL THEN
        v_status := 409;
        v_body := jsonb_build_object('code', 'NO_PRICE', 'message', format('No %s price is known yet; pay in USD or by card.', v_pay_coin));
      ELSE
        v_paid_coin := div(v_total * power(10::numeric, v_pay_decimals) + v_coin_price - 1, v_coin_price);
        SELECT balance INTO v_balance FROM ledger_accounts
         WHERE type = 'USER_AVAILABLE' AND asset = v_pay_coin AND user_id = p_customer_id FOR UPDATE;
        IF COALESCE(v_balance, 0) < v_paid_coin THEN
          v_status := 409;
          v_body := jsonb_build_object('code', 'INSUFFICIENT_FUNDS', 'field', 'paymentMethod',
            'message', format('Your %s balance does not cover this contract.', v_pay_coin));
        ELSE
          -- The platform takes the coin at the day's price and pays the operator in USD.
          v_accounts := ARRAY[ledger_account_id('USER_AVAILABLE', v_pay_coin, p_customer_id),
                              ledger_account_id('PLATFORM_REVENUE', v_pay_coin, NULL),
                              ledger_account_id('PLATFORM_REVENUE', 'USD', NULL),
                              ledger_account_id('OPERATOR_PAYABLE', 'USD', v_listing.operator_id)];
          v_assets := ARRAY[v_pay_coin, v_pay_coin, 'USD', 'USD']::asset[];
          v_amounts := ARRAY[-v_paid_coin, v_paid_coin, -(v_total - v_fee), v_total - v_fee];
        END IF;
      END IF;
    ELSE
      v_cents := div(v_total + 5000, 10000);
    END IF;
  END IF;

  IF v_status IS NOT NULL THEN
    v_body := jsonb_build_object('error', v_body || jsonb_build_object('field', v_body -> 'field'));
    IF v_key_id IS NOT NULL THEN
      UPDATE idempotency_keys SET response_status = v_status, response_body = v_body WHERE id = v_key_id;
    END IF;
    RETURN jsonb_build_object('status', v_status, 'replayed', false, 'body', v_body);
  END IF;

  -- The contract (a balance purchase starts the UTC day after activation), its allocations,
  -- the audit line and the stored answer.
  IF v_card THEN
    v_reserved_until := p_now + p_reservation;
  ELSE
    v_start := (p_now AT TIME ZONE 'UTC')::date + 1;
  END IF;
  INSERT INTO contracts (customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                         maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd,
                         total_price_micro_usd, platform_fee_micro_usd, payment_method, charged_cents,
                         charge_rounding_micro_usd, status, reserved_until, activated_at, start_day, end_day,
                         paid_asset, paid_amount_base, paid_rate_micro_usd, paid_rate_day)
  VALUES (p_customer_id, v_listing.id, v_listing.coin, v_hs, p_days, v_listing.price_micro_usd_per_unit_day,
          v_listing.maintenance_fee_micro_usd_per_unit_day, v_listing.hashrate_unit_hs, v_listing.pool_fee_bps, v_daily,
          v_total, v_fee, p_payment_method, v_cents, v_cents * 10000 - v_total,
          CASE WHEN v_card THEN 'PENDING_PAYMENT' ELSE 'ACTIVE' END::contract_status, v_reserved_until,
          CASE WHEN v_card THEN NULL ELSE p_now END, v_start, v_start + (p_days - 1),
          v_pay_coin, v_paid_coin, v_coin_price, v_price_day)
  RETURNING id INTO v_contract_id;

  INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status)
  SELECT v_contract_id, p.rig_id, p.hashrate_hs, CASE WHEN v_card THEN 'RESERVED' ELSE 'LIVE' END::allocation_status
    FROM unnest(v_plan_rigs, v_plan_hs) AS p(rig_id, hashrate_hs);

  INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, ip, details)
  VALUES (p_now, p_customer_id, CASE WHEN v_card THEN 'contract.reserved' ELSE 'contract.purchased' END, 'contract',
          v_contract_id::text, p_ip, jsonb_build_object(
            'listingId', v_listing.id::text, 'hashrateHs', v_hs::text, 'days', p_days, 'paymentMethod', p_payment_method,
            'totalPriceMicroUsd', v_total::text, 'paidCoinBase', v_paid_coin::text, 'chargedCents', v_cents::text,
            'paidAsset', v_pay_coin, 'paidAmountBase', v_paid_coin::text, 'rateMicroUsd', v_coin_price::text,
            'rateDay', v_price_day::text));

  v_body := jsonb_build_object(
    'ok', true, 'contractId', v_contract_id::text,
    'status', CASE WHEN v_card THEN 'PENDING_PAYMENT' ELSE 'ACTIVE' END, 'paymentMethod', p_payment_method,
    'hashrateHs', v_hs::text, 'days', p_days, 'totalPriceMicroUsd', v_total::text,
    'chargedCents', v_cents::text, 'paidCoinBase', v_paid_coin::text,
    'paidAsset', v_pay_coin, 'paidAmountBase', v_paid_coin::text, 'rateMicroUsd', v_coin_price::text,
    'rateDay', v_price_day::text,
    'reservedUntil', to_char(v_reserved_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  IF v_key_id IS NOT NULL THEN
    UPDATE idempotency_keys SET response_status = 201, response_body = v_body WHERE id = v_key_id;
  END IF;

  IF v_accounts IS NOT NULL THEN
    INSERT INTO journal_transactions (kind, description, reference_type, reference_id)
    VALUES ('CONTRACT_PURCHASE', format('Contract %s: %s days of %s H/s on "%s"', v_contract_id, p_days, v_hs, v_listing.title),
            'contract', v_contract_id::text)
    RETURNING id INTO v_journal_id;
    PERFORM 1 FROM ledger_accounts WHERE id = ANY (v_accounts) ORDER BY id FOR UPDATE;
    INSERT INTO postings (journal_id, account_id, asset, amount)
    SELECT v_journal_id, p.account_id, p.asset, p.amount
      FROM unnest(v_accounts, v_assets, v_amounts) AS p(account_id, asset, amount);
  END IF;
  RETURN jsonb_build_object('status', 201, 'replayed', false, 'body', v_body);
END $$;
