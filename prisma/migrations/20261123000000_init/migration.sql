-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "role" AS ENUM ('CUSTOMER', 'OPERATOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "asset" AS ENUM ('USD', 'BTC', 'LTC', 'DOGE', 'BCH', 'KAS', 'ETC', 'XMR');

-- CreateEnum
CREATE TYPE "algorithm" AS ENUM ('SHA256', 'SCRYPT', 'KHEAVYHASH', 'ETCHASH', 'RANDOMX');

-- CreateEnum
CREATE TYPE "rig_status" AS ENUM ('ACTIVE', 'MAINTENANCE', 'OFFLINE', 'RETIRED');

-- CreateEnum
CREATE TYPE "listing_status" AS ENUM ('DRAFT', 'PUBLISHED', 'UNPUBLISHED');

-- CreateEnum
CREATE TYPE "contract_status" AS ENUM ('PENDING_PAYMENT', 'ACTIVE', 'COMPLETED', 'EXPIRED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "payment_method" AS ENUM ('CARD', 'BALANCE_USD', 'BALANCE_COIN');

-- CreateEnum
CREATE TYPE "allocation_status" AS ENUM ('RESERVED', 'LIVE', 'RELEASED');

-- CreateEnum
CREATE TYPE "telemetry_source" AS ENUM ('OPERATOR_UI', 'API', 'SIMULATOR');

-- CreateEnum
CREATE TYPE "payout_run_status" AS ENUM ('RUNNING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "account_type" AS ENUM ('USER_AVAILABLE', 'USER_HELD', 'OPERATOR_PAYABLE', 'PLATFORM_REVENUE', 'PLATFORM_FEES', 'POOL_FEES', 'MINING_CLEARING', 'STRIPE_CLEARING', 'WITHDRAWALS_IN_FLIGHT', 'ROUNDING');

-- CreateEnum
CREATE TYPE "journal_kind" AS ENUM ('CONTRACT_PURCHASE', 'RESERVATION_HOLD', 'RESERVATION_RELEASE', 'STRIPE_PAYMENT', 'PAYOUT', 'UNDER_DELIVERY_CREDIT', 'WITHDRAWAL_REQUEST', 'WITHDRAWAL_RELEASE', 'WITHDRAWAL_SEND', 'WITHDRAWAL_CONFIRM', 'DEPOSIT', 'REVERSAL', 'ADJUSTMENT');

-- CreateEnum
CREATE TYPE "withdrawal_status" AS ENUM ('REQUESTED', 'APPROVED', 'SENT', 'CONFIRMED', 'REJECTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "tax_profile_kind" AS ENUM ('HOBBY', 'BUSINESS');

-- CreateEnum
CREATE TYPE "api_scope" AS ENUM ('READ', 'TRADE', 'WITHDRAW', 'TELEMETRY', 'OPERATE', 'ADMIN');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "roles" "role"[] DEFAULT ARRAY['CUSTOMER']::"role"[],
    "sessions_valid_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "frozen_at" TIMESTAMPTZ(3),
    "frozen_reason" TEXT,
    "totp_secret_enc" TEXT,
    "totp_key_id" TEXT,
    "totp_enabled_at" TIMESTAMPTZ(3),
    "totp_last_step" BIGINT,
    "totp_failed_count" INTEGER NOT NULL DEFAULT 0,
    "totp_locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recovery_codes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_attempts" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coins" (
    "asset" "asset" NOT NULL,
    "name" TEXT NOT NULL,
    "algorithm" "algorithm" NOT NULL,
    "decimals" INTEGER NOT NULL,
    "difficulty_based" BOOLEAN NOT NULL,
    "pool_fee_bps" INTEGER NOT NULL,
    "hashrate_unit_hs" BIGINT NOT NULL,
    "hashrate_unit_label" TEXT NOT NULL,
    "withdrawal_min_base" DECIMAL(40,0) NOT NULL,
    "withdrawal_fee_base" DECIMAL(40,0) NOT NULL,
    "review_threshold_base" DECIMAL(40,0) NOT NULL,
    "daily_limit_base" DECIMAL(40,0) NOT NULL,

    CONSTRAINT "coins_pkey" PRIMARY KEY ("asset")
);

-- CreateTable
CREATE TABLE "facilities" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "operator_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "country_code" CHAR(2) NOT NULL,
    "power_price_micro_usd_per_kwh" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "facilities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rigs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "facility_id" UUID NOT NULL,
    "listing_id" UUID,
    "model" TEXT NOT NULL,
    "serial_number" TEXT NOT NULL,
    "algorithm" "algorithm" NOT NULL,
    "nominal_hashrate_hs" BIGINT NOT NULL,
    "power_draw_w" INTEGER NOT NULL,
    "status" "rig_status" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rigs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "listings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "operator_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "algorithm" "algorithm" NOT NULL,
    "title" TEXT NOT NULL,
    "price_micro_usd_per_unit_day" BIGINT NOT NULL,
    "maintenance_fee_micro_usd_per_unit_day" BIGINT NOT NULL,
    "min_days" INTEGER NOT NULL,
    "max_days" INTEGER NOT NULL,
    "min_hashrate_hs" BIGINT NOT NULL,
    "status" "listing_status" NOT NULL DEFAULT 'DRAFT',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "customer_id" UUID NOT NULL,
    "listing_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "hashrate_hs" BIGINT NOT NULL,
    "days" INTEGER NOT NULL,
    "price_micro_usd_per_unit_day" BIGINT NOT NULL,
    "maintenance_fee_micro_usd_per_unit_day" BIGINT NOT NULL,
    "unit_hs" BIGINT NOT NULL,
    "pool_fee_bps" INTEGER NOT NULL,
    "daily_price_micro_usd" BIGINT NOT NULL,
    "total_price_micro_usd" BIGINT NOT NULL,
    "payment_method" "payment_method" NOT NULL,
    "charged_cents" BIGINT,
    "charge_rounding_micro_usd" BIGINT,
    "stripe_checkout_session_id" TEXT,
    "status" "contract_status" NOT NULL,
    "reserved_until" TIMESTAMPTZ(3),
    "activated_at" TIMESTAMPTZ(3),
    "start_day" DATE,
    "end_day" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contracts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allocations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "contract_id" UUID NOT NULL,
    "rig_id" UUID NOT NULL,
    "hashrate_hs" BIGINT NOT NULL,
    "status" "allocation_status" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "allocations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rig_telemetry" (
    "id" BIGSERIAL NOT NULL,
    "rig_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "reported_hashrate_hs" BIGINT NOT NULL,
    "uptime_bps" INTEGER,
    "source" "telemetry_source" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rig_telemetry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "network_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "coin" "asset" NOT NULL,
    "day" DATE NOT NULL,
    "network_hashrate_hs" DECIMAL(40,0),
    "difficulty" DECIMAL(40,0),
    "block_time_ms" INTEGER NOT NULL,
    "block_subsidy_base" DECIMAL(40,0) NOT NULL,
    "avg_fees_per_block_base" DECIMAL(40,0) NOT NULL,
    "price_micro_usd" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "network_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "day" DATE NOT NULL,
    "status" "payout_run_status" NOT NULL,
    "contracts_settled" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "payout_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_run_totals" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "mined_base" DECIMAL(40,0) NOT NULL,
    "customer_net_base" DECIMAL(40,0) NOT NULL,
    "pool_fees_base" DECIMAL(40,0) NOT NULL,
    "maintenance_fees_base" DECIMAL(40,0) NOT NULL,
    "rounding_base" DECIMAL(40,0) NOT NULL,
    "under_delivery_credit_micro_usd" BIGINT NOT NULL,

    CONSTRAINT "payout_run_totals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "daily_payouts" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "coin" "asset" NOT NULL,
    "allocated_hashrate_hs" BIGINT NOT NULL,
    "delivered_hashrate_hs" BIGINT NOT NULL,
    "network_hashrate_hs" DECIMAL(40,0) NOT NULL,
    "block_time_ms" INTEGER NOT NULL,
    "block_subsidy_base" DECIMAL(40,0) NOT NULL,
    "avg_fees_per_block_base" DECIMAL(40,0) NOT NULL,
    "price_micro_usd" BIGINT NOT NULL,
    "decimals" INTEGER NOT NULL,
    "pool_fee_bps" INTEGER NOT NULL,
    "maintenance_fee_micro_usd_per_unit_day" BIGINT NOT NULL,
    "unit_hs" BIGINT NOT NULL,
    "daily_price_micro_usd" BIGINT NOT NULL,
    "gross_base" DECIMAL(40,0) NOT NULL,
    "pool_fee_base" DECIMAL(40,0) NOT NULL,
    "maintenance_fee_base" DECIMAL(40,0) NOT NULL,
    "net_base" DECIMAL(40,0) NOT NULL,
    "curtailed" BOOLEAN NOT NULL,
    "under_delivery_credit_micro_usd" BIGINT NOT NULL,
    "usd_value_at_receipt_micro_usd" BIGINT NOT NULL,
    "journal_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "daily_payouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "type" "account_type" NOT NULL,
    "asset" "asset" NOT NULL,
    "user_id" UUID,
    "balance" DECIMAL(40,0) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "journal_transactions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "journal_kind" NOT NULL,
    "description" TEXT NOT NULL,
    "reference_type" TEXT NOT NULL,
    "reference_id" TEXT NOT NULL,
    "reverses_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journal_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postings" (
    "id" BIGSERIAL NOT NULL,
    "journal_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "asset" "asset" NOT NULL,
    "amount" DECIMAL(40,0) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "postings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdrawal_addresses" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "address" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "validated_at" TIMESTAMPTZ(3) NOT NULL,
    "address_format" TEXT NOT NULL,
    "usable_after" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "withdrawal_addresses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdrawals" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "address_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "amount_base" DECIMAL(40,0) NOT NULL,
    "network_fee_base" DECIMAL(40,0) NOT NULL,
    "net_base" DECIMAL(40,0) NOT NULL,
    "status" "withdrawal_status" NOT NULL,
    "review_required" BOOLEAN NOT NULL,
    "reviewed_by_id" UUID,
    "review_reason" TEXT,
    "txid" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approved_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "withdrawals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tax_profiles" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" "tax_profile_kind" NOT NULL,
    "locked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tax_profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "key_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "scopes" "api_scope"[],
    "secret_enc" TEXT NOT NULL,
    "secret_key_id" TEXT NOT NULL,
    "previous_secret_enc" TEXT,
    "previous_secret_key_id" TEXT,
    "previous_valid_until" TIMESTAMPTZ(3),
    "ip_allowlist" TEXT[],
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_nonces" (
    "api_key_id" UUID NOT NULL,
    "nonce" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_nonces_pkey" PRIMARY KEY ("api_key_id","nonce")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "ip" TEXT,
    "details" JSONB NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "recovery_codes_user_id_idx" ON "recovery_codes"("user_id");

-- CreateIndex
CREATE INDEX "login_attempts_email_created_at_idx" ON "login_attempts"("email", "created_at");

-- CreateIndex
CREATE INDEX "login_attempts_ip_created_at_idx" ON "login_attempts"("ip", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "facilities_operator_id_name_key" ON "facilities"("operator_id", "name");

-- CreateIndex
CREATE INDEX "rigs_listing_id_idx" ON "rigs"("listing_id");

-- CreateIndex
CREATE INDEX "rigs_facility_id_idx" ON "rigs"("facility_id");

-- CreateIndex
CREATE UNIQUE INDEX "rigs_model_serial_number_key" ON "rigs"("model", "serial_number");

-- CreateIndex
CREATE INDEX "listings_status_coin_price_micro_usd_per_unit_day_idx" ON "listings"("status", "coin", "price_micro_usd_per_unit_day");

-- CreateIndex
CREATE INDEX "listings_operator_id_idx" ON "listings"("operator_id");

-- CreateIndex
CREATE UNIQUE INDEX "contracts_stripe_checkout_session_id_key" ON "contracts"("stripe_checkout_session_id");

-- CreateIndex
CREATE INDEX "contracts_customer_id_status_idx" ON "contracts"("customer_id", "status");

-- CreateIndex
CREATE INDEX "contracts_listing_id_status_idx" ON "contracts"("listing_id", "status");

-- CreateIndex
CREATE INDEX "contracts_status_start_day_end_day_idx" ON "contracts"("status", "start_day", "end_day");

-- CreateIndex
CREATE INDEX "contracts_status_reserved_until_idx" ON "contracts"("status", "reserved_until");

-- CreateIndex
CREATE INDEX "allocations_rig_id_status_idx" ON "allocations"("rig_id", "status");

-- CreateIndex
CREATE INDEX "allocations_contract_id_status_idx" ON "allocations"("contract_id", "status");

-- CreateIndex
CREATE INDEX "rig_telemetry_day_idx" ON "rig_telemetry"("day");

-- CreateIndex
CREATE UNIQUE INDEX "rig_telemetry_rig_id_day_key" ON "rig_telemetry"("rig_id", "day");

-- CreateIndex
CREATE UNIQUE INDEX "network_snapshots_coin_day_key" ON "network_snapshots"("coin", "day");

-- CreateIndex
CREATE INDEX "payout_runs_day_idx" ON "payout_runs"("day");

-- CreateIndex
CREATE UNIQUE INDEX "payout_run_totals_run_id_coin_key" ON "payout_run_totals"("run_id", "coin");

-- CreateIndex
CREATE INDEX "daily_payouts_day_idx" ON "daily_payouts"("day");

-- CreateIndex
CREATE INDEX "daily_payouts_run_id_idx" ON "daily_payouts"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "daily_payouts_contract_id_day_key" ON "daily_payouts"("contract_id", "day");

-- CreateIndex
CREATE INDEX "ledger_accounts_user_id_idx" ON "ledger_accounts"("user_id");

-- CreateIndex
-- NULLS NOT DISTINCT: platform accounts (user_id NULL) exist once per type and asset.
CREATE UNIQUE INDEX "ledger_accounts_type_asset_user_id_key" ON "ledger_accounts"("type", "asset", "user_id") NULLS NOT DISTINCT;

-- CreateIndex
CREATE UNIQUE INDEX "journal_transactions_reverses_id_key" ON "journal_transactions"("reverses_id");

-- CreateIndex
CREATE INDEX "journal_transactions_created_at_idx" ON "journal_transactions"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "journal_transactions_kind_reference_type_reference_id_key" ON "journal_transactions"("kind", "reference_type", "reference_id");

-- CreateIndex
CREATE INDEX "postings_journal_id_idx" ON "postings"("journal_id");

-- CreateIndex
CREATE INDEX "postings_account_id_id_idx" ON "postings"("account_id", "id");

-- CreateIndex
CREATE INDEX "withdrawal_addresses_user_id_coin_idx" ON "withdrawal_addresses"("user_id", "coin");

-- CreateIndex
CREATE INDEX "withdrawals_status_requested_at_idx" ON "withdrawals"("status", "requested_at");

-- CreateIndex
CREATE INDEX "withdrawals_user_id_requested_at_idx" ON "withdrawals"("user_id", "requested_at");

-- CreateIndex
CREATE UNIQUE INDEX "withdrawals_user_id_idempotency_key_key" ON "withdrawals"("user_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "tax_profiles_user_id_year_key" ON "tax_profiles"("user_id", "year");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_id_key" ON "api_keys"("key_id");

-- CreateIndex
CREATE INDEX "api_keys_user_id_idx" ON "api_keys"("user_id");

-- CreateIndex
CREATE INDEX "api_nonces_created_at_idx" ON "api_nonces"("created_at");

-- CreateIndex
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_keys_user_id_scope_key_key" ON "idempotency_keys"("user_id", "scope", "key");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_hash_key" ON "audit_log"("hash");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- AddForeignKey
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rigs" ADD CONSTRAINT "rigs_facility_id_fkey" FOREIGN KEY ("facility_id") REFERENCES "facilities"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rigs" ADD CONSTRAINT "rigs_listing_id_fkey" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listings" ADD CONSTRAINT "listings_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listings" ADD CONSTRAINT "listings_coin_fkey" FOREIGN KEY ("coin") REFERENCES "coins"("asset") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_listing_id_fkey" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_rig_id_fkey" FOREIGN KEY ("rig_id") REFERENCES "rigs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rig_telemetry" ADD CONSTRAINT "rig_telemetry_rig_id_fkey" FOREIGN KEY ("rig_id") REFERENCES "rigs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "network_snapshots" ADD CONSTRAINT "network_snapshots_coin_fkey" FOREIGN KEY ("coin") REFERENCES "coins"("asset") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_run_totals" ADD CONSTRAINT "payout_run_totals_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "payout_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_payouts" ADD CONSTRAINT "daily_payouts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "payout_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_payouts" ADD CONSTRAINT "daily_payouts_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "journal_transactions" ADD CONSTRAINT "journal_transactions_reverses_id_fkey" FOREIGN KEY ("reverses_id") REFERENCES "journal_transactions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_journal_id_fkey" FOREIGN KEY ("journal_id") REFERENCES "journal_transactions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdrawal_addresses" ADD CONSTRAINT "withdrawal_addresses_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_address_id_fkey" FOREIGN KEY ("address_id") REFERENCES "withdrawal_addresses"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tax_profiles" ADD CONSTRAINT "tax_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_nonces" ADD CONSTRAINT "api_nonces_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------
-- Hand-written guarantees Prisma's schema language cannot express. The database itself
-- refuses what would break a money rule, whatever code path writes.
-- ---------------------------------------------------------------------------------------

-- Sane values.
ALTER TABLE "rigs" ADD CONSTRAINT "rigs_nominal_hashrate_positive" CHECK ("nominal_hashrate_hs" > 0);
ALTER TABLE "rigs" ADD CONSTRAINT "rigs_power_draw_nonnegative" CHECK ("power_draw_w" >= 0);
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_power_price_nonnegative" CHECK ("power_price_micro_usd_per_kwh" >= 0);
ALTER TABLE "listings" ADD CONSTRAINT "listings_prices_nonnegative" CHECK ("price_micro_usd_per_unit_day" > 0 AND "maintenance_fee_micro_usd_per_unit_day" >= 0);
ALTER TABLE "listings" ADD CONSTRAINT "listings_duration_range" CHECK ("min_days" >= 1 AND "max_days" >= "min_days" AND "max_days" <= 3650);
ALTER TABLE "listings" ADD CONSTRAINT "listings_min_hashrate_positive" CHECK ("min_hashrate_hs" > 0);
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_terms_positive" CHECK ("hashrate_hs" > 0 AND "days" > 0 AND "unit_hs" > 0 AND "daily_price_micro_usd" >= 0 AND "total_price_micro_usd" >= 0);
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_hashrate_positive" CHECK ("hashrate_hs" > 0);
ALTER TABLE "rig_telemetry" ADD CONSTRAINT "rig_telemetry_values" CHECK ("reported_hashrate_hs" >= 0 AND ("uptime_bps" IS NULL OR "uptime_bps" BETWEEN 0 AND 10000));
ALTER TABLE "network_snapshots" ADD CONSTRAINT "network_snapshots_one_measure" CHECK (("network_hashrate_hs" IS NULL) <> ("difficulty" IS NULL));
ALTER TABLE "network_snapshots" ADD CONSTRAINT "network_snapshots_positive" CHECK (COALESCE("network_hashrate_hs", "difficulty") > 0 AND "block_time_ms" > 0 AND "block_subsidy_base" >= 0 AND "avg_fees_per_block_base" >= 0 AND "price_micro_usd" > 0);
ALTER TABLE "coins" ADD CONSTRAINT "coins_values" CHECK ("decimals" BETWEEN 0 AND 18 AND "pool_fee_bps" BETWEEN 0 AND 10000 AND "hashrate_unit_hs" > 0);
ALTER TABLE "daily_payouts" ADD CONSTRAINT "daily_payouts_figures" CHECK ("gross_base" >= 0 AND "pool_fee_base" >= 0 AND "maintenance_fee_base" >= 0 AND "net_base" >= 0 AND "under_delivery_credit_micro_usd" >= 0 AND "delivered_hashrate_hs" <= "allocated_hashrate_hs");
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_amounts" CHECK ("amount_base" > 0 AND "network_fee_base" >= 0 AND "net_base" = "amount_base" - "network_fee_base" AND "net_base" > 0);
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_coin_not_usd" CHECK ("coin" <> 'USD');
ALTER TABLE "tax_profiles" ADD CONSTRAINT "tax_profiles_year" CHECK ("year" BETWEEN 2009 AND 2200);

-- Ledger accounts: user accounts belong to a user, platform accounts to nobody; a user's
-- available and held balances never go below zero (an overdraw fails the transaction).
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_owner" CHECK (("type" IN ('USER_AVAILABLE', 'USER_HELD', 'OPERATOR_PAYABLE')) = ("user_id" IS NOT NULL));
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_nonnegative" CHECK ("type" NOT IN ('USER_AVAILABLE', 'USER_HELD') OR "balance" >= 0);
ALTER TABLE "postings" ADD CONSTRAINT "postings_nonzero" CHECK ("amount" <> 0);

-- Postings: the cached balance moves with them (one set-based UPDATE per statement), every
-- journal touched by the statement must balance to zero per asset, and a posting's asset
-- must be its account's asset. All postings of a journal are inserted in one statement.
CREATE FUNCTION "postings_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT p.id INTO bad FROM new_postings p JOIN "ledger_accounts" a ON a.id = p.account_id
   WHERE a.asset <> p.asset LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'posting % asset differs from its account asset', bad.id USING ERRCODE = '23514';
  END IF;

  SELECT j.journal_id, j.asset, j.total INTO bad FROM (
    SELECT p.journal_id, p.asset, sum(p.amount) AS total
      FROM "postings" p
     WHERE p.journal_id IN (SELECT DISTINCT journal_id FROM new_postings)
     GROUP BY p.journal_id, p.asset
  ) j WHERE j.total <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal % does not balance for %: sum %', bad.journal_id, bad.asset, bad.total USING ERRCODE = '23514';
  END IF;

  UPDATE "ledger_accounts" a SET balance = a.balance + s.delta
    FROM (SELECT account_id, sum(amount) AS delta FROM new_postings GROUP BY account_id) s
   WHERE a.id = s.account_id;
  RETURN NULL;
END $$;

CREATE TRIGGER "postings_after_insert" AFTER INSERT ON "postings"
  REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION "postings_after_insert"();

-- Append-only: journals, postings and the audit log are never updated or deleted;
-- corrections are reversing journals.
CREATE FUNCTION "refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END $$;

CREATE TRIGGER "postings_append_only" BEFORE UPDATE OR DELETE ON "postings" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "postings_no_truncate" BEFORE TRUNCATE ON "postings" FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "journal_transactions_append_only" BEFORE UPDATE OR DELETE ON "journal_transactions" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "journal_transactions_no_truncate" BEFORE TRUNCATE ON "journal_transactions" FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"();

-- A cached balance may only change through postings (the trigger above).
CREATE FUNCTION "ledger_accounts_balance_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance <> OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'ledger_accounts.balance changes only through postings' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "ledger_accounts_balance_guard" BEFORE UPDATE ON "ledger_accounts" FOR EACH ROW EXECUTE FUNCTION "ledger_accounts_balance_guard"();
