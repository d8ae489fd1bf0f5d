-- Operator and customer notices (lib/notifications/events.ts): each notice's marker, written in
-- the same transaction as its notification and mail, so a notice exists exactly once per event
-- whatever the number of job workers, and a crash loses none (the marker rolls back with it).

-- Contract bought (the listing's operator, at activation) and contract ending (the customer,
-- the day before its last day). The partial index holds only the ACTIVE contracts whose
-- operator has not heard of them yet: the job reads exactly those, and a purchase's INSERT
-- adds one small entry. Contracts that exist already are history: their operators are not told now.
ALTER TABLE "contracts" ADD COLUMN "operator_notified_at" TIMESTAMPTZ(3),
                        ADD COLUMN "ending_notified_at" TIMESTAMPTZ(3);
UPDATE "contracts" SET "operator_notified_at" = now() WHERE "status" <> 'PENDING_PAYMENT';
CREATE INDEX "contracts_operator_unnotified_idx" ON "contracts"("activated_at")
  WHERE "status" = 'ACTIVE' AND "operator_notified_at" IS NULL;

-- Listing sold out: a row while the operator has been told and the listing is still sold out;
-- deleted when capacity comes back, so the next sell-out notifies again.
CREATE TABLE "listing_sold_out_notices" (
  "listing_id" UUID NOT NULL PRIMARY KEY REFERENCES "listings"("id") ON DELETE CASCADE,
  "notified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- Rig offline: a row per outage the operator has been told of (since = the rig's last sign of
-- life); deleted when the rig is back, so the next outage notifies again.
CREATE TABLE "rig_offline_notices" (
  "rig_id" UUID NOT NULL PRIMARY KEY REFERENCES "rigs"("id") ON DELETE CASCADE,
  "since" TIMESTAMPTZ(3) NOT NULL,
  "notified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- Payout digest: one row per customer and settled day (the primary key is the once-only rule);
-- payout_runs.digested_at marks a completed run whose customers have all been considered.
-- Runs that exist already are history.
CREATE TABLE "payout_digests" (
  "customer_id" UUID NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "day" DATE NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("customer_id", "day")
);
ALTER TABLE "payout_runs" ADD COLUMN "digested_at" TIMESTAMPTZ(3);
UPDATE "payout_runs" SET "digested_at" = now() WHERE "status" <> 'RUNNING';
