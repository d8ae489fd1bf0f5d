-- Accounts people can recover and trust (lib/mail/, lib/notifications/, lib/auth/).
--
-- users: the instant the email address was proven (a link from a verification mail); until then
-- the account browses but neither buys nor withdraws. Accounts that existed before verification
-- was introduced count as verified from their creation (they were never asked). The anti-phishing
-- phrase is printed in every message Hashlease sends the user. withdrawals_frozen_at: set by the
-- "this wasn't me" link of a new-address notice; withdrawals stay refused until an admin lifts it.
ALTER TABLE "users"
    ADD COLUMN "email_verified_at" TIMESTAMPTZ(3),
    ADD COLUMN "anti_phishing_phrase" TEXT,
    ADD COLUMN "withdrawals_frozen_at" TIMESTAMPTZ(3),
    ADD COLUMN "withdrawals_frozen_reason" TEXT,
    ADD CONSTRAINT "users_anti_phishing_phrase_shape"
        CHECK ("anti_phishing_phrase" IS NULL OR length("anti_phishing_phrase") BETWEEN 4 AND 40);
UPDATE "users" SET "email_verified_at" = "created_at";

-- The transactional outbox: the business operation inserts its message here in its own
-- transaction; the sender (lib/mail/sender.ts) claims due rows with SKIP LOCKED, renders the
-- template named by kind with params, sends it with Message-ID <id@host> and records SENT with the
-- server's answer, or a retry time, or FAILED with the last error. params never hold a secret: a
-- link's token is derived at send time from the account_tokens row id and the auth secret.
CREATE TYPE "mail_status" AS ENUM ('PENDING', 'SENT', 'FAILED');
CREATE TABLE "mail_outbox" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID,
    "to_address" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "status" "mail_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "smtp_response" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mail_outbox_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "mail_outbox_sent_at" CHECK (("status" = 'SENT') = ("sent_at" IS NOT NULL)),
    CONSTRAINT "mail_outbox_attempts" CHECK ("attempts" >= 0)
);
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox"("status", "next_attempt_at");
CREATE INDEX "mail_outbox_user_id_created_at_idx" ON "mail_outbox"("user_id", "created_at");
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Single-use links sent by email. The token in the link is HMAC-SHA256(auth secret, id); only
-- its SHA-256 is stored, so neither the database nor the outbox can rebuild a link.
CREATE TYPE "account_token_purpose" AS ENUM (
    'VERIFY_EMAIL', 'RESET_PASSWORD', 'CHANGE_EMAIL', 'CONFIRM_WITHDRAWAL', 'FREEZE_WITHDRAWALS'
);
CREATE TABLE "account_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "purpose" "account_token_purpose" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "account_tokens_token_hash_key" ON "account_tokens"("token_hash");
CREATE INDEX "account_tokens_user_id_purpose_idx" ON "account_tokens"("user_id", "purpose");
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The in-app notification list (header bell) and per-kind email preferences; security kinds
-- ignore preferences (lib/notifications/kinds.ts).
CREATE TABLE "notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at");
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "notification_preferences" (
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "email" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id", "kind")
);
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Server-side sessions: the session cookie names a row here; signing out, "sign out" on the
-- devices page, a password change or reset revoke rows, and a revoked row opens no page.
CREATE TABLE "user_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    CONSTRAINT "user_sessions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "user_sessions_user_id_created_at_idx" ON "user_sessions"("user_id", "created_at");
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Withdrawals: after the TOTP code, a link by email confirms the request before funds move.
-- Until email_confirmed_at is set a withdrawal is neither approved nor reviewed; one left
-- unconfirmed past confirm_by is cancelled and its hold released. Earlier withdrawals predate
-- the step and count as confirmed when requested.
ALTER TABLE "withdrawals"
    ADD COLUMN "email_confirmed_at" TIMESTAMPTZ(3),
    ADD COLUMN "confirm_by" TIMESTAMPTZ(3);
UPDATE "withdrawals" SET "email_confirmed_at" = "requested_at";
