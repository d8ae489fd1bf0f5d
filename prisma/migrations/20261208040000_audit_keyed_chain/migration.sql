-- The audit chain is keyed (HMAC-SHA256 under AUDIT_HMAC_KEYS, lib/audit/README.md) and signed
-- checkpoints of its head are published outside the database.

-- Which key sealed each line. Lines sealed before this migration were chained with plain
-- SHA-256: they are marked 'legacy-sha256' and are trusted only as far as the first signed
-- checkpoint (taken by the checkpoint job at the first start after this migration) covers them.
ALTER TABLE "audit_log" ADD COLUMN "hash_key_id" TEXT;
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_seal_only";
UPDATE "audit_log" SET "hash_key_id" = 'legacy-sha256' WHERE "seq" IS NOT NULL;
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_seal_only";
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_sealed_with_key"
  CHECK (("seq" IS NULL) = ("hash_key_id" IS NULL));

-- Still append-only: the one UPDATE allowed is sealing an unsealed line (seq, prev_hash, hash
-- and the key id, nothing else), and never again the legacy way.
CREATE OR REPLACE FUNCTION "audit_log_seal_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
     AND NEW.hash_key_id IS NOT NULL AND NEW.hash_key_id <> 'legacy-sha256'
     AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.ip, NEW.details)
         IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.entity_type, OLD.entity_id, OLD.ip, OLD.details) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: UPDATE refused' USING ERRCODE = '42501';
END $$;

-- This database's chain id, bound into every keyed line's MAC and naming its checkpoints in
-- the sink. Created by the first sealer (not here: a database copied from a template must not
-- share its checkpoints with the template's other copies).
CREATE TABLE "audit_chain" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "chain_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_chain_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_chain_one_row" CHECK ("id" = 1)
);
CREATE TRIGGER "audit_chain_append_only" BEFORE UPDATE OR DELETE ON "audit_chain" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "audit_chain_no_truncate" BEFORE TRUNCATE ON "audit_chain" FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"();

-- The index of published checkpoints (the signed originals live in the sink, outside the
-- database): a number listed here but absent from the sink is a missing checkpoint.
CREATE TABLE "audit_checkpoints" (
    "number" BIGINT NOT NULL,
    "head_seq" BIGINT NOT NULL,
    "head_hash" TEXT NOT NULL,
    "lines" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "sink" TEXT NOT NULL,
    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("number")
);
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoints" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"();
