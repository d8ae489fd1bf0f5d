-- Address book rules the database enforces whatever code writes:
-- 1. An address appears at most once per user and coin among live (not deleted) entries;
--    a deleted entry does not block adding the address again (with a fresh 48 h lock).
CREATE UNIQUE INDEX "withdrawal_addresses_live_user_coin_address_key"
  ON "withdrawal_addresses" ("user_id", "coin", "address") WHERE "deleted_at" IS NULL;

-- 2. Entries are immutable: the only change is the soft delete (deleted_at NULL -> a time),
--    and rows are never removed. Changing the address, coin or lock of a whitelisted entry
--    would bypass the 48 h new-address lock; withdrawals reference their entry for audit.
CREATE FUNCTION "withdrawal_addresses_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'withdrawal address % cannot be deleted; set deleted_at instead', OLD.id
      USING ERRCODE = '55000';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.coin IS DISTINCT FROM OLD.coin
     OR NEW.address IS DISTINCT FROM OLD.address OR NEW.label IS DISTINCT FROM OLD.label
     OR NEW.validated_at IS DISTINCT FROM OLD.validated_at OR NEW.address_format IS DISTINCT FROM OLD.address_format
     OR NEW.usable_after IS DISTINCT FROM OLD.usable_after OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR OLD.deleted_at IS NOT NULL OR NEW.deleted_at IS NULL THEN
    RAISE EXCEPTION 'withdrawal address % is immutable except for its soft delete', OLD.id
      USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "withdrawal_addresses_immutable" BEFORE UPDATE OR DELETE ON "withdrawal_addresses"
  FOR EACH ROW EXECUTE FUNCTION "withdrawal_addresses_immutable"();
