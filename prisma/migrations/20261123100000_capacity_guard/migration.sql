-- AlterTable
ALTER TABLE "contracts" ADD COLUMN "platform_fee_micro_usd" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "listings_status_price_micro_usd_per_unit_day_id_idx" ON "listings"("status", "price_micro_usd_per_unit_day", "id");

-- The cardinal rule, enforced by the database whatever code writes: for every rig, the sum
-- of RESERVED + LIVE allocations never exceeds its nominal hashrate. The rig row is locked
-- so concurrent writers for the same rig are checked one after another.
CREATE FUNCTION "allocations_capacity_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  nominal bigint;
  used numeric;
BEGIN
  IF NEW.status IN ('RESERVED', 'LIVE') THEN
    SELECT nominal_hashrate_hs INTO nominal FROM "rigs" WHERE id = NEW.rig_id FOR UPDATE;
    SELECT COALESCE(sum(hashrate_hs), 0) INTO used FROM "allocations"
     WHERE rig_id = NEW.rig_id AND status IN ('RESERVED', 'LIVE');
    IF used > nominal THEN
      RAISE EXCEPTION 'rig % would be oversold: % of % H/s allocated', NEW.rig_id, used, nominal
        USING ERRCODE = '23514', CONSTRAINT = 'allocations_within_rig_capacity';
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "allocations_capacity_guard" AFTER INSERT OR UPDATE OF "status", "hashrate_hs", "rig_id" ON "allocations"
  FOR EACH ROW EXECUTE FUNCTION "allocations_capacity_guard"();

-- Lowering a rig's nominal hashrate below what is allocated on it is refused too.
CREATE FUNCTION "rigs_nominal_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  used numeric;
BEGIN
  IF NEW.nominal_hashrate_hs < OLD.nominal_hashrate_hs THEN
    SELECT COALESCE(sum(hashrate_hs), 0) INTO used FROM "allocations"
     WHERE rig_id = NEW.id AND status IN ('RESERVED', 'LIVE');
    IF used > NEW.nominal_hashrate_hs THEN
      RAISE EXCEPTION 'rig % has % H/s allocated; nominal hashrate cannot drop to %', NEW.id, used, NEW.nominal_hashrate_hs
        USING ERRCODE = '23514', CONSTRAINT = 'allocations_within_rig_capacity';
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "rigs_nominal_guard" BEFORE UPDATE OF "nominal_hashrate_hs" ON "rigs"
  FOR EACH ROW EXECUTE FUNCTION "rigs_nominal_guard"();
