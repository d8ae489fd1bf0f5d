-- Withdrawals confirmed by an emailed link (lib/wallet/withdrawal-confirmation.ts). A requested
-- withdrawal with email_confirmed_at NULL waits for the customer's click: its funds are held, it
-- is not in the review queue, and it is neither approved nor sent. confirm_by is when its latest
-- link expires; the expire-unconfirmed-withdrawals job cancels it after that (hold released).
-- The database keeps the rule even if the code were wrong: no approved, sent or confirmed
-- withdrawal without the confirmation.

-- Rows written since the columns appeared and before the step existed count as confirmed when
-- requested, like the older ones (migration 20261207000000).
UPDATE "withdrawals" SET "email_confirmed_at" = "requested_at" WHERE "email_confirmed_at" IS NULL;

ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_email_confirmation" CHECK (
  "status" NOT IN ('APPROVED', 'SENT', 'CONFIRMED') OR "email_confirmed_at" IS NOT NULL
);

-- The expiry job's queue: withdrawals still waiting for their link, by deadline.
CREATE INDEX "withdrawals_unconfirmed_idx" ON "withdrawals"("confirm_by")
  WHERE "status" = 'REQUESTED' AND "email_confirmed_at" IS NULL;
