-- The withdrawals freeze (lib/wallet/withdrawal-freeze.ts): the "this wasn't me" link of a
-- new-address notice cancels every withdrawal of the account that has not been sent, approved
-- ones included, so the flow gains approved -> cancelled (the hold is released as for a
-- requested one). Otherwise the transitions of migration 20261125080000, unchanged: requested
-- -> approved -> sent -> confirmed, requested -> cancelled, requested or approved -> rejected.
-- Final states never change.
CREATE OR REPLACE FUNCTION "withdrawals_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  IF (OLD.status, NEW.status) IN (
       ('REQUESTED'::withdrawal_status, 'APPROVED'::withdrawal_status),
       ('REQUESTED', 'REJECTED'), ('REQUESTED', 'CANCELLED'),
       ('APPROVED', 'REJECTED'), ('APPROVED', 'CANCELLED'), ('APPROVED', 'SENT'), ('SENT', 'CONFIRMED')) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'withdrawal % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = '23514';
END $$;
