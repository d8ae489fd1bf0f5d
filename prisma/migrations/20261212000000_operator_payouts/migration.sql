-- Operator payouts (lib/operator/payouts.ts): the operator's USD payable (OPERATOR_PAYABLE, USD)
-- paid to the operator's verified bank account through a Stripe Connect connected account.
-- Ledger (journal kinds added here; they are first used after this migration commits):
--   request  OPERATOR_PAYOUT_REQUEST  OPERATOR_PAYABLE -amount, WITHDRAWALS_IN_FLIGHT +amount
--   paid     OPERATOR_PAYOUT_PAID     WITHDRAWALS_IN_FLIGHT -amount, STRIPE_CLEARING +amount
--   failed / rejected  OPERATOR_PAYOUT_RETURN  WITHDRAWALS_IN_FLIGHT -amount, OPERATOR_PAYABLE +amount
-- Each kind at most once per payout: journal_transactions' unique (kind, reference_type, reference_id).
ALTER TYPE "journal_kind" ADD VALUE 'OPERATOR_PAYOUT_REQUEST';
ALTER TYPE "journal_kind" ADD VALUE 'OPERATOR_PAYOUT_PAID';
ALTER TYPE "journal_kind" ADD VALUE 'OPERATOR_PAYOUT_RETURN';

CREATE TYPE "operator_payout_status" AS ENUM ('IN_REVIEW', 'APPROVED', 'PAID', 'FAILED', 'REJECTED');

-- The operator's Stripe Connect account, as Stripe reported it when the operator linked it: only an
-- account with payouts enabled and a bank account on file is stored (so it is "verified").
CREATE TABLE "operator_payout_accounts" (
    "operator_id" UUID NOT NULL,
    "stripe_account_id" TEXT NOT NULL,
    "bank_name" TEXT NOT NULL,
    "bank_last4" TEXT NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "operator_payout_accounts_pkey" PRIMARY KEY ("operator_id")
);
CREATE UNIQUE INDEX "operator_payout_accounts_stripe_account_id_key" ON "operator_payout_accounts"("stripe_account_id");
ALTER TABLE "operator_payout_accounts" ADD CONSTRAINT "operator_payout_accounts_operator_id_fkey"
  FOREIGN KEY ("operator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "operator_payout_accounts" ADD CONSTRAINT "operator_payout_accounts_stripe_id"
  CHECK ("stripe_account_id" ~ '^acct_[A-Za-z0-9]+$');

CREATE TABLE "operator_payouts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "operator_id" UUID NOT NULL,
    "amount_micro_usd" BIGINT NOT NULL,
    "status" "operator_payout_status" NOT NULL,
    "review_required" BOOLEAN NOT NULL,
    "stripe_account_id" TEXT NOT NULL,
    "bank_last4" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "stripe_transfer_id" TEXT,
    "failure_reason" TEXT,
    "reviewed_by_id" UUID,
    "review_reason" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewed_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    CONSTRAINT "operator_payouts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "operator_payouts_operator_id_idempotency_key_key" ON "operator_payouts"("operator_id", "idempotency_key");
CREATE INDEX "operator_payouts_status_requested_at_idx" ON "operator_payouts"("status", "requested_at");
CREATE INDEX "operator_payouts_operator_id_requested_at_idx" ON "operator_payouts"("operator_id", "requested_at");
ALTER TABLE "operator_payouts" ADD CONSTRAINT "operator_payouts_operator_id_fkey"
  FOREIGN KEY ("operator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "operator_payouts" ADD CONSTRAINT "operator_payouts_reviewed_by_id_fkey"
  FOREIGN KEY ("reviewed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- Whole cents (Stripe moves cents; no rounding anywhere), and only positive amounts.
ALTER TABLE "operator_payouts" ADD CONSTRAINT "operator_payouts_whole_cents"
  CHECK ("amount_micro_usd" > 0 AND "amount_micro_usd" % 10000 = 0);
-- Closed exactly when final; a paid payout names its Stripe transfer.
ALTER TABLE "operator_payouts" ADD CONSTRAINT "operator_payouts_closed"
  CHECK (("closed_at" IS NOT NULL) = ("status" IN ('PAID', 'FAILED', 'REJECTED')));
ALTER TABLE "operator_payouts" ADD CONSTRAINT "operator_payouts_paid_transfer"
  CHECK ("status" <> 'PAID' OR "stripe_transfer_id" IS NOT NULL);
-- An admin never reviews their own payout.
ALTER TABLE "operator_payouts" ADD CONSTRAINT "operator_payouts_not_self_reviewed"
  CHECK ("reviewed_by_id" IS NULL OR "reviewed_by_id" <> "operator_id");
