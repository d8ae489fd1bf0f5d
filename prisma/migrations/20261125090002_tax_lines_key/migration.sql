-- tax_lines is keyed by what it records, (payout_id, kind), instead of a serial id plus a unique
-- index on the same pair: per line the payout run's tax trigger then maintains one index fewer
-- and draws no sequence value (30,000 lines for a 10,000-contract day).
ALTER TABLE "tax_lines" DROP CONSTRAINT "tax_lines_pkey";
DROP INDEX "tax_lines_payout_id_kind_key";
ALTER TABLE "tax_lines" DROP COLUMN "id";
ALTER TABLE "tax_lines" ADD CONSTRAINT "tax_lines_pkey" PRIMARY KEY ("payout_id", "kind");
