-- Ledger reconciliation runs (lib/ledger/reconciliation.ts): each run compares every account's
-- cached balance with the sum of its postings in one statement over one snapshot, and stores
-- when it ran, how many accounts it checked and the mismatches (the first 100 in detail).
-- Append-only like the journals: a run is a record of what was found at that moment.
CREATE TABLE "ledger_reconciliation_runs" (
    "id" BIGSERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "accounts_checked" INTEGER NOT NULL,
    "postings_checked" BIGINT NOT NULL,
    "mismatch_count" INTEGER NOT NULL,
    "mismatches" JSONB NOT NULL,
    "triggered_by_id" UUID,

    CONSTRAINT "ledger_reconciliation_runs_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "ledger_reconciliation_runs_started_at_idx" ON "ledger_reconciliation_runs"("started_at");

ALTER TABLE "ledger_reconciliation_runs" ADD CONSTRAINT "ledger_reconciliation_runs_triggered_by_id_fkey"
  FOREIGN KEY ("triggered_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TRIGGER "ledger_reconciliation_runs_append_only" BEFORE UPDATE OR DELETE ON "ledger_reconciliation_runs"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
