-- Withdrawals (lib/wallet/withdrawals.ts): which processor took an approved withdrawal and
-- when, and the state machine enforced by the database as a backstop to the code.
ALTER TABLE "withdrawals" ADD COLUMN "processor" TEXT;
ALTER TABLE "withdrawals" ADD COLUMN "submitted_at" TIMESTAMPTZ(3);

-- The processor's queue: approved withdrawals no processor has taken yet.
CREATE INDEX "withdrawals_unsubmitted_idx" ON "withdrawals"("approved_at") WHERE "status" = 'APPROVED' AND "submitted_at" IS NULL;

-- What each state implies.
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_state_fields" CHECK (
  ("status" NOT IN ('SENT', 'CONFIRMED') OR ("txid" IS NOT NULL AND "sent_at" IS NOT NULL))
  AND ("status" <> 'CONFIRMED' OR "confirmed_at" IS NOT NULL)
  AND ("status" NOT IN ('APPROVED', 'SENT', 'CONFIRMED') OR "approved_at" IS NOT NULL)
  AND ("status" <> 'REJECTED' OR ("review_reason" IS NOT NULL AND "closed_at" IS NOT NULL))
  AND ("status" <> 'CANCELLED' OR "closed_at" IS NOT NULL)
);

-- Only the transitions of the flow: requested -> approved -> sent -> confirmed, requested ->
-- cancelled, requested or approved (not yet sent) -> rejected. Final states never change.
CREATE FUNCTION "withdrawals_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  IF (OLD.status, NEW.status) IN (
       ('REQUESTED'::withdrawal_status, 'APPROVED'::withdrawal_status),
       ('REQUESTED', 'REJECTED'), ('REQUESTED', 'CANCELLED'),
       ('APPROVED', 'REJECTED'), ('APPROVED', 'SENT'), ('SENT', 'CONFIRMED')) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'withdrawal % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = '23514';
END $$;

CREATE TRIGGER "withdrawals_transition" BEFORE UPDATE OF "status" ON "withdrawals"
  FOR EACH ROW EXECUTE FUNCTION "withdrawals_transition"();
