-- Audit lines are appended without a global lock and sealed into the hash chain afterwards.
ALTER TABLE "audit_log" ADD COLUMN "seq" BIGINT;
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;

-- Existing lines were chained at insert, in id order: that is their place in the chain.
DROP TRIGGER "audit_log_append_only" ON "audit_log";
UPDATE "audit_log" SET "seq" = "id";

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_seq_key" ON "audit_log"("seq");

-- The sealer's queue: lines not yet in the chain.
CREATE INDEX "audit_log_unsealed_idx" ON "audit_log"("id") WHERE "seq" IS NULL;

-- Still append-only: the one UPDATE allowed is sealing an unsealed line (setting seq,
-- prev_hash and hash, nothing else). DELETE and TRUNCATE stay refused.
CREATE FUNCTION "audit_log_seal_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
     AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.ip, NEW.details)
         IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.entity_type, OLD.entity_id, OLD.ip, OLD.details) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: UPDATE refused' USING ERRCODE = '42501';
END $$;

CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
CREATE TRIGGER "audit_log_seal_only" BEFORE UPDATE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_seal_only"();
