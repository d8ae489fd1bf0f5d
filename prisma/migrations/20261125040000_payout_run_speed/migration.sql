-- The postings trigger, same guarantees at a fraction of the cost for a statement of many
-- postings (the payout run posts ~4 per contract in one INSERT):
--  - balance per journal and asset is checked on the statement's own postings (the transition
--    table) instead of re-reading every posting of the touched journals from the table. This is
--    equivalent: postings are append-only and every earlier statement left each journal
--    balanced, so a journal balances after this statement exactly when this statement's
--    postings of it sum to zero per asset;
--  - the asset check and the cached-balance update share one aggregate per account: an account
--    is read once, not once per posting.
CREATE OR REPLACE FUNCTION "postings_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT p.journal_id, p.asset, sum(p.amount) AS total INTO bad
    FROM new_postings p GROUP BY p.journal_id, p.asset HAVING sum(p.amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal % does not balance for %: sum %', bad.journal_id, bad.asset, bad.total USING ERRCODE = '23514';
  END IF;

  -- min/max of the postings' assets per account: both equal the account's asset, or one differs.
  WITH moved AS (
    UPDATE "ledger_accounts" a SET balance = a.balance + s.delta
      FROM (SELECT account_id, sum(amount) AS delta, min(asset) AS lowest, max(asset) AS highest
              FROM new_postings GROUP BY account_id) s
     WHERE a.id = s.account_id
    RETURNING a.id, a.asset, s.lowest, s.highest
  )
  SELECT m.id INTO bad FROM moved m WHERE m.lowest <> m.asset OR m.highest <> m.asset LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a posting asset differs from its account asset (account %)', bad.id USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
